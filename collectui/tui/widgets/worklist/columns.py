"""Column layout for the work list: widths by terminal cells (CJK counts 2), dropping columns when narrow."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # catalog key
    min: int
    pref: int
    right: bool = False
    keep: int = 0  # higher = dropped later when the terminal is narrow
    flex: bool = False  # takes what is left


COLUMNS = (
    Column("rank", "wl.col.rank", 4, 6, right=True, keep=9),
    Column("name", "wl.col.name", 6, 8, keep=9),
    Column("phone", "wl.col.phone", 11, 11, keep=8),
    Column("bucket", "wl.col.bucket", 3, 4, keep=7),
    Column("dpd", "wl.col.dpd", 4, 8, right=True, keep=9),  # 8: 逾期天数 when there is room, else 天数
    Column("overdue", "wl.col.overdue", 11, 14, right=True, keep=9),
    # 12: the narrow form of a promise, its day and state ("12-05 未兑现"); 26: amount, year-month-day, state.
    Column("promise", "wl.col.promise", 12, 26, keep=5),
    Column("last", "wl.col.last", 5, 11, keep=4),
    Column("flags", "wl.col.flags", 5, 10, keep=5),
    # The rule holding a borrower back and when it lifts can be long: the last column takes what is left.
    Column("call", "wl.col.call", 8, 24, keep=5, flex=True),
)


def layout(width: int, columns: tuple[Column, ...] = COLUMNS) -> list[tuple[Column, int]]:
    """Columns that fit in ``width`` cells with one space between, and each one's width."""
    shown = list(columns)
    while shown and sum(c.min for c in shown) + len(shown) - 1 > width:
        victim = min(shown, key=lambda c: (c.keep, -columns.index(c)))
        shown.remove(victim)
    widths = {c.key: c.min for c in shown}
    spare = width - sum(widths.values()) - (len(shown) - 1)
    for c in sorted(shown, key=lambda c: -c.keep):
        grow = min(spare, c.pref - c.min)
        widths[c.key] += grow
        spare -= grow
    flex = next((c for c in shown if c.flex), None)
    if flex and spare > 0:
        widths[flex.key] += spare
    return [(c, widths[c.key]) for c in shown]


def fit(text: str, width: int, right: bool = False) -> str:
    """Exactly ``width`` cells: cropped, padded on the right (or the left for numbers)."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad
