"""Work-list rows: a promise shows its day (the year compact when it is another year's: 27-01-05) and its state,
never cut, at 160 columns and at 80 (day and state only; an old promise's year); no row ends in a stray "…" on
the first paint at 80x24."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from textual.app import App, ComposeResult

from collectui.domain.worklist import queries as worklist
from collectui.tui.i18n import Translator
from collectui.tui.widgets.worklist.format import _short_date, row_blocked, row_cells
from collectui.tui.widgets.worklist.table import WorkTable
from tests.support.tui import aio, wait_for, work_list_ready
from tests.tui.test_snapshots import _app

TODAY = date(2026, 11, 28)


def test_short_date_has_a_compact_year_for_another_year():
    assert _short_date("2026-12-05", TODAY) == "12-05"
    assert _short_date("2027-01-05", TODAY) == "27-01-05"
    assert _short_date("2025-10-10", TODAY) == "25-10-10"
    # The narrow form drops the year of a day near today: the context says which year it is.
    assert _short_date("2027-01-05", TODAY, near_days=120) == "01-05"
    assert _short_date("2025-10-10", TODAY, near_days=120) == "25-10-10"


class _TableHost(App[None]):
    """A WorkTable alone, fed ``rows``; ``ctx``, ``t`` and ``lang`` as the row formatter needs them."""

    def __init__(self, ctx, rows, lang: str) -> None:
        super().__init__()
        self.ctx, self.rows, self.lang, self._t = ctx, rows, lang, Translator(lang)

    def t(self, key: str, **kw) -> str:
        return self._t(key, **kw)

    def compose(self) -> ComposeResult:
        yield WorkTable(row_cells(self), row_blocked, id="table")

    def on_mount(self) -> None:
        self.query_one(WorkTable).reset(len(self.rows), lambda offset, limit: self.rows[offset : offset + limit])


def _rows_with_promises(ctx):
    rows = worklist.fetch_page(ctx, worklist.WorkFilter(branch="城关支行"), 0, 3)
    promises = [
        {"id": 1, "amount_fen": 201000, "date": "2027-01-05", "status": "partial", "paid_fen": 1000},
        {"id": 2, "amount_fen": 1234500, "date": "2025-10-10", "status": "broken", "paid_fen": 0},
        {"id": 3, "amount_fen": 201000, "date": "2026-12-05", "status": "open", "paid_fen": 0},
    ]
    return [replace(r, promise=p, as_of=TODAY) for r, p in zip(rows, promises, strict=True)]


@aio
@pytest.mark.parametrize(
    "lang, width, expected",
    [
        ("zh", 80, ["01-05 部分", "2025 未兑现", "12-05 待还"]),
        ("en", 80, ["01-05 part.", "2025 broken", "12-05 open"]),
        ("zh", 160, ["¥2,010.00 27-01-05 部分", "¥12,345.00 25-10-10 未兑现", "¥2,010.00 12-05 待还"]),
        ("en", 160, ["¥2,010.00 27-01-05 partial", "¥12,345.00 25-10-10 broken", "¥2,010.00 12-05 open"]),
    ],
)
async def test_promise_cells_fit_their_column(bank, lang, width, expected):
    app = _TableHost(bank, _rows_with_promises(bank), lang)
    async with app.run_test(size=(width, 10)) as pilot:
        table = app.query_one(WorkTable)
        await wait_for(pilot, lambda: table.settled and table.total == 3)
        lines = [table.render_line(y).text for y in range(3)]
        for line, text in zip(lines, expected, strict=True):
            assert text in line, (line, text)


@aio
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_no_row_ends_in_an_ellipsis_at_80_columns_on_the_first_paint(screens_bank, lang):
    app = _app(screens_bank, lang, "zhang")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        table = app.screen.table
        lines = [table.render_line(y).text.rstrip() for y in range(table.scrollable_content_region.height)]
        assert lines[0].split()[0] == "1"
        assert not any(line.endswith("…") for line in lines)
