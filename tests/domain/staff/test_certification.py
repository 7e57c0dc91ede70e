"""The gate rule `certified`: only staff certified by training call borrowers (staff.certification)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from collectui.domain.calls.checking import check_call
from collectui.domain.calls.record import CallInput, log_call
from collectui.domain.errors import PermissionDenied
from collectui.domain.staff.actor import token_actor
from collectui.domain.staff.certification import NOT_CERTIFIED, caller_refusal, certified_until
from collectui.storage.models import StaffUser
from tests.support.calls import calls_policy, log, seed
from tests.support.cli import actor_of

TODAY = date(2026, 11, 28)  # the tests' clock


@pytest.fixture
def sctx(ctx):
    seed(ctx)  # amy, bob (collectors) and sue (supervisor) of 东城支行, certified: they stand for trained staff
    ctx.policy = calls_policy()
    return ctx


def newcomer(ctx, name: str = "cal", role: str = "collector") -> int:
    """An account nobody certified (branch 东城支行, like the seed's borrower)."""
    with ctx.db.write() as s:
        user = StaffUser(
            username=name,
            display_name=name,
            role=role,
            branch_id=1 if role in ("collector", "supervisor", "trainee") else None,
            password_hash="x",
            created_at=ctx.clock.now(),
        )
        s.add(user)
        s.flush()
        return user.id


def certify_on(ctx, user_id: int, day: date, source: str = "recorded") -> None:
    with ctx.db.raw_write() as raw:
        raw.execute(
            "INSERT INTO certification (user_id, certified_on, source, reason, by_user_id, recorded_at) "
            "VALUES (?, ?, ?, ?, NULL, '2026-11-01T00:00:00.000000+00:00')",
            (user_id, day.isoformat(), source, "trained at head office" if source == "recorded" else None),
        )


def certified_reasons(result) -> list[str]:
    return [hit.message for hit in result.reasons if hit.rule == "certified"]


def test_an_uncertified_collector_is_refused_with_the_reason(sctx):
    newcomer(sctx)
    result = log(sctx, "cal")
    assert not result.saved
    assert [(r.rule, r.message) for r in result.reasons] == [("certified", NOT_CERTIFIED)]
    assert "training quiz" in NOT_CERTIFIED and "ask a trainer" in NOT_CERTIFIED
    # The refusal is kept like every other gate refusal (call refusals, the compliance report).
    with sctx.db.raw_read() as raw:
        assert raw.execute("SELECT status FROM call_attempt").fetchall() == [("refused",)]


@pytest.mark.parametrize("days_ago", [0, 364])
def test_certified_through_valid_days_minus_one(sctx, days_ago):
    user_id = newcomer(sctx)
    certify_on(sctx, user_id, TODAY - timedelta(days=days_ago))
    assert certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1")) == []
    assert log(sctx, "cal").saved


@pytest.mark.parametrize(("days_ago", "expired_on"), [(365, "2026-11-28"), (366, "2026-11-27")])
def test_expired_at_valid_days_and_after(sctx, days_ago, expired_on):
    user_id = newcomer(sctx)
    certify_on(sctx, user_id, TODAY - timedelta(days=days_ago))
    (message,) = certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1"))
    assert message.startswith(f"certification expired on {expired_on}")
    assert not log(sctx, "cal").saved


def test_valid_days_comes_from_the_policy(sctx):
    user_id = newcomer(sctx)
    certify_on(sctx, user_id, TODAY - timedelta(days=30))
    sctx.policy = calls_policy({"certified": {"valid_days": 30}})
    assert certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1"))
    sctx.policy = calls_policy({"certified": {"valid_days": 31}})
    assert not certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1"))


def test_a_certification_dated_after_the_call_does_not_cover_it(sctx):
    # A supervisor's late entry for a call made before the caller was certified is judged on the call's day.
    user_id = newcomer(sctx)
    certify_on(sctx, user_id, TODAY)
    yesterday = sctx.clock.now() - timedelta(days=1)
    assert certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1", at=yesterday)) == [NOT_CERTIFIED]
    assert not certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1"))


def test_the_latest_certification_counts_recorded_or_earned(sctx):
    user_id = newcomer(sctx)
    certify_on(sctx, user_id, TODAY - timedelta(days=400), "recorded")
    assert certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1"))
    certify_on(sctx, user_id, TODAY - timedelta(days=10), "earned")
    assert not certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1"))
    with sctx.db.raw_read() as raw:
        assert certified_until(raw, user_id, 365) == TODAY + timedelta(days=355)
        assert certified_until(raw, 999, 365) is None


@pytest.mark.parametrize("role", ["collector", "supervisor", "trainer", "admin"])
def test_every_calling_role_must_be_certified(sctx, role):
    user_id = newcomer(sctx, "cal", role)
    assert certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1")) == [NOT_CERTIFIED]
    certify_on(sctx, user_id, TODAY)
    assert certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1")) == []


def test_roles_not_listed_are_not_judged(sctx):
    newcomer(sctx, "cal", "supervisor")
    sctx.policy = calls_policy({"certified": {"roles": ["collector"]}})
    assert certified_reasons(check_call(sctx, actor_of(sctx, "cal"), "C1")) == []
    newcomer(sctx, "cid", "collector")
    assert certified_reasons(check_call(sctx, actor_of(sctx, "cid"), "C1")) == [NOT_CERTIFIED]


def test_a_trainee_cannot_call_at_all(sctx):
    newcomer(sctx, "tia", "trainee")
    with pytest.raises(PermissionDenied, match="a trainee may not do this"):
        check_call(sctx, actor_of(sctx, "tia"), "C1")


def test_the_rule_switched_off_lets_uncertified_staff_call(sctx):
    newcomer(sctx)
    sctx.policy = calls_policy({"certified": {"enabled": False}})
    assert log(sctx, "cal").saved
    assert caller_refusal(sctx, None, "collector") is None


def test_a_token_naming_a_collector_is_judged_by_that_collector(sctx):
    dialler = token_actor("dialler", "collector", "东城支行", frozenset({"check", "call.log"}))
    # Asking the gate, a machine is nobody: no person to be certified.
    assert certified_reasons(check_call(sctx, dialler, "C1")) == []
    newcomer(sctx)
    refused = log_call(sctx, dialler, CallInput(customer_id="C1", outcome="no_answer", checklist=[]), collector="cal")
    assert [r.rule for r in refused.reasons] == ["certified"]
    saved = log_call(sctx, dialler, CallInput(customer_id="C1", outcome="no_answer", checklist=[]), collector="amy")
    assert saved.saved


def test_caller_refusal_is_what_the_work_list_shows(sctx):
    user_id = newcomer(sctx)
    assert caller_refusal(sctx, user_id, "collector") == NOT_CERTIFIED
    assert caller_refusal(sctx, user_id, "trainee") is None  # not judged by the rule (cannot call anyway)
    certify_on(sctx, user_id, TODAY)
    assert caller_refusal(sctx, user_id, "collector") is None
