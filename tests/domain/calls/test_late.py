"""`call log --at`: at most calls.late_entry_minutes back, never before the borrower's latest event, never in
the future; later entries are a supervisor's, with a reason, marked and counted; the gate judges them at
their own time and counts them in that day's limits."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from collectui.domain.calls.record import CallInput, CallResult, log_call
from collectui.domain.errors import PermissionDenied
from collectui.domain.policy import policy_from_dict
from collectui.domain.reports.common import Params
from collectui.domain.reports.compliance import build as compliance
from collectui.domain.staff.actor import Actor
from tests.support import calls
from tests.support.clock import NOW, TZ


@pytest.fixture
def bank(ctx):
    ctx = dataclasses.replace(ctx, policy=calls.calls_policy())
    calls.seed(ctx)
    return ctx


def actor(ctx, name: str) -> Actor:
    with ctx.db.raw_read() as raw:  # a raw connection: its ``?`` placeholders are portable
        user_id, role = raw.execute("SELECT id, role FROM staff_user WHERE username = ?", (name,)).fetchone()
    return Actor(name=name, role=role, branch="东城支行", user_id=user_id, via="session")


def log(ctx, at: datetime | None, by: str = "amy", outcome: str = "no_answer", **kw) -> CallResult:
    collector = kw.pop("collector", None)
    data = CallInput(customer_id="C1", outcome=outcome, at=at, **kw)
    return log_call(ctx, actor(ctx, by), data, collector=collector)


def rows(ctx, sql: str):
    with ctx.db.raw_read() as raw:
        return raw.execute(sql).fetchall()


def fields(result: CallResult) -> list[str]:
    return [p.message for p in result.problems if p.field in ("at", "late_reason")]


def test_up_to_the_policy_minutes_back_is_an_ordinary_entry(bank):
    result = log(bank, NOW - timedelta(minutes=60))
    assert result.saved, result.problems
    assert rows(bank, "SELECT entered_late, late_reason FROM call_attempt") == [(0, None)]


def test_one_minute_more_needs_a_supervisors_reason_and_nothing_is_recorded(bank):
    result = log(bank, NOW - timedelta(minutes=61))
    assert not result.saved and result.exit_code == 1
    assert "more than 60 minutes ago: a late entry needs a supervisor's reason" in fields(result)[0]
    assert rows(bank, "SELECT COUNT(*) FROM call_attempt") == [(0,)]  # not even a refused attempt


def test_the_policy_sets_the_minutes(bank):
    tight = dataclasses.replace(
        bank, policy=policy_from_dict({**calls.calls_policy().data, "calls": {"late_entry_minutes": 10}})
    )
    assert not log(tight, NOW - timedelta(minutes=11)).saved
    assert log(tight, NOW - timedelta(minutes=10)).saved


def test_never_in_the_future(bank):
    assert log(bank, NOW + timedelta(minutes=5)).saved
    result = log(bank, NOW + timedelta(minutes=6))
    assert "is in the future" in fields(result)[0]


def test_never_before_the_borrowers_latest_recorded_event(bank):
    assert log(bank, NOW - timedelta(minutes=10)).saved
    result = log(bank, NOW - timedelta(minutes=20))
    assert "before this borrower's latest recorded event" in fields(result)[0]
    # Not even a supervisor's late entry goes before it.
    result = log(bank, NOW - timedelta(hours=3), by="sue", collector="amy", late_reason="paper log found")
    assert any("before this borrower's latest recorded event" in m for m in fields(result))


def test_a_collector_may_not_make_a_late_entry_and_the_refusal_is_audited(bank):
    with pytest.raises(PermissionDenied, match="late entry"):
        log(bank, NOW - timedelta(hours=2), late_reason="forgot to log it")
    assert rows(bank, "SELECT actor, target_id FROM audit_event WHERE action = 'access.denied'") == [
        ("amy", "call.late_entry")
    ]
    assert rows(bank, "SELECT COUNT(*) FROM call_attempt") == [(0,)]


def test_a_supervisors_late_entry_is_marked_audited_and_counted(bank):
    result = log(bank, NOW - timedelta(hours=2), by="sue", collector="amy", late_reason="dialler was offline")
    assert result.saved, result.problems
    [(user, late, reason)] = rows(
        bank,
        "SELECT u.username, c.entered_late, c.late_reason FROM call_attempt c JOIN staff_user u ON u.id = c.user_id",
    )
    assert (user, late, reason) == ("amy", 1, "dialler was offline")
    [(details,)] = rows(bank, "SELECT details FROM audit_event WHERE action = 'call.log'")
    assert '"late": true' in details and '"by": "sue"' in details
    data = compliance(bank, Params(date_from=NOW.date(), date_to=NOW.date())).data
    assert data["total"]["late_entries"] == 1
    assert data["late_entries"][0]["collector"] == "amy" and data["late_entries"][0]["reason"] == "dialler was offline"
    assert {c["collector"]: c["late_entries"] for c in data["by_collector"]}["amy"] == 1


def test_a_reason_on_an_entry_within_the_window_is_refused(bank):
    result = log(bank, NOW - timedelta(minutes=5), by="sue", late_reason="no need")
    assert "only a late entry takes a reason" in fields(result)[0]


def test_the_gate_judges_a_late_entry_at_its_own_time_and_counts_that_days_limits(bank):
    yesterday = datetime(2026, 11, 27, 9, 0, tzinfo=TZ)
    clock = bank.clock
    for n in range(6):  # six unanswered attempts yesterday, each logged as it happened
        clock.current = yesterday + timedelta(minutes=10 * n)
        assert log(bank, None).saved
    clock.current = NOW
    result = log(bank, yesterday + timedelta(hours=3), by="sue", collector="amy", late_reason="paper log")
    assert not result.saved and [r.rule for r in result.reasons] == ["daily_attempts"]
    # Today's limit is untouched by yesterday's attempts; and a late entry in the night is refused by the window.
    result = log(bank, datetime(2026, 11, 27, 22, 30, tzinfo=TZ), by="sue", collector="amy", late_reason="x y")
    assert not result.saved and "call_window" in [r.rule for r in result.reasons]
    assert log(bank, NOW - timedelta(minutes=1)).saved
