"""Pilot tests of the call screen: pick, check (nothing written), dial (the number), the form, save or cancel.

Borrower C1 (tests/support/calls.py) has her own number 13812340001 and a spouse, contact K1, 13900000001.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from textual.app import App
from textual.widgets import Button, Checkbox, Input, Select, Static

from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.record import check_call, start_call
from collectui.domain.staff.users import UserView
from collectui.storage.models import AuditEvent, CallAttempt, Customer, Promise
from collectui.tui.i18n import Translator
from collectui.tui.screens.call import CallScreen
from collectui.tui.screens.call_dialogs import AfterCallScreen, ConfirmCancelScreen
from collectui.tui.screens.refusals import RefusalsScreen
from collectui.tui.widgets.call.picker import TargetPicker
from tests.support.calls import at, calls_policy, log, seed
from tests.support.cli import actor_of
from tests.support.tui import aio, click, wait_for

SIZE = (100, 60)


class CallTestApp(App[None]):
    """The least an app must give the call screens: ``ctx``, ``user`` and ``t``; records the dismissal."""

    def __init__(self, ctx, user: UserView, make_screen) -> None:
        self.ctx, self.user, self._make = ctx, user, make_screen
        self._t = Translator("en")
        self.first = None
        super().__init__()
        self.result = "not dismissed"

    def t(self, key: str, **kw) -> str:
        return self._t(key, **kw)

    def error_text(self, exc: BaseException) -> str:  # as collectui.tui.app.CollectApp
        return self._t.error(exc)

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
        return list(s.exec(select(CallAttempt).order_by(CallAttempt.id)))


def actions(ctx):
    # (after the audit key's baseline of the seeded rows: audit.*)
    with ctx.db.read() as s:
        return [e.action for e in s.exec(select(AuditEvent)) if not e.action.startswith("audit.")]


async def picker_ready(pilot, app):
    await wait_for(pilot, lambda: app.first is not None)
    screen = app.first
    await wait_for(pilot, lambda: screen.query_one("#call-picker", TargetPicker).row_count > 0)
    return screen


async def pick(pilot, screen, value: str) -> None:
    picker = screen.query_one("#call-picker", TargetPicker)
    picker.move_to(value)
    await wait_for(pilot, lambda: picker.current() is not None and picker.current().value == value)


async def check_and_dial(pilot, screen, value: str = "debtor") -> None:
    await pick(pilot, screen, value)
    await click(pilot, "#call-check")
    await wait_for(pilot, lambda: not screen.query_one("#call-dial", Button).disabled)
    await click(pilot, "#call-dial")
    await wait_for(pilot, lambda: screen.call is not None and screen.problems.get("outcome") != ["…"])


# --- the picker: every number and its state, nothing checked -------------------------------------------------


@aio
async def test_picker_shows_every_number_and_checks_nothing(sctx):
    with sctx.db.write() as s:
        s.get(Customer, "C1").phone_invalid = True
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        picker = screen.query_one("#call-picker", TargetPicker)
        assert [t.value for t in picker.targets] == ["debtor", "K1"]
        first = [str(c) for c in picker.get_row_at(0)]
        assert "138****0001" in first[1] and "13812340001" not in " ".join(first)
        assert first[2] == "0/6" and "invalid number" in first[3]
        second = [str(c) for c in picker.get_row_at(1)]
        assert "spouse" in second[0] and "139****0001" in second[1] and second[3] == ""
        # Nothing shown in full, nothing checked, nothing written; Dial off until a check allows it.
        assert text_of(screen, "#call-number") == "" and text_of(screen, "#call-gate") == ""
        assert screen.query_one("#call-dial", Button).disabled
        assert not screen.query_one("#call-form").has_class("active")
        # The picker and the buttons are in the Tab order (they were disabled and out of it before).
        assert app.focused is picker
        await pilot.press("tab")
        assert app.focused is screen.query_one("#call-check", Button)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#call-back", Button)  # Dial is off: skipped
    assert rows(sctx) == [] and actions(sctx) == []


@aio
async def test_invalid_own_number_refused_then_third_party_dialled(sctx):
    """TR0006 in small: the borrower's number is invalid and 3 attempts failed; her spouse may be called."""
    for minute in range(3):
        assert log(sctx, outcome="unreachable", when=at(28, 9, minute)).saved
    with sctx.db.write() as s:
        s.get(Customer, "C1").phone_invalid = True
    app = CallTestApp(sctx, user(sctx, "bob"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await pilot.press("enter")  # Enter on the picker: Check the borrower's own number
        await wait_for(pilot, lambda: "invalid_number" in text_of(screen, "#call-gate"))
        gate = text_of(screen, "#call-gate")
        assert "Not allowed" in gate and "Pick another number" in gate
        assert screen.query_one("#call-dial", Button).disabled and screen.call is None
        await pick(pilot, screen, "K1")
        assert text_of(screen, "#call-gate") == ""  # the verdict was about the other number
        await check_and_dial(pilot, screen, "K1")
        assert "13900000001" in text_of(screen, "#call-number")
        offered = [v for _, v in screen.query_one("#f-outcome", Select)._options if isinstance(v, str)]
        assert offered == list(oc.outcomes_for(True)) and "promise_to_pay" not in offered
        screen.query_one("#f-outcome", Select).value = "third_party"
        await wait_for(pilot, lambda: "missing" in text_of(screen, "#err-checklist"))
        shown = [i for i in oc.CHECK_ITEMS if screen.query_one(f"#chk-{i}", Checkbox).display]
        assert shown == ["identified", "recorded_notice", "no_threats", "no_disclosure"]
        for item in shown:
            screen.query_one(f"#chk-{item}", Checkbox).value = True
        screen.query_one("#f-recording", Input).value = "rec-7"
        await wait_for(pilot, lambda: not screen.query_one("#call-save", Button).disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AfterCallScreen))  # connected: feedback offered
        await click(pilot, "#after-done")
        await wait_for(pilot, lambda: app.result != "not dismissed")
    last = rows(sctx)[-1]
    assert app.result == last.id and last.status == "logged" and last.contact_id == "K1"
    assert last.outcome == "third_party" and not last.right_party
    # Checking wrote nothing: the only rows are the 3 logged calls and the one dialled.
    assert [r.status for r in rows(sctx)] == ["logged"] * 4


# --- cancel before and after the number is shown -------------------------------------------------------------


@aio
async def test_cancel_before_dial_writes_nothing(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await click(pilot, "#call-check")
        await wait_for(pilot, lambda: "Allowed" in text_of(screen, "#call-gate"))
        assert app.focused is screen.query_one("#call-dial", Button)
        assert text_of(screen, "#call-number") == ""  # allowed, but not shown before Dial
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result is None)
    assert rows(sctx) == [] and actions(sctx) == []


@aio
async def test_cancel_after_dial_counts_and_frees_the_borrower(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await check_and_dial(pilot, screen)
        assert "13812340001" in text_of(screen, "#call-number")
        assert rows(sctx)[0].status == "started"
        # While amy is on the call another collector is refused (in_call)...
        assert "in_call" in [r.rule for r in check_call(sctx, actor_of(sctx, "bob"), "C1").reasons]
        await pilot.press("escape")  # nothing typed: no question
        await wait_for(pilot, lambda: app.result is None)
        assert any("counts as an unanswered attempt" in str(n.message) for n in app._notifications)
    (row,) = rows(sctx)
    assert row.status == "cancelled"
    # ... and allowed at once after the cancel.
    assert check_call(sctx, actor_of(sctx, "bob"), "C1").allowed
    assert "call.cancel" in actions(sctx)


@aio
async def test_cancel_with_a_half_filled_form_asks_first(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await check_and_dial(pilot, screen)
        screen.query_one("#f-notes", Input).value = "客户说明天再打"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmCancelScreen))
        await pilot.press("escape")  # keep the form
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.query_one("#f-notes", Input).value == "客户说明天再打"
        assert rows(sctx)[0].status == "started"
        await pilot.click("#call-cancel")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmCancelScreen))
        await pilot.click("#confirm-yes")
        await wait_for(pilot, lambda: app.result is None)
    assert rows(sctx)[0].status == "cancelled"


