"""Rendering rows as a rich table, JSON or CSV: the one place command output of stored text goes through.

Stored text may come from an older database, an import or a typed note, so every string is made safe for
a terminal here (``domain.textsafe``: no escape sequences, control characters or bidi overrides) and, in a
table, shown literally (rich markup in a customer's name is text, not a style). CSV goes through the one
export writer (``domain.exporting``), so a cell never starts a spreadsheet formula. A cell that is a rich
``Text`` is the command's own styling and is kept as it is.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Sequence
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from collectui.cli import lang
from collectui.cli.common import out
from collectui.domain.exporting import write_rows
from collectui.domain.textsafe import clean, show
from collectui.money import fmt_fen_grouped, round_fen


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def safe_data(data: Any) -> Any:
    """``data`` with every string (keys too) cleaned of control characters; line feeds are kept."""
    if isinstance(data, str):
        return clean(data, newlines=True, tabs=True)
    if isinstance(data, dict):
        return {safe_data(k): safe_data(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [safe_data(v) for v in data]
    return data


def emit_json(data: Any) -> None:
    # Cleaned as data, not as JSON text: an 8-bit CSI would otherwise swallow the quote after it.
    sys.stdout.write(json.dumps(safe_data(data), ensure_ascii=False, indent=2, default=str) + "\n")


def money_text(value: object) -> str:
    """An amount for a person, as the app shows it: '¥1,234.50' (JSON and CSV keep '1234.50'). ``value`` is
    yuan as the outputs carry it (text such as ``money.fmt_fen`` makes, a Decimal or a number); anything that
    is no amount (None, a word) is shown as it is."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    text = str(value).strip()
    if len(text) > 40:  # no amount; and Decimal would work hard on '1e999999999'
        return text
    try:
        dec = Decimal(text)
        if not dec.is_finite() or abs(dec) >= 10**15:  # beyond any balance: a number, not money
            return text
        return fmt_fen_grouped(round_fen(dec * 100))
    except InvalidOperation:
        return text


def emit_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    money: Collection[str] = (),
) -> None:
    """``rows`` as JSON, CSV or a table; the ``money`` columns (yuan text) read '¥1,234.50' in the table."""
    if fmt is Format.json:
        emit_json(list(rows))
        return
    names = lang.headers(columns, headers)  # in the run's language (cli.lang); JSON keeps the field names
    if fmt is Format.csv:
        row_values = ([_csv_value(row.get(c)) for c in columns] for row in rows)
        write_rows(None, [names[c] for c in columns], row_values, stdout=sys.stdout)
        return
    table = Table(title=escape(show(title)) if title else None, show_lines=False)
    for col in columns:
        table.add_column(escape(show(names[col])))
    for row in rows:
        table.add_row(*[_table_cell(money_text(row.get(c)) if c in money else row.get(c)) for c in columns])
    # Never squeeze ids and amounts into "CU0000…": a table wider than the terminal (or an 80-column pipe)
    # is easier to read than truncated cells. Up to 200 columns; beyond that rich wraps the cells.
    needed = Measurement.get(out, out.options.update_width(200), table).maximum
    if needed <= out.width:
        out.print(table)
    else:  # rich clamps print(width=) to the console's own width: a wider console of the same kind
        type(out)(highlight=False, width=min(needed, 200)).print(table)


def _csv_value(value: Any) -> object:
    """Numbers as numbers (the export writer keeps them), everything else as the text a table shows."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, Text):
        return value.plain
    return _cell(value)


def _table_cell(value: Any) -> Text | str:
    if isinstance(value, Text):
        return value
    return escape(show(_cell(value)))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # in the run's language, like the headers above it
        return lang.t("cli.value.yes") if value else lang.t("cli.value.no")
    if isinstance(value, (list, tuple)):
        return lang.t("cli.cell_sep").join(_cell(v) for v in value)  # "；" between Chinese items
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
