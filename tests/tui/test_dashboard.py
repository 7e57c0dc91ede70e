"""Pilot tests of the supervisor dashboard: it mounts with data, figures, charts and complaints (minimal host App)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from collectui.tui.screens.dashboard import DashboardScreen
from tests.support.dashboard import BOSS, COLLECTOR
from tests.support.tui import ScreenHost, aio, settled


async def _settle(app, pilot):
    for _ in range(50):
        await settled(pilot)
        await app.workers.wait_for_complete()
        screen = app.screen
        if isinstance(screen, DashboardScreen) and screen.data is not None:
            await settled(pilot)
            return screen
    return app.screen


@aio
@pytest.mark.parametrize("lang, overdue_mark, figure", [("en", "OVERDUE", "PAR30"), ("zh", "已超期", "逾期借款人")])
async def test_dashboard_mounts_with_data(dash, lang, overdue_mark, figure):
    app = ScreenHost(dash, BOSS, DashboardScreen, lang)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await _settle(app, pilot)
        assert isinstance(screen, DashboardScreen) and screen.data is not None
        console = Console(record=True, width=140, file=io.StringIO())
        console.print(screen.query_one("#figures", Static).content)
        text = console.export_text()
        assert figure in text and "100.0%" in text  # PAR30 of the branch: all its outstanding is over 30 DPD
        table = screen.query_one("#complaints", DataTable)
        assert table.row_count == 2
        first = [str(c) for c in table.get_row_at(0)]
        assert overdue_mark in first[5] and first[0] == str(screen.data.complaints[0].id)
        assert table.get_row_at(0)[5].style == "bold red"
        assert overdue_mark not in str(table.get_row_at(1)[5])
        for chart in ("#chart-buckets", "#chart-rates", "#chart-csat"):
            assert screen.query_one(chart, PlotextPlot).size.width > 0
        await pilot.press("r")
        screen = await _settle(app, pilot)
        assert screen.query_one("#complaints", DataTable).row_count == 2
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DashboardScreen)


@aio
async def test_dashboard_refuses_a_collector(dash):
    app = ScreenHost(dash, COLLECTOR, DashboardScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        assert not isinstance(app.screen, DashboardScreen)
