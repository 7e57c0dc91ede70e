"""The language switch inside the running app: ctrl+l and the command palette turn every open screen's text
to the other language at once (keys, titles, tables, figures), keep each screen's state, and wait while a
dialog is open."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from collectui.tui.screens.dashboard import DashboardScreen
from collectui.tui.screens.filters import FilterScreen
from collectui.tui.screens.help import HelpScreen
from collectui.tui.screens.worklist import WorkListScreen
from tests.support.tui import aio, settled, wait_for, work_list_ready
from tests.tui.test_snapshots import _app


def screen_text(app) -> str:
    """What the terminal shows now, line by line (cells as characters)."""
    return "\n".join("".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips())


def _dashboard_ready(app) -> bool:
    return isinstance(app.screen, DashboardScreen) and app.screen.data is not None


@aio
async def test_ctrl_l_switches_every_open_screen_and_back(screens_bank):
    app = _app(screens_bank, "zh", "wang")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        work_list = app.screen
        await pilot.press("down", "down")
        assert work_list.table.cursor == 2
        await pilot.press("d")
        await wait_for(pilot, lambda: _dashboard_ready(app))
        await settled(pilot)
        assert "主管看板" in screen_text(app) and "PAR30" in screen_text(app)

        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.lang == "en" and _dashboard_ready(app))
        await wait_for(pilot, lambda: "Outstanding" in screen_text(app))
        shown = screen_text(app)
        assert "Supervisor dashboard" in shown and "Complaints (by deadline)" in shown
        assert "主管看板" not in shown and "投诉（按截止日期）" not in shown
        assert "supervisor" in app.sub_title

        await pilot.press("escape")  # the work list underneath is in English too, its cursor where it was
        await wait_for(pilot, lambda: isinstance(app.screen, WorkListScreen) and work_list_ready(app))
        await wait_for(pilot, lambda: "Rank" in screen_text(app))
        shown = screen_text(app)
        assert "Overdue" in shown and "Search" in shown and "排名" not in shown and "搜索" not in shown
        assert app.screen is work_list and work_list.table.cursor == 2
        assert "中文" in shown  # the footer names the language ctrl+l switches to

        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.lang == "zh" and "排名" in screen_text(app))
        assert "Rank" not in screen_text(app)


@aio
async def test_the_palette_offers_the_switch_in_both_words(screens_bank):
    app = _app(screens_bank, "en", "zhang")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"语言")  # found by the word of either language
        await settled(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.lang == "zh" and "排名" in screen_text(app))
        assert isinstance(app.screen, WorkListScreen)


@aio
async def test_the_switch_waits_while_a_dialog_is_open(screens_bank):
    app = _app(screens_bank, "en", "wang")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.press("ctrl+l")
        await settled(pilot)
        assert app.lang == "en" and isinstance(app.screen, FilterScreen)
        assert any("Close the dialog" in str(n.message) for n in app._notifications)


@aio
async def test_the_help_lists_the_switch(screens_bank):
    app = _app(screens_bank, "zh", "zhang")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert ("^l", "English") in app.screen.rows()


OPENERS = {
    "ProfileScreen": ("enter",),
    "DashboardScreen": ("d",),
    "SmsScreen": ("m",),
    "RefusalsScreen": ("x",),
    "DisputesScreen": ("v",),
    "AssignScreen": ("a",),
    "PlansScreen": ("app.plans",),
    "UnfinishedCallsScreen": ("app.unfinished_calls",),
    "TrainingHubScreen": ("app.training",),
}


@aio
@pytest.mark.parametrize("name", sorted(OPENERS))
async def test_every_full_screen_takes_the_switch(screens_bank, name):
    """Each screen a supervisor opens shows its title in the other language after ctrl+l, and in the first
    one again after a second ctrl+l (composed and mounted again without an error), the list still under it."""
    app = _app(screens_bank, "zh", "wang")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        for step in OPENERS[name]:
            if step.startswith("app."):
                await app.screen.run_action(step)
            else:
                await pilot.press(step)
        await wait_for(pilot, lambda: type(app.screen).__name__ == name)
        await app.workers.wait_for_complete()
        await settled(pilot)
        screen, zh_title = app.screen, app.screen.title
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.lang == "en")
        await app.workers.wait_for_complete()
        await settled(pilot)
        assert app.screen is screen and len(app.screen_stack) >= 3
        if zh_title:
            assert screen.title != zh_title and not any("\u4e00" <= ch <= "\u9fff" for ch in screen.title[:4])
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.lang == "zh")
        await app.workers.wait_for_complete()
        await settled(pilot)
        assert app.screen is screen and screen.title == zh_title
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkListScreen))
