"""The call flow inside the real app: `c` on the work list opens the call screen for the selected row."""

from __future__ import annotations

from sqlmodel import select

from collectui.storage.models import CallAttempt
from collectui.tui.app import CollectApp
from collectui.tui.screens.call import CallScreen
from tests.support.calls import calls_policy
from tests.support.tui import aio, wait_for, work_list

SIZE = (100, 30)


def attempts(ctx, customer_id):
    with ctx.db.read() as s:
        return list(
            s.exec(select(CallAttempt).where(CallAttempt.customer_id == customer_id, CallAttempt.status != "logged"))
        )


def logged(ctx, customer_id):
    with ctx.db.read() as s:
        return list(
            s.exec(select(CallAttempt).where(CallAttempt.customer_id == customer_id, CallAttempt.status == "logged"))
        )


@aio
async def test_c_on_the_work_list_starts_a_call_and_saves_it(bank):
    bank.policy = calls_policy()
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        customer_id = screen.selected_customer_id()
        before = len(logged(bank, customer_id))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: call.call is not None)
        assert call.customer_id == customer_id
        assert call.call.phone in str(call.query_one("#call-number").content)
        call.query_one("#f-outcome").value = "no_answer"
        await wait_for(pilot, lambda: not call.query_one("#call-save").disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, CallScreen))
    rows = logged(bank, customer_id)
    assert len(rows) == before + 1 and any(r.outcome == "no_answer" for r in rows)


@aio
async def test_c_on_a_vulnerable_borrower_is_refused_for_a_collector(bank):
    bank.policy = calls_policy()
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        await pilot.press("slash", *"C0007", "enter")
        await wait_for(pilot, lambda: screen.selected_customer_id() == "C0007")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: "vulnerable_senior_only" in str(call.query_one("#call-gate").content))
        text = str(call.query_one("#call-gate").content)
        assert "不可拨打" in text and "仅限主管" in text
        assert call.call is None
    (row,) = attempts(bank, "C0007")
    assert row.status == "refused" and row.refused_rules == ["vulnerable_senior_only"]


@aio
async def test_x_opens_todays_refusals_for_supervisors_only(bank):
    from collectui.tui.screens.refusals import RefusalsScreen

    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        assert screen.check_action("refusals", ()) is False
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, RefusalsScreen)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "wang")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, RefusalsScreen))
