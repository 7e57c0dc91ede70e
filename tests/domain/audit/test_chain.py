"""Audit chain, users and lockout, masking, identity validation, policy loading."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from collectui.domain import audit
from collectui.domain.errors import InvalidInput, PermissionDenied
from collectui.domain.policy import load_policy
from collectui.domain.privacy.identity import id_check_char, normalise_id_number, normalise_phone
from collectui.domain.privacy.masking import mask_address, mask_id_number, mask_name, mask_phone
from collectui.domain.staff import users


def test_audit_chain_detects_edit_delete_and_truncation(ctx):
    with ctx.db.write() as s:
        for i in range(5):
            audit.record(s, ctx.clock, "tester", "thing.do", "thing", str(i), {"n": i})
    with ctx.db.read() as s:
        assert audit.verify(s).ok
    raw = ctx.db.engine.raw_connection()
    raw.execute("DROP TRIGGER audit_event_no_update")
    raw.execute("DROP TRIGGER audit_event_no_delete")
    raw.execute("""UPDATE audit_event SET details='{"n": 99}' WHERE id=3""")
    raw.close()
    with ctx.db.read() as s:
        result = audit.verify(s)
    assert not result.ok and any("event 3" in p and "edited" in p for p in result.problems)


def test_audit_truncation_detected(ctx):
    with ctx.db.write() as s:
        for i in range(3):
            audit.record(s, ctx.clock, "tester", "thing.do", "thing", str(i))
    raw = ctx.db.engine.raw_connection()
    raw.execute("DROP TRIGGER audit_event_no_delete")
    raw.execute("DELETE FROM audit_event WHERE id=3")
    raw.close()
    with ctx.db.read() as s:
        assert not audit.verify(s).ok


def test_audit_is_append_only(ctx):
    with ctx.db.write() as s:
        audit.record(s, ctx.clock, "tester", "thing.do")
    with pytest.raises(Exception, match="append-only"), ctx.db.write() as s:
        s.connection().execute(text("DELETE FROM audit_event"))


def test_lockout_after_five_failures(ctx):
    users.add_user(ctx, "admin", "amy", "collector", "东城支行", "correct-horse")
    for _ in range(4):
        with pytest.raises(PermissionDenied, match="wrong"):
            users.authenticate(ctx, "amy", "nope-nope")
    with pytest.raises(PermissionDenied, match="wrong"):
        users.authenticate(ctx, "amy", "nope-nope")
    with pytest.raises(PermissionDenied, match="locked; try again in 15 min"):
        users.authenticate(ctx, "amy", "correct-horse")
    with pytest.raises(PermissionDenied, match="wrong"):
        users.authenticate(ctx, "nobody", "whatever1")
    ctx.clock.advance(timedelta(minutes=15, seconds=1))
    assert users.authenticate(ctx, "amy", "correct-horse").role == "collector"
    with ctx.db.read() as s:
        actions = [r[0] for r in s.connection().execute(text("SELECT action FROM audit_event"))]
    assert "login.locked" in actions and "login.ok" in actions
    assert "login.refused_locked" in actions  # refusals are audited, not rolled back
    assert actions.count("login.fail") == 5  # four wrong passwords and the unknown user


def test_short_password_and_bad_role_refused(ctx):
    with pytest.raises(InvalidInput):
        users.add_user(ctx, "admin", "bob", "collector", "b", "short")
    with pytest.raises(InvalidInput):
        users.add_user(ctx, "admin", "bob", "boss", "b", "long-enough")


def test_masking_defaults():
    assert mask_name("李小明") == "李**"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_number("110101199003071234") == "1*************1234"
    assert mask_address("浙江省杭州市西湖区文三路1号") == "浙江省杭州市西湖区****"


def test_id_numbers_and_phones():
    body = "11010119900307123"
    good = body + id_check_char(body)
    assert normalise_id_number(good.lower()) == good
    bad = body + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValueError, match="check"):
        normalise_id_number(bad)
    assert normalise_phone("+86 138-1234-1234") == "13812341234"
    assert normalise_phone("010-12345678") == "01012345678"
    with pytest.raises(ValueError):
        normalise_phone("12345")


def test_policy_errors_name_the_key(tmp_path):
    p = tmp_path / "policy.toml"
    p.write_text('[ranking]\ndpd_points_per_day = "x"\nbogus = 1\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_policy(p)
    assert "ranking.dpd_points_per_day: expected number" in str(exc.value)
    assert "ranking.bogus: unknown key" in str(exc.value)
    p.write_text("[promises]\ngrace_days = 5\n", encoding="utf-8")
    assert load_policy(p)["promises.grace_days"] == 5
    assert load_policy(p)["promises.horizon_days"] == 30
