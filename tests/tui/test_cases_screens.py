"""The supervisors' disputes and assignment screens, driven with the pilot: reached from the work list, the
command palette and the dashboard; a dispute resolved (the hold lifts), a borrower assigned, a branch balanced.
The screens bank: its reminded borrowers are callable, so the work list has rows (tests/support/screens.py)."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import Button, DataTable, TextArea

from collectui.domain.calls.record import check_call
from collectui.domain.staff.users import list_users
from collectui.tui.app import CollectApp
from collectui.tui.commands import WorkCommands
from collectui.tui.screens.assign import AssignScreen, BalanceScreen
from collectui.tui.screens.dashboard import DashboardScreen
from collectui.tui.screens.disputes import DisputesScreen, ResolveDisputeScreen
from tests.support.cli import SYSTEM, actor_of
from tests.support.tui import aio, settled, wait_for, work_list_ready

SIZE = (120, 34)


def _app(ctx, username: str, lang: str = "en") -> CollectApp:
    user = next(u for u in list_users(ctx, SYSTEM) if u.username == username)
    return CollectApp(ctx, lang=lang, refresh_on_start=False, user=user)


def _q(ctx, sql, *params):
    conn = sqlite3.connect(ctx.db.path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


async def _list(pilot):
    await wait_for(pilot, lambda: work_list_ready(pilot.app))
    return pilot.app.screen


def _pick(dialog, selector: str, name: str) -> None:
    next(b for b in dialog.query(f"{selector} RadioButton") if b.name == name).value = True


@pytest.mark.parametrize("username, shown", [("zhang", False), ("wang", True), ("root", True)])
@aio
async def test_the_keys_are_for_supervisors_and_in_the_palette(screens_bank, username, shown):
    bank = screens_bank
    app = _app(bank, username)
    async with app.run_test(size=SIZE) as pilot:
        work = await _list(pilot)
        labels = {str(hit.display) async for hit in WorkCommands(work).discover()}
        assert ("Disputes" in labels) is shown and ("Assign" in labels) is shown
        await pilot.press("v")
        await settled(pilot)
        assert isinstance(app.screen, DisputesScreen) is shown


@aio
async def test_resolve_a_dispute_and_the_hold_lifts(screens_bank):
    bank = screens_bank
    app = _app(bank, "wang")
    async with app.run_test(size=SIZE) as pilot:
        await _list(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, DisputesScreen) and app.screen.views is not None)
        screen = app.screen
        table = screen.query_one("#dsp-table", DataTable)
        assert table.row_count == 1 and [str(c) for c in table.get_row_at(0)][1] == "C0009"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResolveDisputeScreen))
        dialog = app.screen
        await pilot.press("ctrl+s")  # nothing chosen yet: refused in the dialog, nothing written
        await settled(pilot)
        assert "outcome" in str(dialog.query_one("#message").content).lower()
        _pick(dialog, "#rd-outcome", "upheld")
        await settled(pilot)
        sms = next(b for b in dialog.query("#rd-told RadioButton") if b.name == "sms")
        assert sms.disabled  # an upheld dispute is told by letter
        _pick(dialog, "#rd-outcome", "rejected")
        await settled(pilot)
        assert not sms.disabled
        _pick(dialog, "#rd-told", "sms")
        dialog.query_one("#rd-reason", TextArea).text = "核对借款合同与还款流水，欠款无误"
        await pilot.click("#rd-save")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: screen.views is not None and screen.views[0].status == "resolved_rejected")
    assert _q(bank, "SELECT status, told_by FROM dispute WHERE customer_id = 'C0009'") == [("resolved_rejected", "sms")]
    assert _q(bank, "SELECT COUNT(*) FROM sms_message WHERE message_id LIKE 'D%'") == [(1,)]
    reasons = [r.rule for r in check_call(bank, actor_of(bank, "zhang"), "C0009").reasons]
    assert "dispute_hold" not in reasons


@aio
async def test_the_dashboard_shows_overdue_disputes_and_opens_them(screens_bank):
    bank = screens_bank
    with bank.db.raw_write() as raw:  # opened on 11-01: the answer was due on 11-16
        raw.execute("UPDATE dispute SET opened_at = '2026-11-01T02:00:00+00:00' WHERE customer_id = 'C0009'")
    app = _app(bank, "wang")
    async with app.run_test(size=(140, 44)) as pilot:
        await _list(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.data is not None)
        figures = app.screen.data.figures
        assert figures["disputes_open"] == 1 and figures["disputes_overdue"] == 1
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, DisputesScreen) and app.screen.views is not None)
        row = app.screen.query_one("#dsp-table", DataTable).get_row_at(0)
        assert "OVERDUE" in str(row[5]) and row[5].style == "bold red"


@aio
async def test_assign_the_selected_borrower(screens_bank):
    bank = screens_bank
    app = _app(bank, "wang")
    async with app.run_test(size=SIZE) as pilot:
        work = await _list(pilot)
        await pilot.press("down")  # C0020, nobody's yet (C0030 at the top is zhang's)
        customer = work.selected_customer_id()
        assert _q(bank, "SELECT collector_id FROM loan WHERE customer_id = ?", customer) == [(None,)]
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AssignScreen) and app.screen.loads is not None)
        screen = app.screen
        assert screen.customer_id == customer
        rows = [e.username for e in screen.loads]
        assert rows == ["zhang", None]  # 城关支行 only: wang's branch
        await pilot.press("enter")  # the cursor is on zhang
        await wait_for(pilot, lambda: _q(bank, "SELECT COUNT(*) FROM assignment") == [(1,)])
    assert _q(bank, "SELECT u.username FROM work_item w JOIN staff_user u ON u.id = w.collector_id "
              "WHERE w.customer_id = ?", customer) == [("zhang",)]  # fmt: skip


@aio
async def test_balance_with_a_confirmation(screens_bank):
    bank = screens_bank
    with bank.db.write() as s:  # a second collector in 城关支行, with nothing yet
        from collectui.domain.staff import users

        users.add_user(bank, SYSTEM, "chen", "collector", "城关支行", "correct-horse-9", "陈催收", session=s)
    app = _app(bank, "wang")
    async with app.run_test(size=SIZE) as pilot:
        await _list(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AssignScreen) and app.screen.loads is not None)
        screen = app.screen
        free = next(e.borrowers for e in screen.loads if e.username is None)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, BalanceScreen))
        dialog = app.screen
        assert len(dialog.result.moves) == free and dialog.result.dry_run
        assert _q(bank, "SELECT COUNT(*) FROM assignment") == [(0,)]  # a dry run until confirmed
        await pilot.press("escape")  # cancelled: nothing written
        await wait_for(pilot, lambda: app.screen is screen)
        assert _q(bank, "SELECT COUNT(*) FROM assignment") == [(0,)]
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, BalanceScreen))
        app.screen.query_one("#bal-ok", Button).press()
        await wait_for(pilot, lambda: _q(bank, "SELECT COUNT(*) FROM assignment") == [(free,)])
        await wait_for(pilot, lambda: not screen.busy and all(e.username for e in screen.loads or [None]))
        loads = {e.username: e.borrowers for e in screen.loads}
    assert abs(loads["chen"] - loads["zhang"]) <= 2


@aio
async def test_a_collector_cannot_open_the_screens(screens_bank):
    bank = screens_bank
    from tests.support.tui import ScreenHost

    zhang = next(u for u in list_users(bank, SYSTEM) if u.username == "zhang")
    for screen_class in (DisputesScreen, AssignScreen):
        app = ScreenHost(bank, zhang, screen_class)
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot)
            assert not isinstance(app.screen, screen_class)