# --- the form: inline problems, promise, callback, dispute ---------------------------------------------------


@aio
async def test_callback_needs_a_time_and_saves_it(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await check_and_dial(pilot, screen)
        save = screen.query_one("#call-save", Button)
        assert save.disabled and not screen.query_one("#callback-box").has_class("active")
        screen.query_one("#f-outcome", Select).value = "callback"
        await wait_for(pilot, lambda: "missing" in text_of(screen, "#err-checklist"))
        assert screen.query_one("#callback-box").has_class("active")
        shown = [i for i in oc.CHECK_ITEMS if screen.query_one(f"#chk-{i}", Checkbox).display]
        assert shown == list(oc.checklist_for("callback", False))
        for item in shown:
            screen.query_one(f"#chk-{item}", Checkbox).value = True
        screen.query_one("#f-recording", Input).value = "rec-42"
        await wait_for(pilot, lambda: "when to call back" in text_of(screen, "#err-callback_at"))  # required
        assert save.disabled
        screen.query_one("#f-callback_at", Input).value = "2026-11-28 25:99"
        await wait_for(pilot, lambda: "is not a time" in text_of(screen, "#err-callback_at"))
        assert save.disabled
        screen.query_one("#f-callback_at", Input).value = "09:00"  # before the call (10:00)
        await wait_for(pilot, lambda: "not after the call" in text_of(screen, "#err-callback_at"))
        assert save.disabled
        # A forbidden phrase in the notes: shown beside the field, Save off.
        screen.query_one("#f-callback_at", Input).value = "16:30"
        screen.query_one("#f-notes", Input).value = "不还就 坐 牢"
        await wait_for(pilot, lambda: "坐牢" in text_of(screen, "#err-notes"))
        assert save.disabled and text_of(screen, "#err-callback_at") == ""
        screen.query_one("#f-notes", Input).value = "客户约下午回电"
        await wait_for(pilot, lambda: not save.disabled)
        await click(pilot, "#call-save")
        await wait_for(pilot, lambda: isinstance(app.screen, AfterCallScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result != "not dismissed")
    (row,) = rows(sctx)
    assert app.result == row.id and row.status == "logged" and row.outcome == "callback"
    assert row.callback_at is not None and row.callback_at.astimezone(at(28, 0).tzinfo).hour == 16
    assert actions(sctx)[:3] == ["call.start", "call.unmask_number", "call.log"]


@aio
async def test_dispute_needs_a_reason(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await check_and_dial(pilot, screen)
        screen.query_one("#f-outcome", Select).value = "dispute"
        await wait_for(pilot, lambda: text_of(screen, "#err-dispute_reason") != "")
        assert screen.query_one("#dispute-box").has_class("active")
        reasons = [v for _, v in screen.query_one("#f-dispute_reason", Select)._options if isinstance(v, str)]
        assert reasons == ["amount_wrong", "not_my_loan", "already_paid", "other"]
        for item in oc.checklist_for("dispute", False):
            screen.query_one(f"#chk-{item}", Checkbox).value = True
        screen.query_one("#f-recording", Input).value = "rec-9"
        screen.query_one("#f-dispute_reason", Select).value = "already_paid"
        await wait_for(pilot, lambda: not screen.query_one("#call-save", Button).disabled)
        assert text_of(screen, "#err-dispute_reason") == ""
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AfterCallScreen))
    with sctx.db.read() as s:
        from collectui.storage.models import Dispute

        (dispute,) = s.exec(select(Dispute)).all()
    assert dispute.reason_code == "already_paid" and dispute.call_id == rows(sctx)[0].id


@aio
async def test_promise_fields_and_inline_problems(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await check_and_dial(pilot, screen)
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
        await wait_for(pilot, lambda: isinstance(app.screen, AfterCallScreen))
        await click(pilot, "#after-done")
        await wait_for(pilot, lambda: app.result != "not dismissed")
    with sctx.db.read() as s:
        promise = s.exec(select(Promise)).one()
    assert promise.amount_fen == 50_000 and promise.call_id == app.result


@aio
async def test_unanswered_call_saves_without_the_feedback_offer(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await check_and_dial(pilot, screen)
        screen.query_one("#f-outcome", Select).value = "no_answer"
        await wait_for(pilot, lambda: not screen.query_one("#call-save", Button).disabled)
        assert "no checklist" in text_of(screen, "#checklist-label")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.result != "not dismissed")
        assert not isinstance(app.screen, AfterCallScreen)
    (row,) = rows(sctx)
    assert app.result == row.id and row.outcome == "no_answer"


@aio
async def test_refused_at_dial_is_recorded(sctx):
    """Allowed at Check, refused at Dial (another collector dialled in between): the refusal is recorded."""
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await click(pilot, "#call-check")
        await wait_for(pilot, lambda: not screen.query_one("#call-dial", Button).disabled)
        assert start_call(sctx, actor_of(sctx, "bob"), "C1").gate.allowed
        await click(pilot, "#call-dial")
        await wait_for(pilot, lambda: "in_call" in text_of(screen, "#call-gate"))
        assert "this attempt is recorded" in text_of(screen, "#call-gate")
        assert screen.call is None and text_of(screen, "#call-number") == ""
        assert not screen.query_one("#call-form").has_class("active")
    assert [r.status for r in rows(sctx)] == ["started", "refused"]


@aio
async def test_outside_the_window_every_number_is_refused(sctx):
    sctx.clock.advance(timedelta(hours=12, minutes=30))  # 22:30
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await click(pilot, "#call-check")
        await wait_for(pilot, lambda: "call_window" in text_of(screen, "#call-gate"))
        assert "22:30" in text_of(screen, "#call-gate")
        assert screen.query_one("#call-dial", Button).disabled
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result is None)
    assert rows(sctx) == []  # a check is a question, not an attempt


# --- the supervisors' refusals screen (strings in the same catalogue) ----------------------------------------


@aio
async def test_refusals_screen_for_supervisors(sctx):
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


@aio
async def test_refusals_screen_not_for_collectors(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: RefusalsScreen())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.first is not None)
        await wait_for(pilot, lambda: app.result is None)


