"""The profile's loans table fits its width at 80, 100 and 160 columns in both languages: every header whole
(五级分类, or its short 分类, never "五…"), the classification and the amounts never cut."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.widgets import Static

from collectui.tui.app import CollectApp
from collectui.tui.i18n import Translator
from collectui.tui.widgets.profile.loans import FORMS
from tests.support.tui import aio, settled, wait_for, work_list


def _console(widget: Static) -> Console:
    return Console(width=widget.content_region.width, record=True, file=io.StringIO(), color_system=None)


def _shown(widget: Static) -> list[str]:
    """The loans table as the widget renders it, at the widget's own width."""
    console = _console(widget)
    console.print(widget.content)
    return [line.rstrip() for line in console.export_text().splitlines() if line.strip()]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size, form", [((80, 24), 2), ((100, 30), 1), ((160, 45), 0)])
@aio
async def test_the_loans_table_fits(bank, lang, size, form):
    t = Translator(lang)
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=size) as pilot:
        await work_list(pilot, "zhang")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfileScreen" and app.screen.profile)
        await settled(pilot)
        profile = app.screen.profile
        widget = app.screen.query_one("#body-loans", Static)
        console = _console(widget)
        chosen = widget.content.pick(console, console.options)
        assert chosen is widget.content.tables[form]  # the widest form that fits this width
        head, *rows = _shown(widget)
        assert "…" not in head
        short = ".s" if FORMS[form].short else ""
        assert t(f"pf.category{short}") in head and t(f"pf.dpd{short}") in head
        assert len(rows) == len(profile.loans)
        for loan, row in zip(profile.loans, rows, strict=True):
            assert row.endswith(t(f"cat.{loan.category}"))  # the last column, whole
            assert loan.loan_id in row and f"{loan.overdue_fen / 100:,.2f}" in row
