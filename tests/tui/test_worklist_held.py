"""The work list says how many overdue borrowers it holds back (not callable now: do-not-call, holds, promises
pending, no reminder yet...) and that f shows them, in both languages and whole at 80x24; with the
include-not-callable filter on, the list holds nobody back and says nothing."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from collectui.tui.app import CollectApp
from tests.support.tui import aio, settled, wait_for, work_list

HELD = {"zh": "另有 5 人暂不可拨（f 筛选可显示）", "en": "5 more held back (f: filter to show them)"}
WORD = {"zh": "暂不可拨", "en": "held back"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
@aio
async def test_the_list_says_how_many_it_holds_back(bank, lang, size):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=size) as pilot:
        screen = await work_list(pilot, "zhang")  # 30 overdue in 城关支行, 25 callable (test_app)
        await wait_for(pilot, lambda: screen.held == 5 and screen.table.total == 25)
        await settled(pilot)
        shown = app.export_screenshot()
        assert HELD[lang].replace(" ", "&#160;") in shown  # whole, on screen
        assert screen.query_one("#scope", Static).region.height == (2 if size[0] == 80 else 1)
        await pilot.press("f")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FilterScreen")
        app.screen.query_one("#blocked").value = True
        await pilot.click("#apply")
        await wait_for(pilot, lambda: screen.table.total == 30 and screen.held == 0)
        await settled(pilot)
        assert WORD[lang] not in app.export_screenshot().replace("&#160;", " ")
