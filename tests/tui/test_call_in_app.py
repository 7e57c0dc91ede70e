"""The call flow inside the real app: `c` on the work list opens the picker for the selected row; calls started
and never recorded are shown after sign-in; the training borrower TR0006 (only a third party reachable).

On the screens bank: its reminders went out, so its work list has callable rows."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import select
from textual.widgets import Button, Checkbox, Input, Select

from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.record import start_call
from collectui.domain.context import Ctx
from collectui.domain.policy_store import active_policy
from collectui.storage.engine import Database
from collectui.storage.models import CallAttempt
from collectui.tui.app import CollectApp
from collectui.tui.commands import WorkCommands
from collectui.tui.screens.call import CallScreen
from collectui.tui.screens.call_dialogs import AfterCallScreen
from collectui.tui.screens.profile import ProfileScreen
from collectui.tui.screens.unfinished import UnfinishedCallsScreen
from collectui.tui.widgets.call.picker import TargetPicker
from tests.support.calls import calls_policy
from tests.support.cli import actor_of
from tests.support.tui import aio, click, settled, sign_in, wait_for, work_list, work_list_ready

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


async def open_call(pilot, app):
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
    call = app.screen
    await wait_for(pilot, lambda: call.query_one("#call-picker", TargetPicker).row_count > 0)
    return call


async def check(pilot, call, expect: str) -> None:
    await click(pilot, "#call-check")
    await wait_for(pilot, lambda: expect in str(call.query_one("#call-gate").content))


@aio
async def test_c_picks_checks_dials_and_saves(screens_bank):
    screens_bank.policy = calls_policy()
    app = CollectApp(screens_bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        customer_id = screen.selected_customer_id()
        before = len(logged(screens_bank, customer_id))
        call = await open_call(pilot, app)
        assert call.customer_id == customer_id and call.call is None
        await check(pilot, call, "Allowed")
        await pilot.press("enter")  # Dial has the focus once the check allows it
        await wait_for(pilot, lambda: call.call is not None)
        assert call.call.phone in str(call.query_one("#call-number").content)
        call.query_one("#f-outcome").value = "no_answer"
        await wait_for(pilot, lambda: not call.query_one("#call-save").disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, CallScreen))
    rows = logged(screens_bank, customer_id)
    assert len(rows) == before + 1 and any(r.outcome == "no_answer" for r in rows)


@aio
async def test_c_on_a_vulnerable_borrowers_profile_refuses_a_collector_and_writes_nothing(screens_bank):
    screens_bank.policy = calls_policy()
    app = CollectApp(screens_bank, lang="zh", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "zhang")
        before = attempts(screens_bank, "C0007")  # (today's refusals of the screens' bank)
        # Held back from the collector's list (supervisors only): `c` on her profile.
        app.push_screen(ProfileScreen("C0007"))
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen) and app.screen.profile is not None)
        call = await open_call(pilot, app)
        await check(pilot, call, "vulnerable_senior_only")
        text = str(call.query_one("#call-gate").content)
        assert "不可拨打" in text and "仅限主管" in text and "请选择其他号码" in text
        assert call.call is None and call.query_one("#call-dial").disabled
    assert attempts(screens_bank, "C0007") == before  # a check is a question: no refused attempt is recorded


@aio
async def test_x_opens_todays_refusals_for_supervisors_only(screens_bank):
    from collectui.tui.screens.refusals import RefusalsScreen

    app = CollectApp(screens_bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        assert screen.check_action("refusals", ()) is False
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, RefusalsScreen)
    app = CollectApp(screens_bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "wang")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, RefusalsScreen))


# --- calls started and never recorded --------------------------------------------------------------------------


@aio
async def test_sign_in_shows_unfinished_calls_and_one_is_recorded(screens_bank):
    screens_bank.policy = calls_policy()
    started = start_call(screens_bank, actor_of(screens_bank, "zhang"), "C0010")
    assert started.gate.allowed
    app = CollectApp(screens_bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "zhang")
        await wait_for(pilot, lambda: isinstance(app.screen, UnfinishedCallsScreen))
        screen = app.screen
        table = screen.query_one("#unf-table")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert str(table.get_row_at(0)[0]) == str(started.call_id)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen) and app.screen.target is not None)
        call = app.screen
        assert call.call_id == started.call_id and f"Recording call {started.call_id}" in str(
            call.query_one("#call-gate").content
        )
        assert str(call.query_one("#call-number").content) == ""  # the number is not shown again
        call.query_one("#f-outcome", Select).value = "no_answer"
        await wait_for(pilot, lambda: not call.query_one("#call-save", Button).disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and table.row_count == 0)
        assert "No unfinished calls" in str(screen.query_one("#unf-head").content)
        await pilot.press("escape")
        await wait_for(pilot, lambda: work_list_ready(app))
    (row,) = [r for r in logged(screens_bank, "C0010") if r.id == started.call_id]
    assert row.outcome == "no_answer"


@aio
async def test_no_unfinished_calls_no_interruption_and_the_palette_opens_the_list(screens_bank):
    app = CollectApp(screens_bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "zhang")
        await app.workers.wait_for_complete()
        await settled(pilot)
        assert not isinstance(app.screen, UnfinishedCallsScreen)
        provider = WorkCommands(app.screen)
        offered = dict((action, text) for text, action, _help in provider._actions())
        assert offered["app.unfinished_calls"] == "Unfinished calls"
        await app.screen.run_action("app.unfinished_calls")
        await wait_for(pilot, lambda: isinstance(app.screen, UnfinishedCallsScreen))
        await wait_for(pilot, lambda: "No unfinished calls" in str(app.screen.query_one("#unf-head").content))


# --- the training scenario TR0006: the borrower's number is invalid, 3 attempts failed ------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-tr") / "demo.db"
    from typer.testing import CliRunner

    from collectui.cli.app import build_app

    result = CliRunner().invoke(
        build_app(),
        ["--db", str(path), "demo", "--customers", "20", "--scenarios"],
        env={"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"},
    )
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def demo(demo_template, tmp_path):
    from collectui.clock import FixedClock
    from tests.support.clock import NOW, TZ

    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    db = Database(path)
    policy, version = active_policy(db)
    yield Ctx(db=db, clock=FixedClock(NOW, TZ), policy=policy, policy_version=version)
    db.dispose()


@aio
async def test_tr0006_own_number_invalid_third_party_called_end_to_end(demo):
    app = CollectApp(demo, lang="en", refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "hx-collector1", "demo-hx-collector1")
        await wait_for(pilot, lambda: work_list_ready(app))
        screen = app.screen
        await pilot.press("slash", *"TR0006", "enter")
        await wait_for(pilot, lambda: screen.selected_customer_id() == "TR0006")
        call = await open_call(pilot, app)
        picker = call.query_one("#call-picker", TargetPicker)
        assert [t.relation for t in picker.targets] == [None, "spouse", "emergency"]
        assert "invalid number" in str(picker.get_row_at(0)[3])
        await check(pilot, call, "invalid_number")  # the cursor starts on her own number
        await pilot.press("down")
        assert picker.current().relation == "spouse"
        await check(pilot, call, "Allowed")
        await click(pilot, "#call-dial")
        await wait_for(pilot, lambda: call.call is not None and call.problems.get("outcome") != ["…"])
        offered = [v for _, v in call.query_one("#f-outcome", Select)._options if isinstance(v, str)]
        assert "promise_to_pay" not in offered and "dispute" not in offered
        call.query_one("#f-outcome", Select).value = "third_party"
        await wait_for(pilot, lambda: "missing" in str(call.query_one("#err-checklist").content))
        for item in oc.checklist_for("third_party", True):
            call.query_one(f"#chk-{item}", Checkbox).value = True
        call.query_one("#f-recording", Input).value = "tr6-1"
        call.query_one("#f-notes", Input).value = "请配偶转告回电"
        await wait_for(pilot, lambda: not call.query_one("#call-save", Button).disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AfterCallScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: work_list_ready(app))
    (row,) = [r for r in logged(demo, "TR0006") if r.recording_ref == "tr6-1"]
    assert row.contact_id == "TR0006-K1" and row.outcome == "third_party" and not row.right_party
    assert attempts(demo, "TR0006") == []  # the refused check of her own number was not recorded