# --- after the call: feedback and numbers learned -------------------------------------------------------------


@aio
async def test_new_contact_during_the_call_and_feedback_after_it_carry_the_call_id(sctx):
    from collectui.tui.screens.contact_add import ContactAddScreen
    from collectui.tui.screens.feedback import FeedbackScreen

    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await check_and_dial(pilot, screen)
        call_id = screen.call_id
        await click(pilot, "#call-learned")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactAddScreen))
        assert (app.screen.customer_id, app.screen.call_id) == ("C1", call_id)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        screen.query_one("#f-outcome", Select).value = "refuses"
        for item in oc.checklist_for("refuses", False):
            screen.query_one(f"#chk-{item}", Checkbox).value = True
        screen.query_one("#f-recording", Input).value = "rec-1"
        await wait_for(pilot, lambda: not screen.query_one("#call-save", Button).disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AfterCallScreen))
        await click(pilot, "#after-feedback")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        assert (app.screen.customer_id, app.screen.call_id) == ("C1", call_id)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, AfterCallScreen))
        assert app.result == "not dismissed"  # the call screen waits for the offer to be done
        await click(pilot, "#after-done")
        await wait_for(pilot, lambda: app.result == call_id)


@aio
async def test_a_hardship_call_offers_a_payment_plan_agreed_on_it(sctx):
    from collectui.tui.screens.plan_propose import PlanProposeScreen

    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        await check_and_dial(pilot, screen)
        call_id = screen.call_id
        screen.query_one("#f-outcome", Select).value = "hardship"
        for item in oc.checklist_for("hardship", False):
            screen.query_one(f"#chk-{item}", Checkbox).value = True
        screen.query_one("#f-recording", Input).value = "rec-2"
        await wait_for(pilot, lambda: not screen.query_one("#call-save", Button).disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AfterCallScreen))
        await click(pilot, "#after-plan")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanProposeScreen))
        assert (app.screen.customer_id, app.screen.call_id) == ("C1", call_id)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, AfterCallScreen))
        await click(pilot, "#after-done")
        await wait_for(pilot, lambda: app.result == call_id)


