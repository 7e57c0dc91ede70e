"""The dashboard's weekly charts label their weeks "W48" in English and by the Monday's date ("11-23") in
Chinese: a week number reads as foreign in Chinese, and "第48周" would put the axis out of line (plotext
counts a Chinese character as one cell)."""

from __future__ import annotations

import re

import pytest
from textual_plotext import PlotextPlot

from collectui.tui.screens.dashboard import DashboardScreen, week_tick
from tests.support.dashboard import BOSS
from tests.support.tui import ScreenHost, aio
from tests.tui.test_dashboard import _settle


def test_week_tick():
    assert week_tick("2026-W48", "en") == "W48"
    assert week_tick("2026-W48", "zh") == "11-23"  # the Monday of ISO week 48 of 2026
    assert week_tick("2027-W01", "zh") == "01-04"


def _axis_labels(plot: PlotextPlot) -> str:
    """The chart's last line (its x tick labels), without colours."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", plot.plt.build())
    return text.rstrip("\n").splitlines()[-1]


@aio
@pytest.mark.parametrize("lang, label", [("zh", r"\d\d-\d\d"), ("en", r"W\d\d")])
async def test_the_weekly_charts_label_weeks_at_80x24(dash, lang, label):
    app = ScreenHost(dash, BOSS, DashboardScreen, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _settle(app, pilot)
        weeks = [week_tick(w, lang) for w in screen.data.weeks]
        for chart in ("#chart-rates", "#chart-csat"):
            axis = _axis_labels(screen.query_one(chart, PlotextPlot))
            shown = re.findall(label, axis)
            assert shown and set(shown) <= set(weeks), axis
            assert axis.isascii()  # every label is one cell a character: the axis stays in line
