"""Pilot tests of the call flow: allowed (number, timer, form, inline problems, save) and refused."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select
from textual.app import App
from textual.widgets import Button, Checkbox, Input, Select, Static

from collectui.domain.calls import outcomes as oc
from collectui.domain.staff.users import UserView
from collectui.storage.models import AuditEvent, CallAttempt, Promise
from collectui.tui.i18n.calls import STRINGS
from collectui.tui.screens.call import CallScreen
from collectui.tui.screens.refusals import RefusalsScreen
from tests.support.calls import at, calls_policy, log, seed
from tests.support.tui import wait_for

SIZE = (100, 60)


class CallTestApp(App[None]):
    """The least an app must give the call screens: ``ctx``, ``user`` and ``t``."""

    def __init__(self, ctx, user: UserView, make_screen) -> None:
        self.ctx, self.user, self._make = ctx, user, make_screen
        self.first = None
        super().__init__()
        self.result = "not dismissed"

    def t(self, key: str, **kw) -> str:
        text = STRINGS.get(key, (key, key))[1]
        return text.format(**kw) if kw else text

    def on_mount(self) -> None:
        self.first = self._make()
        self.push_screen(self.first, callback=self._done)

    def _done(self, value) -> None:
        self.result = value


def user(ctx, name, role="collector"):
    from collectui.storage.models import StaffUser

    with ctx.db.read() as s:
        row = s.exec(select(StaffUser).where(StaffUser.username == name)).one()
    return UserView(row.id, row.username, row.display_name, role, "东城支行", True, False)


@pytest.fixture
def sctx(ctx):
    seed(ctx)
    ctx.policy = calls_policy()
    return ctx


def text_of(screen, selector) -> str:
    return str(screen.query_one(selector, Static).content)


def rows(ctx):
    with ctx.db.read() as s:
        return list(s.exec(select(CallAttempt)))


def test_allowed_call_full_flow(sctx):
    asyncio.run(_allowed_call_full_flow(sctx))


async def _allowed_call_full_flow(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.first is not None)
        screen = app.first
        await wait_for(pilot, lambda: screen.call is not None)
        assert "13812340001" in text_of(screen, "#call-number")  # in full, for this call
        assert "Allowed" in text_of(screen, "#call-gate")
        assert rows(sctx)[0].status == "started"
        save = screen.query_one("#call-save", Button)
        assert save.disabled
        # Choose an outcome: only its checklist items show; Save stays off until they are ticked.
        screen.query_one("#f-outcome", Select).value = "callback"
        await wait_for(pilot, lambda: "missing" in text_of(screen, "#err-checklist"))
        shown = [i for i in oc.CHECK_ITEMS if screen.query_one(f"#chk-{i}", Checkbox).display]
        assert shown == list(oc.checklist_for("callback", False))
        assert "recording" in text_of(screen, "#err-recording")
        assert save.disabled
        for item in shown:
            screen.query_one(f"#chk-{item}", Checkbox).value = True
        screen.query_one("#f-recording", Input).value = "rec-42"
        await wait_for(pilot, lambda: not save.disabled)
        # A forbidden phrase in the notes: shown beside the field, Save off again.
        screen.query_one("#f-notes", Input).value = "不还就 坐 牢"
        await wait_for(pilot, lambda: "坐牢" in text_of(screen, "#err-notes"))
        assert save.disabled
        screen.query_one("#f-notes", Input).value = "客户约周五回电"
        await wait_for(pilot, lambda: not save.disabled)
        await pilot.click("#call-save")
        await wait_for(pilot, lambda: app.result != "not dismissed")
    (row,) = rows(sctx)
    assert app.result == row.id and row.status == "logged" and row.outcome == "callback"
    assert row.right_party and row.recording_ref == "rec-42"
    with sctx.db.read() as s:
        # (after the audit key's baseline of the seeded rows: audit.*)
        actions = [e.action for e in s.exec(select(AuditEvent)) if not e.action.startswith("audit.")]
    assert actions[:3] == ["call.start", "call.unmask_number", "call.log"]


def test_promise_fields_and_inline_problems(sctx):
    asyncio.run(_promise_fields_and_inline_problems(sctx))


async def _promise_fields_and_inline_problems(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.first is not None)
        screen = app.first
        await wait_for(pilot, lambda: screen.call is not None)
        assert not screen.query_one("#promise-box").has_class("active")
        screen.query_one("#f-outcome", Select).value = "promise_to_pay"
        await wait_for(pilot, lambda: screen.query_one("#promise-box").has_class("active"))
        for item in oc.checklist_for("promise_to_pay", False):
            screen.query_one(f"#chk-{item}", Checkbox).value = True
        screen.query_one("#f-recording", Input).value = "r1"
        screen.query_one("#f-promise_amount", Input).value = "99999"
        screen.query_one("#f-promise_date", Input).value = "2027-03-01"
        await wait_for(
            pilot,
            lambda: (
                "outstanding" in text_of(screen, "#err-promise_amount")
                and "after" in text_of(screen, "#err-promise_date")
            ),
        )
        assert screen.query_one("#call-save", Button).disabled
        screen.query_one("#f-promise_amount", Input).value = "500"
        screen.query_one("#f-promise_date", Input).value = "2026-12-05"
        await wait_for(pilot, lambda: not screen.query_one("#call-save", Button).disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.result != "not dismissed")
    with sctx.db.read() as s:
        promise = s.exec(select(Promise)).one()
    assert promise.amount_fen == 50_000 and promise.call_id == app.result


def test_refused_call_shows_rules_and_records_the_attempt(sctx):
    asyncio.run(_refused_call_shows_rules_and_records_the_attempt(sctx))


async def _refused_call_shows_rules_and_records_the_attempt(sctx):
    sctx.clock.advance(timedelta(hours=12, minutes=30))  # 22:30
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.first is not None)
        screen = app.first
        await wait_for(pilot, lambda: "call_window" in text_of(screen, "#call-gate"))
        gate_text = text_of(screen, "#call-gate")
        assert "Not allowed" in gate_text and "22:30" in gate_text
        assert screen.call is None and text_of(screen, "#call-number") == ""
        assert not screen.query_one("#call-form").has_class("active")
        assert screen.query_one("#call-save", Button).disabled
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result is None)
    (row,) = rows(sctx)
    assert row.status == "refused" and row.refused_rules == ["call_window"]
    with sctx.db.read() as s:
        assert [e.action for e in s.exec(select(AuditEvent)) if not e.action.startswith("audit.")] == ["call.refused"]


def test_borrower_refused_then_third_party_contact_dialled(sctx):
    asyncio.run(_borrower_refused_then_third_party_contact_dialled(sctx))


async def _borrower_refused_then_third_party_contact_dialled(sctx):

    for minute in range(6):  # six unanswered today: the borrower's number is used up, and unreachable
        assert log(sctx, outcome="no_answer", when=at(28, 9, minute)).saved
    app = CallTestApp(sctx, user(sctx, "bob"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.first is not None)
        screen = app.first
        await wait_for(pilot, lambda: "daily_attempts" in text_of(screen, "#call-gate"))
        assert screen.call is None
        picker = screen.query_one("#call-target", Select)
        await wait_for(pilot, lambda: [v for _, v in picker._options if isinstance(v, str)] == ["debtor", "K1"])
        picker.value = "K1"
        await pilot.click("#call-dial")
        await wait_for(pilot, lambda: screen.call is not None)
        assert "13900000001" in text_of(screen, "#call-number")
        offered = [v for _, v in screen.query_one("#f-outcome", Select)._options if isinstance(v, str)]
        assert offered == list(oc.outcomes_for(True)) and "promise_to_pay" not in offered
        screen.query_one("#f-outcome", Select).value = "callback"
        await wait_for(pilot, lambda: "missing" in text_of(screen, "#err-checklist"))
        shown = [i for i in oc.CHECK_ITEMS if screen.query_one(f"#chk-{i}", Checkbox).display]
        assert shown == ["identified", "recorded_notice", "no_threats", "no_disclosure"]
    statuses = sorted(r.status for r in rows(sctx))
    assert statuses == ["logged"] * 6 + ["refused", "started"]


def test_refusals_screen_for_supervisors(sctx):
    asyncio.run(_refusals_screen_for_supervisors(sctx))


async def _refusals_screen_for_supervisors(sctx):

    sctx.clock.current = at(28, 23)  # logged as it happened (a call is never logged ahead of the clock)
    log(sctx, outcome="no_answer", when=at(28, 23))
    sctx.clock.current = at(28, 10)
    log(sctx, outcome="no_answer", contact="K1", when=at(28, 9))
    app = CallTestApp(sctx, user(sctx, "sue", "supervisor"), lambda: RefusalsScreen())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.first is not None)
        screen = app.first
        table = screen.query_one("#ref-per-rule")
        await wait_for(pilot, lambda: table.row_count == 2)
        ids = sorted(str(table.get_row_at(i)[1]) for i in range(2))
        assert ids == ["call_window", "third_party_not_allowed"]
        assert screen.query_one("#ref-attempts").row_count == 2
        assert "2 refused" in text_of(screen, "#ref-head")


def test_refusals_screen_not_for_collectors(sctx):
    asyncio.run(_refusals_screen_not_for_collectors(sctx))


async def _refusals_screen_not_for_collectors(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: RefusalsScreen())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.first is not None)
        await wait_for(pilot, lambda: app.result is None)
