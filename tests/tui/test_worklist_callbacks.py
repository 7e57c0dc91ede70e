"""The work list's callbacks: the count in the header, the `b` filter, and the "call?" column saying why a
borrower is held back and until when (clock 2026-11-28 10:00 Asia/Shanghai)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from collectui.domain.portfolio.refresh import refresh
from collectui.domain.staff.users import list_users
from collectui.domain.worklist.rows import WorkRow
from collectui.storage.models import CallAttempt, StaffUser
from collectui.tui.app import CollectApp
from collectui.tui.i18n import Translator
from collectui.tui.widgets.worklist.format import call_cell
from tests.support.calls import calls_policy
from tests.support.cli import SYSTEM
from tests.support.clock import NOW, TZ
from tests.support.tui import aio, wait_for

SIZE = (120, 30)


def _callback(ctx, customer_id: str, when: datetime) -> None:
    """Yesterday's conversation in which the borrower asked to be called back at ``when``."""
    yesterday = NOW - timedelta(days=1)
    with ctx.db.write() as s:
        zhang = s.exec(select(StaffUser).where(StaffUser.username == "zhang")).one()
        s.add(
            CallAttempt(
                customer_id=customer_id,
                phone="13900020002",
                user_id=zhang.id,
                status="logged",
                started_at=yesterday,
                ended_at=yesterday,
                outcome="callback",
                connected=True,
                right_party=True,
                callback_at=when,
            )
        )


@pytest.fixture
def callbacks(bank):
    """The TUI bank with the reminder-SMS rule off (so the list has callable borrowers), C0002 due for a
    callback at 15:00 today and C0003 at 10:00 tomorrow."""
    bank.policy = calls_policy()
    _callback(bank, "C0002", datetime(2026, 11, 28, 15, 0, tzinfo=TZ))
    _callback(bank, "C0003", datetime(2026, 11, 29, 10, 0, tzinfo=TZ))
    refresh(bank)
    return bank


@aio
async def test_callbacks_due_today_counted_and_filtered_with_b(callbacks):
    user = next(u for u in list_users(callbacks, SYSTEM) if u.username == "zhang")
    app = CollectApp(callbacks, lang="en", refresh_on_start=False, user=user)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen" and app.screen.table.total)
        screen = app.screen
        everyone = screen.table.total
        assert everyone > 2 and screen.callbacks_due == 1
        await wait_for(pilot, lambda: "Callbacks due today: 1" in str(screen.query_one("#scope").content))
        await pilot.press("b")
        await wait_for(pilot, lambda: screen.work_filter.callbacks_due and screen.table.total == 1)
        await wait_for(pilot, lambda: screen.table.settled and screen.table.current_row is not None)
        row = screen.table.current_row
        assert row.customer_id == "C0002"
        assert screen.table._cells(row, 0)["call"] == "at 15:00"
        assert "Callbacks due only" in str(screen.query_one("#scope").content)
        await pilot.press("b")
        await wait_for(pilot, lambda: not screen.work_filter.callbacks_due and screen.table.total == everyone)


def _row(**kw) -> WorkRow:
    base = dict(
        rank=1,
        customer_id="C1",
        name="王*",
        phone="139****0001",
        branch="城关支行",
        dpd=40,
        bucket="M2",
        category="special_mention",
        overdue_fen=100,
        outstanding_fen=1000,
        score=100,
        reasons=[],
        callable=True,
        blocked_reason=None,
        last_contact_at=None,
        promise=None,
        as_of=date(2026, 11, 28),
    )
    return WorkRow(**{**base, **kw})


@pytest.mark.parametrize(
    "lang, row, expected",
    [
        ("en", _row(), "yes"),
        (
            "en",
            _row(callable=False, blocked_reason="sms_notice", blocked_until=NOW + timedelta(hours=1)),
            "reminder SMS, after 11:00",
        ),
        (
            "zh",
            _row(callable=False, blocked_reason="sms_notice", blocked_until=NOW + timedelta(hours=1)),
            "待发提醒短信 11:00后",
        ),
        # A promise pending lifts when the day after its date (and grace) begins: the day says it.
        (
            "en",
            _row(callable=False, blocked_reason="promise_pending", blocked_until=datetime(2026, 12, 6, tzinfo=TZ)),
            "promise pending, after 12-06",
        ),
        (
            "en",
            _row(callable=False, blocked_reason="daily_attempts", blocked_until=datetime(2026, 11, 29, 8, tzinfo=TZ)),
            "tries used, after 11-29 08:00",
        ),
        # Only an event lifts a hold: no time is promised.
        ("en", _row(callable=False, blocked_reason="complaint_hold"), "complaint hold"),
        ("zh", _row(callable=False, blocked_reason="dispute_hold"), "争议"),
        # A time already passed is not offered (the next refresh judges the row again).
        (
            "en",
            _row(callable=False, blocked_reason="sms_notice", blocked_until=NOW - timedelta(minutes=1)),
            "reminder SMS",
        ),
        # A rule the list has no short name for falls back to the gate's own name of it.
        ("en", _row(callable=False, blocked_reason="vulnerable_senior_only"), "Vulnerable borrower: supervisors only"),
        ("en", _row(callback_at=datetime(2026, 11, 28, 9, 30, tzinfo=TZ)), "at 09:30"),
        ("en", _row(callback_at=datetime(2026, 11, 27, 16, 0, tzinfo=TZ)), "at 11-27 16:00"),
        ("en", _row(callback_at=datetime(2026, 11, 29, 9, 30, tzinfo=TZ)), "yes"),
    ],
)
def test_call_column_says_why_and_until_when(lang, row, expected):
    assert call_cell(Translator(lang), row, NOW.astimezone(TZ)) == expected
