"""Pilot tests of the unfinished-calls screen: calls started (the number shown) and never recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Button, DataTable, Select, Static

from collectui.domain.calls.record import check_call, start_call, unfinished_calls
from collectui.tui.screens.call import CallScreen
from collectui.tui.screens.unfinished import UnfinishedCallsScreen
from tests.support.calls import calls_policy, seed
from tests.support.cli import actor_of
from tests.support.tui import aio, wait_for
from tests.tui.test_call import CallTestApp, rows, user

SIZE = (100, 40)


@pytest.fixture
def sctx(ctx):
    seed(ctx, customers=2)
    ctx.policy = calls_policy()
    return ctx


def head(screen) -> str:
    return str(screen.query_one("#unf-head", Static).content)


async def listed(pilot, app, n: int):
    await wait_for(pilot, lambda: app.first is not None)
    screen = app.first
    table = screen.query_one("#unf-table", DataTable)
    await wait_for(pilot, lambda: table.row_count == n and len(screen.calls) == n)
    return screen, table


@aio
async def test_lists_the_persons_started_calls_and_records_one(sctx):
    first = start_call(sctx, actor_of(sctx, "amy"), "C1").call_id
    sctx.clock.advance(timedelta(minutes=20))  # past in_call's 15 minutes: abandoned
    second = start_call(sctx, actor_of(sctx, "amy"), "C2").call_id
    start_call(sctx, actor_of(sctx, "bob"), "C1")  # bob's: not amy's to record
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: UnfinishedCallsScreen())
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await listed(pilot, app, 2)
        cells = [[str(c) for c in table.get_row_at(i)] for i in range(2)]
        assert [c[0] for c in cells] == [str(second), str(first)]  # newest first
        assert cells[0][4] == "in progress" and cells[1][4].startswith("expired")
        assert "C2" in cells[0][1] and "C1" in cells[1][1]
        assert cells[1][2] == "Borrower 李* 138****0001"  # whom it went to, masked as in the picker
        table.move_cursor(row=1)
        await pilot.press("r")  # record the abandoned call: the form on that attempt, no picker
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen) and app.screen.target is not None)
        call = app.screen
        assert call.call_id == first and call.query_one("#call-pick").has_class("done")
        assert f"Recording call {first}" in str(call.query_one("#call-gate", Static).content)
        assert str(call.query_one("#call-cancel", Button).label) == "Back"
        call.query_one("#f-outcome", Select).value = "busy"
        await wait_for(pilot, lambda: not call.query_one("#call-save", Button).disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and table.row_count == 1)
        assert screen.calls[0].call_id == second
    recorded = next(r for r in rows(sctx) if r.id == first)
    assert recorded.status == "logged" and recorded.outcome == "busy"


@aio
async def test_back_from_a_resumed_call_writes_nothing(sctx):
    started = start_call(sctx, actor_of(sctx, "amy"), "C1").call_id
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: UnfinishedCallsScreen())
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await listed(pilot, app, 1)
        await pilot.press("enter")  # Enter on a row records it too
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen) and app.screen.target is not None)
        app.screen.query_one("#f-notes").value = "typed, then left"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
    (row,) = rows(sctx)
    assert row.id == started and row.status == "started"


@aio
async def test_cancel_from_the_list_counts_and_frees_the_borrower(sctx):
    started = start_call(sctx, actor_of(sctx, "amy"), "C1").call_id
    assert "in_call" in [r.rule for r in check_call(sctx, actor_of(sctx, "bob"), "C1").reasons]
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: UnfinishedCallsScreen())
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await listed(pilot, app, 1)
        await pilot.press("x")
        await wait_for(pilot, lambda: any("counts as an unanswered" in str(n.message) for n in app._notifications))
        # The list shows what the service now says about amy's unfinished calls.
        expected = unfinished_calls(sctx, actor_of(sctx, "amy"))
        await wait_for(pilot, lambda: [c.call_id for c in screen.calls] == [c.call_id for c in expected])
        assert all(c.state == "cancelled" for c in screen.calls)
    (row,) = rows(sctx)
    assert row.id == started and row.status == "cancelled"
    assert check_call(sctx, actor_of(sctx, "bob"), "C1").allowed


@aio
async def test_nothing_unfinished_says_so(sctx):
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: UnfinishedCallsScreen())
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await listed(pilot, app, 0)
        await wait_for(pilot, lambda: "No unfinished calls" in head(screen))
        assert screen.query_one("#unf-record", Button).disabled and screen.query_one("#unf-cancel", Button).disabled
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result is None)
