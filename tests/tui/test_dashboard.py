"""The supervisor dashboard: data service and a Pilot test that it mounts with data (minimal host App)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from rich.console import Console
from tests.support.report_rows import Seed, local
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot
from tests.support.tui import ScreenHost, aio

from collectui.domain.errors import PermissionDenied
from collectui.domain.reports.dashboard import dashboard_data
from collectui.domain.staff.users import UserView
from collectui.tui.screens.dashboard import DashboardScreen

TODAY = date(2026, 11, 28)
BOSS = UserView(2, "boss", "Boss", "supervisor", "城关支行", True, False)
ADMIN = UserView(3, "root", "Root", "admin", None, True, False)
COLLECTOR = UserView(1, "li", "Li", "collector", "城关支行", True, False)


@pytest.fixture
def dash(ctx):
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li")
        seed.user("boss", "supervisor")
        seed.user("root", "admin", branch="总行")
        seed.customer("C1", name="欧阳娜娜")
        seed.customer("C2", name="王五", branch="东街支行")
        seed.loan("L1", "C1", 45, 50000, 10000, TODAY, collector="li")
        seed.loan("L2", "C2", 200, 30000, 30000, TODAY)
        seed.call("C1", "li", local(2026, 11, 20), "promise_to_pay")
        seed.call("C1", "li", local(2026, 11, 21), "no_answer")
        seed.feedback("C1", local(2026, 11, 21), "negative", 2, 3, ["attitude"], "li")
        seed.feedback("C1", local(2026, 11, 22), "positive", 5, 10, collector="li")
        seed.complaint("C1", local(2026, 11, 1), date(2026, 11, 16), hold=True, collector="li")
        seed.complaint("C1", local(2026, 11, 20), date(2026, 12, 5), about="service")
        seed.complaint("C2", local(2026, 11, 2), date(2026, 11, 17))
    return ctx


def test_dashboard_data_scope_and_figures(dash):
    d = dashboard_data(dash, BOSS)
    assert d.branch == "城关支行"
    assert [c.due_on for c in d.complaints] == [date(2026, 11, 16), date(2026, 12, 5)]  # own branch, by deadline
    assert d.complaints[0].overdue and not d.complaints[1].overdue
    assert d.figures["overdue_borrowers"] == 1 and d.figures["par30"] == 1.0
    assert d.figures["rpc_rate_8w"] == 0.5 and d.figures["csat_8w"] == 0.5
    assert len(d.weeks) == 8 and d.weeks[-1] == "2026-W48" and d.rpc_rate[-2] == 0.5  # 20-21 Nov: W47
    everyone = dashboard_data(dash, ADMIN)
    assert everyone.branch is None and len(everyone.complaints) == 3 and everyone.figures["overdue_borrowers"] == 2
    with pytest.raises(PermissionDenied):
        dashboard_data(dash, COLLECTOR)


async def _settle(app, pilot):
    for _ in range(50):
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        screen = app.screen
        if isinstance(screen, DashboardScreen) and screen.data is not None:
            await pilot.pause(0.05)
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
        await pilot.pause(0.1)
        assert not isinstance(app.screen, DashboardScreen)