@aio
async def test_her_other_number_learned_on_a_call_is_hers_and_unverified(sctx):
    """A number of the borrower herself (relation self), learned on call N: her outcomes, not a third party's."""
    from collectui.storage.models import Contact

    first = log(sctx, outcome="no_answer", when=at(28, 9))
    with sctx.db.write() as s:
        s.add(
            Contact(
                contact_id="K9",
                customer_id="C1",
                name="李四",
                relation="self",
                phone="13700000009",
                source="call",
                from_call_id=first.call_id,
            )
        )
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await picker_ready(pilot, app)
        picker = screen.query_one("#call-picker", TargetPicker)
        row = [str(c) for c in picker.get_row_at([t.value for t in picker.targets].index("K9"))]
        assert row[0] == "Borrower, other number" and row[1] == "137****0009"
        assert row[3] == f"unverified (from call {first.call_id})"
        await check_and_dial(pilot, screen, "K9")
        assert "13700000009" in text_of(screen, "#call-number")
        offered = [v for _, v in screen.query_one("#f-outcome", Select)._options if isinstance(v, str)]
        assert offered == list(oc.outcomes_for(False))  # she can promise, dispute, claim hardship


@aio
async def test_ctrl_s_on_a_form_with_problems_says_why_and_shows_the_first_one(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await picker_ready(pilot, app)
        await check_and_dial(pilot, screen)
        screen.query_one("#f-outcome", Select).value = "promise_to_pay"
        await wait_for(pilot, lambda: text_of(screen, "#err-checklist") != "")
        assert screen.query_one("#call-save", Button).disabled
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("Not saved yet" in str(n.message) for n in app._notifications))
        assert [r.status for r in rows(sctx)] == ["started"]  # nothing saved
