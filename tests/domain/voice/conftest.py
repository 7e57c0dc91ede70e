"""Fixtures of the feedback tests (feedback records and the feedback import kind)."""

from __future__ import annotations

import pytest

from tests.support.report_rows import Seed, local


@pytest.fixture
def fb(ctx):
    """Collectors li and wang, borrowers C1 and C2, and a call by li to C1 (its id in ``ctx.call_id``)."""
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li")
        seed.user("wang")
        seed.customer("C1")
        seed.customer("C2")
        ctx.call_id = seed.call("C1", "li", local(2026, 11, 27), "promise_to_pay")
    return ctx
