"""The profile's loans table, in the widest form that fits the width it is rendered at.

Nine columns of exact amounts do not fit 100 columns, let alone 80: Rich would cut the last one (五级分类, the
five-category classification) to a single character. So the table is a renderable that measures its forms
when it is rendered, and follows every resize without the screen painting again:

1. every column with its full header, two cells between columns;
2. short headers (天数, 分类), one cell between columns, the next due day without its year when it is this
   year's, a long product name cut with "…";
3. as 2 without the principal (it never changes; the loan's other figures are what a call needs);
4. as 3 without the product.
An amount is never shortened: a collector reads it out to the borrower.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from collectui.domain.worklist.profile import ProfileView
from collectui.tui.widgets.profile.format import T, d, money, plain
from collectui.tui.wording import tr

NATURAL = 10_000  # a width no table reaches: what a table measures within it is its natural width
PRODUCT_CELLS = 9  # a cut product name keeps its first four Chinese characters and "…"


@dataclass(frozen=True)
class Form:
    short: bool
    principal: bool = True
    product: bool = True


FORMS = (Form(False), Form(True), Form(True, principal=False), Form(True, principal=False, product=False))


def _next_due(when: date | None, fen: int, short: bool, year: int | None) -> str:
    if when is None:
        return "—"
    text = d(when)
    if short and year is not None and text.startswith(f"{year}-"):
        text = text[5:]  # this year's day: MM-DD
    return f"{text} {money(fen)}"


def build(t: T, p: ProfileView, form: Form) -> Table:
    s = ".s" if form.short else ""
    table = Table(
        box=None, padding=(0, 1), header_style="bold", expand=False, show_edge=False, collapse_padding=form.short
    )
    table.add_column(t("pf.loan"), no_wrap=True)
    if form.product:
        cut = {"max_width": PRODUCT_CELLS, "overflow": "ellipsis"} if form.short else {}
        table.add_column(t("pf.product"), no_wrap=True, **cut)  # type: ignore[arg-type]
    if form.principal:
        table.add_column(t("pf.principal"), justify="right", no_wrap=True)
    table.add_column(t(f"pf.dpd{s}"), justify="right", no_wrap=True)
    table.add_column(t("pf.bucket"), no_wrap=True)
    table.add_column(t("pf.overdue"), justify="right", no_wrap=True)
    table.add_column(t("pf.outstanding"), justify="right", no_wrap=True)
    table.add_column(t("pf.next_due"), no_wrap=True)
    table.add_column(t(f"pf.category{s}"), no_wrap=True)
    year = p.as_of.year if p.as_of is not None else None
    for ln in p.loans:
        cells: list[Text | str] = [plain(ln.loan_id)]
        if form.product:
            cells.append(plain(ln.product))
        if form.principal:
            cells.append(money(ln.principal_fen))
        cells += [
            str(ln.dpd),
            ln.bucket,
            Text(money(ln.overdue_fen), style="bold red" if ln.overdue_fen else ""),
            money(ln.outstanding_fen),
            _next_due(ln.next_due_date, ln.next_due_fen, form.short, year),
            tr(t, "cat", ln.category),
        ]
        table.add_row(*cells)
    return table


class LoansTable:
    """The loans table in the first of ``FORMS`` whose natural width fits; the last one otherwise."""

    def __init__(self, t: T, p: ProfileView) -> None:
        self.tables = [build(t, p, form) for form in FORMS]

    def pick(self, console: Console, options: ConsoleOptions) -> Table:
        wide = options.update_width(NATURAL)  # measured within the width given, every table would "fit"
        for table in self.tables:
            if Measurement.get(console, wide, table).maximum <= options.max_width:
                return table
        return self.tables[-1]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.pick(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.pick(console, options))


def loans_table(t: T, p: ProfileView) -> LoansTable:
    return LoansTable(t, p)
