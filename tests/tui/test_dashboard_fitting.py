"""The dashboard at 80x24 and 160x45 in both languages: every key figure whole (short labels and compact money
where the full ones do not fit), every chart title shown, and the weekly rates chart aligned in Chinese
(plotext counts a Chinese character as one cell: nothing Chinese is drawn inside a chart)."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from rich.text import Text

from collectui.tui.screens.dashboard import DashboardScreen
from collectui.tui.widgets.dashboard.fitting import Figure, FigureGrid, Fitting, choose_layout
from tests.support.tui import aio, settled, wait_for, work_list_ready
from tests.tui.test_snapshots import _app


def _render(renderable, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text().splitlines()


FIGURES = [
    Figure("Outstanding", "Outst.", "¥1,040,704.50", "¥1.04M"),
    Figure("Overdue amount", "Ovd amt", "¥546,093.00", "¥546.1k"),
    Figure("PAR30", "PAR30", "100.0%", "100.0%"),
    Figure("逾期借款人", "逾期人数", "30", "30"),
    Figure("Overdue complaints", "Late compl.", "1", "1", "bold red"),
]


def test_full_labels_where_they_fit_short_ones_then_fewer_per_row():
    assert choose_layout(FIGURES, 160).short is False
    narrow = choose_layout(FIGURES, 78)
    assert narrow.short and narrow.per_row == 4
    assert choose_layout(FIGURES, 40).per_row < 4
    for width in (160, 78, 40, 20):
        text = "\n".join(_render(FigureGrid(FIGURES), width))
        assert "…" not in text
        layout = choose_layout(FIGURES, width)
        for f in FIGURES:
            label, value = (f.short_label, f.compact_value) if layout.short else (f.label, f.value)
            assert f"{label} {value}" in text, (width, label)


def test_a_title_takes_its_short_form_then_is_cut():
    title = Fitting(Text("Overdue borrowers by bucket (worst loan)"), Text("By bucket"))
    assert title.pick(60).plain == "Overdue borrowers by bucket (worst loan)"
    assert title.pick(20).plain == "By bucket"
    assert title.pick(5).plain == "By b…"
    assert Fitting(Text("逾期借款人分布"), Text("账龄")).pick(10).plain == "账龄"  # cells, not characters


def _screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


SIZES = [(80, 24), (160, 45)]


@aio
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES)
async def test_dashboard_figures_and_titles_fit(screens_bank, plotext_in_order, lang, size):
    app = _app(screens_bank, lang, "wang")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.data is not None)
        await settled(pilot)
        screen, t = app.screen, app.t
        lines = _screen_lines(app)
        figures = "\n".join(lines[1:6])
        assert "…" not in figures
        for key, value in screen.data.figures.items():
            if key in ("outstanding", "overdue"):
                continue  # exact or compact: checked below
            if key == "nps_8w" and value is not None:
                value = f"{float(value):+.1f}"
            elif isinstance(value, float):
                value = f"{value * 100:.1f}%"
            assert str(value) in figures, (key, value)
        money = re.findall(r"¥[\d.,]+[万Mk]?", figures)
        assert len(money) == 2
        if size[0] == 80:  # short labels and compact money at 80 columns
            assert t("db.fig.outstanding.s") in figures and ("万" in money[0] if lang == "zh" else "M" in money[0])
        else:  # full labels and exact amounts where there is room
            assert t("db.fig.outstanding") in figures and money[0] == "¥1,040,704.50"
        titles = lines[screen.query_one("#title-csat").region.y]
        assert "…" not in titles
        for name in ("buckets", "csat"):
            assert t(f"db.chart.{name}") in titles or t(f"db.chart.{name}.s") in titles


@aio
@pytest.mark.parametrize("size", SIZES)
async def test_the_rates_chart_is_aligned_in_chinese(screens_bank, plotext_in_order, size):
    """The bug: a Chinese legend drawn by plotext made rows begin with `•│`, shifted the y axis and lost the
    week labels. Every row of the middle chart starts at the same cell, its frame in one column."""
    app = _app(screens_bank, "zh", "wang")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.data is not None)
        await settled(pilot)
        chart = app.screen.query_one("#chart-rates")
        region = chart.region
        lines = _screen_lines(app)[region.y : region.y + region.height]
        rows = [line[region.x : region.x + region.width] for line in lines]
        assert all(not row.lstrip().startswith("•│") for row in rows)
        frame = [row.index("┌") for row in rows if "┌" in row] + [row.index("└") for row in rows if "└" in row]
        axis = [row.index("┤") for row in rows if "┤" in row]
        assert len(frame) == 2 and len(set(frame)) == 1 and set(axis) == set(frame)
        assert all(re.fullmatch(r"[ -~┌┐└┘─│┤┬•▐▌]*", row) for row in rows), "nothing wide inside the chart"
        weeks = rows[-1]
        assert re.search(r"1[01]-\d\d", weeks)  # a week by its Monday's date in Chinese (screens/dashboard.week_tick)
