"""The supervisors' SMS screen: plan, confirm, send, see the states (Pilot, minimal host App)."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Static

from collectui.domain.staff.users import UserView
from collectui.storage.models import SmsMessage
from collectui.tui.screens.sms import SmsScreen
from tests.support.sms import add_borrowers
from tests.support.tui import ScreenHost, aio, settled

BOSS = UserView(2, "boss", "Boss", "supervisor", "城关支行", True, False)
COLLECTOR = UserView(1, "li", "Li", "collector", "城关支行", True, False)


async def settle(app, pilot, until):
    for _ in range(60):
        await settled(pilot)
        await app.workers.wait_for_complete()
        if until():
            return True
    return False


def states(ctx):
    with ctx.db.read() as s:
        return sorted(m.state for m in s.exec(select(SmsMessage)).all())


@aio
@pytest.mark.parametrize(
    "lang, queued_word, sent_word", [("en", "Queued 2", "Accepted 2 of 2"), ("zh", "已生成 2 条", "已受理 2/2")]
)
async def test_supervisor_plans_and_sends(ctx, lang, queued_word, sent_word):
    add_borrowers(ctx, 3, do_not_call=[0])
    app = ScreenHost(ctx, BOSS, SmsScreen, lang)
    async with app.run_test(size=(140, 40)) as pilot:
        assert await settle(app, pilot, lambda: isinstance(app.screen, SmsScreen) and app.screen.counts)
        screen = app.screen
        result = screen.query_one("#sms-result", Static)
        await pilot.press("p")
        assert await settle(app, pilot, lambda: queued_word in screen.last_result)
        assert "刘" not in screen.last_result  # the preview names no one, not even masked (刘芳)
        assert "0000-00000000" in screen.last_result  # the rendered text is previewed
        assert await settle(app, pilot, lambda: screen.query_one("#sms-messages", DataTable).row_count == 2)
        assert states(ctx) == ["pending", "pending"]
        await pilot.press("s")
        await settled(pilot)
        assert screen.asking == "send" and states(ctx) == ["pending", "pending"]  # nothing without y
        await pilot.press("y")
        assert await settle(app, pilot, lambda: sent_word in screen.last_result)
        assert states(ctx) == ["sent", "sent"]
        assert str(result.content) == screen.last_result
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SmsScreen)


@aio
async def test_escape_cancels_a_pending_confirmation(ctx):
    add_borrowers(ctx, 1)
    app = ScreenHost(ctx, BOSS, SmsScreen)
    async with app.run_test(size=(140, 40)) as pilot:
        assert await settle(app, pilot, lambda: isinstance(app.screen, SmsScreen) and app.screen.counts)
        screen = app.screen
        await pilot.press("p")
        assert await settle(app, pilot, lambda: screen.counts.get("pending") == 1)
        await pilot.press("s", "escape", "y")
        await settled(pilot)
        assert states(ctx) == ["pending"] and isinstance(app.screen, SmsScreen)


@aio
async def test_collectors_cannot_open_it(ctx):
    app = ScreenHost(ctx, COLLECTOR, SmsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        assert not isinstance(app.screen, SmsScreen)
