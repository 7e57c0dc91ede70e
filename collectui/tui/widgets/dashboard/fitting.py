"""Dashboard text that fits the width it is given: the key figures and the chart titles.

Both are Rich renderables that choose their form when they are rendered, so they follow every resize without
the screen painting again. Widths are terminal cells (a Chinese character counts two), never characters. The
key figures try, in order: full labels and exact amounts four to a row, then short labels and compact amounts
(¥104.1万 in Chinese, ¥1.04M in English) four, three, two and one to a row; a figure is never cut short
("Outstanding ¥10,34…" said nothing). A chart title falls back to its short form, and is cut only when even
that does not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

GAP = 3  # cells between two figures in a row
MOST_PER_ROW = 4


@dataclass(frozen=True)
class Figure:
    label: str
    short_label: str
    value: str
    compact_value: str
    style: str = "bold"

    def text(self, short: bool) -> Text:
        label, value = (self.short_label, self.compact_value) if short else (self.label, self.value)
        return Text.assemble((label + " ", "dim"), (value, self.style))


@dataclass(frozen=True)
class Layout:
    short: bool
    per_row: int


def needed_width(cells: Sequence[Text], per_row: int, gap: int = GAP) -> int:
    """Cells taken by ``cells`` laid out ``per_row`` to a row, each column as wide as its widest figure."""
    widths = [0] * per_row
    for i, cell in enumerate(cells):
        widths[i % per_row] = max(widths[i % per_row], cell.cell_len)
    return sum(widths) + gap * (per_row - 1)


def choose_layout(figures: Sequence[Figure], width: int) -> Layout:
    """The first form, in the order of the module's docstring, whose every figure fits in ``width``."""
    candidates = [Layout(False, MOST_PER_ROW)] + [Layout(True, n) for n in range(MOST_PER_ROW, 0, -1)]
    for layout in candidates:
        cells = [f.text(layout.short) for f in figures]
        if needed_width(cells, layout.per_row) <= width:
            return layout
    return candidates[-1]


class FigureGrid:
    """The key figures as a grid that fits the width it is rendered at (see the module's docstring)."""

    def __init__(self, figures: Sequence[Figure]) -> None:
        self.figures = list(figures)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        layout = choose_layout(self.figures, options.max_width)
        grid = Table.grid(padding=(0, GAP, 0, 0), pad_edge=False, expand=True)
        for _ in range(layout.per_row):
            grid.add_column(no_wrap=True)
        cells = [f.text(layout.short) for f in self.figures]
        for start in range(0, len(cells), layout.per_row):
            row = cells[start : start + layout.per_row]
            grid.add_row(*row, *([""] * (layout.per_row - len(row))))
        yield grid


class Fitting:
    """The first of ``choices`` that fits on one line of the width it is given; the last one cut otherwise."""

    def __init__(self, *choices: Text) -> None:
        if not choices:
            raise ValueError("at least one text")
        self.choices = choices

    def pick(self, width: int) -> Text:
        for choice in self.choices:
            if cell_len(choice.plain) <= width:
                return choice
        cut = self.choices[-1].copy()
        cut.truncate(width, overflow="ellipsis")
        return cut

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = self.pick(options.max_width)
        line.no_wrap = True
        yield line
