"""The audit chain: every edit, deletion or truncation is detected; the table is append-only."""

import pytest
from sqlalchemy import text

from collectui.domain import audit
from tests.domain.audit.conftest import operator


def test_audit_chain_detects_edit_delete_and_truncation(ctx):
    with ctx.db.write() as s:
        for i in range(5):
            audit.record(s, ctx.clock, "tester", "thing.do", "thing", str(i), {"n": i})
    with ctx.db.read() as s:
        assert audit.verify(s).ok
    raw = operator(ctx)
    raw.execute("""UPDATE audit_event SET details='{"n": 99}' WHERE id=3""")
    raw.close()
    with ctx.db.read() as s:
        result = audit.verify(s)
    assert not result.ok and any("event 3" in p and "edited" in p for p in result.problems)


def test_audit_truncation_detected(ctx):
    with ctx.db.write() as s:
        for i in range(3):
            audit.record(s, ctx.clock, "tester", "thing.do", "thing", str(i))
    raw = operator(ctx)
    raw.execute("DELETE FROM audit_event WHERE id=3")
    raw.close()
    with ctx.db.read() as s:
        assert not audit.verify(s).ok


def test_audit_is_append_only(ctx):
    with ctx.db.write() as s:
        audit.record(s, ctx.clock, "tester", "thing.do")
    with pytest.raises(Exception, match="append-only"), ctx.db.write() as s:
        s.connection().execute(text("DELETE FROM audit_event"))
