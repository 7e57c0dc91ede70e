"""Row validation in plain Python: one staging tuple and a list of messages per record, no ORM object.

Messages read "column COL: value 'V' — expected ..."; the reader adds "FILE:LINE: " in front. Values of
ID-number, phone, name and address columns are masked with the policy's rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collectui.domain.importing.columns import HeaderMap, KindSpec
from collectui.domain.importing.values import ValueProblem, cell_text, is_blank
from collectui.domain.privacy import masking
from collectui.domain.textsafe import clean_line

if TYPE_CHECKING:
    from collectui.domain.policy import Policy

MAX_SHOWN = 40

# One record as a reader yields it: ``str`` cells for CSV/TSV, typed cells (numbers, dates, text) for XLSX.
Cells = Sequence[object]
# A staging tuple ``(line, err, *columns)``: the column values are whatever each column's parser returns.
Staged = tuple[object, ...]
# Per column of the fast path: (cell index or None, a ``TextMemo`` / a parser / the default when absent).
FastPlan = list[tuple[int | None, object]]
RowValidator = Callable[[int, Cells], tuple[Staged | None, list[str]]]


def show_value(value: object, sensitive: str | None, policy: Policy | None = None) -> str:
    """A cell as it may appear in a message: trimmed, shortened, masked when personal."""
    try:
        text = cell_text(value)
    except ValueProblem:
        text = repr(value)
    text = clean_line(text[: MAX_SHOWN * 8])  # a file's escape sequences never reach the terminal
    if sensitive == "id_number":
        text = masking.mask_id_number(text, policy)
    elif sensitive == "phone":
        text = masking.mask_phone(text, policy)
    elif sensitive == "name":
        text = masking.mask_name(text, policy)
    elif sensitive == "address":
        text = masking.mask_address(text, policy)
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 1] + "…"
    return text.replace("'", "’")


def message(label: str, shown: str, expected: str) -> str:
    return f"column {label}: value '{shown}' — expected {expected}"


def too_many_cells(cells: int, width: int, delimiter: str | None) -> str:
    """The one message for a record longer than its header, with its likely cause: in CSV text nearly always
    a thousands separator (30,000.00), in tab-separated text a tab typed into a value."""
    head = f"{cells} cells but the header has {width} columns"
    if delimiter == ",":
        return f"{head} — an unquoted comma, e.g. in 30,000.00? quote the cell or remove the thousands separator"
    if delimiter is not None:
        return f"{head} — a tab inside a value? quote the cell or remove the tab"
    return f"{head} — values beyond the header's last column; give them a header or delete them"


@dataclass
class RowPlan:
    """How one kind's records become staging tuples ``(line, err, *columns)``.

    ``fast_row(line, cells)`` is the generated happy path (raises on any problem); ``careful(line, cells)``
    names every bad column; ``row_check`` is the kind's cross-column check (None when it has none).
    """

    fast_row: Callable[[int, Cells], Staged]
    careful: RowValidator
    row_check: Callable[[dict[str, Any]], list[tuple[str, str]]] | None
    names: list[str]
    width: int
    fast_plan: FastPlan  # per column: (cell index or None, TextMemo / parser / default)
    key_pos: list[int]  # positions of the key columns among the kind's columns
    required: list[bool]  # per column


FAST_ERRORS = (ValueProblem, IndexError, AttributeError)


def row_plan(
    spec: KindSpec,
    hmap: HeaderMap,
    policy: Policy | None = None,
    text_cells: bool = False,
    delimiter: str | None = None,
) -> RowPlan:
    """The plan for one file. ``text_cells``: every cell is a ``str`` (CSV/TSV), so values repeated down a
    column (due dates, amounts, a loan's id on each instalment) are parsed once, through dict look-ups.
    ``delimiter``: the CSV/TSV delimiter (None for a workbook), which names the likely cause of a record
    with more cells than the header."""
    plan = []
    for col in spec.columns:
        plan.append(
            (
                col.name,
                hmap.index.get(col.name),
                col.parse,
                col.required,
                col.default,
                hmap.labels.get(col.name, col.name),
                col.sensitive,
            )
        )
    key_pos = [i for i, col in enumerate(spec.columns) if col.name in spec.key]
    row_check = spec.row_check
    names = [c.name for c in spec.columns]

    # Fast path: every cell parses (an empty optional cell gives its default); any problem -> careful,
    # which names every bad column.
    fast_plan: FastPlan = []
    for _name, idx, parse, required, default, _label, sensitive in plan:
        if idx is None:
            fast_plan.append((None, default))
            continue
        if not required:
            parse = _optional(parse, default)
        if sensitive:
            fast_plan.append((idx, parse))
        else:
            fast_plan.append((idx, TextMemo(parse) if text_cells else _memo(parse)))
    width = hmap.width
    fast_row = _unrolled(fast_plan)

    def careful(line: int, cells: Cells) -> tuple[Staged | None, list[str]]:
        # A record with more cells than the header is shifted: every later cell sits under the wrong
        # column, so judging them would only name the consequences (three wrong errors for one comma in
        # 30,000.00). Say the cause and nothing else, and stage nothing of the record.
        extra = [c for c in cells[width:] if not is_blank(c)]
        if extra:
            return None, [too_many_cells(len(cells), width, delimiter)]
        values: list[object] = [line, 0]
        errors: list[str] = []
        bad: set[int] = set()
        n = len(cells)
        for pos, (_name, idx, parse, required, default, label, sensitive) in enumerate(plan):
            raw = cells[idx] if idx is not None and idx < n else None
            if raw is None or (raw.__class__ is str and (not raw or raw.isspace())):
                if required:
                    errors.append(f"column {label}: empty — expected a value (required)")
                    bad.add(pos)
                values.append(default)
                continue
            try:
                values.append(parse(raw))
            except ValueProblem as exc:
                errors.append(message(label, show_value(raw, sensitive, policy), exc.expected))
                values.append(None)
                bad.add(pos)
        if not errors and row_check is not None:
            row = dict(zip(names, values[2:], strict=True))
            for name, expected in row_check(row):
                col = spec.column(name)
                errors.append(
                    message(hmap.labels.get(name, name), show_value(row[name], col.sensitive, policy), expected)
                )
        if errors:
            if any(p in bad for p in key_pos):
                return None, errors
            values[1] = 1
        return tuple(values), errors

    return RowPlan(
        fast_row, careful, row_check, names, width, fast_plan, key_pos, [col.required for col in spec.columns]
    )


def row_validator(spec: KindSpec, hmap: HeaderMap, policy: Policy | None = None) -> RowValidator:
    """(line, cells) -> (staging tuple (line, err, *columns) or None when a key is unusable, messages)."""
    rp = row_plan(spec, hmap, policy)
    fast_row, careful, row_check, names, width = rp.fast_row, rp.careful, rp.row_check, rp.names, rp.width
    no_errors: list[str] = []

    def validate(line: int, cells: Cells) -> tuple[Staged | None, list[str]]:
        if len(cells) <= width:
            try:
                row = fast_row(line, cells)
            except FAST_ERRORS:
                return careful(line, cells)
            if row_check is None or not row_check(dict(zip(names, row[2:], strict=True))):
                return row, no_errors
        return careful(line, cells)

    return validate


def cell_sources(fast_plan: FastPlan) -> tuple[list[str], list[str], dict[str, Any]]:
    """For generated code: (keyword defaults ``pN=pN``, one expression per column over ``cells``, namespace).

    A ``TextMemo`` is subscripted (a hit costs no Python call), a parser is called, an absent column is its
    default. Only integers and names go into the generated code.
    """
    args: list[str] = []
    cells: list[str] = []
    namespace: dict[str, Any] = {}
    for n, (idx, item) in enumerate(fast_plan):
        namespace[f"p{n}"] = item
        args.append(f"p{n}=p{n}")
        if idx is None:
            cells.append(f"p{n}")
        elif isinstance(item, TextMemo):
            cells.append(f"p{n}[cells[{int(idx)}]]")
        else:
            cells.append(f"p{n}(cells[{int(idx)}])")
    return args, cells, namespace


def _unrolled(fast_plan: FastPlan) -> Callable[[int, Cells], Staged]:
    """``(line, cells) -> (line, 0, v0, v1, ...)`` as one generated function.

    Generated because it runs once per row of million-row files: a loop or comprehension over the plan
    costs as much as the parsing itself.
    """
    args, cells, namespace = cell_sources(fast_plan)
    exec(f"def fast_row(line, cells, {', '.join(args)}):\n    return (line, 0, {', '.join(cells)})\n", namespace)
    fast_row: Callable[[int, Cells], Staged] = namespace["fast_row"]
    return fast_row


class TextMemo(dict[str, object]):
    """text cell -> parsed value; a miss parses (raising on a bad value, which is not remembered).

    A dict subclass so that a hit is one C-level subscript. Cleared when full, so that memory stays
    bounded and the values of the current stretch of the file (a loan's instalments) are remembered.
    Only for ``str`` cells: 1, 1.0 and True are one key to a dict.
    """

    __slots__ = ("parse", "limit")

    def __init__(self, parse: Callable[[str], object], limit: int = 1 << 16) -> None:
        super().__init__()
        self.parse = parse
        self.limit = limit

    def __missing__(self, raw: str) -> object:
        value = self.parse(raw)
        if len(self) >= self.limit:
            self.clear()
        self[raw] = value
        return value


def _memo(parse: Callable[[object], object], size: int = 8192) -> Callable[[object], object]:
    """Exports repeat values (due dates, a loan's id on each instalment, amounts): parse each text once.

    Bounded (cleared when full); only text cells are cached (1, 1.0 and True are equal as dict keys);
    failures are not cached, so a bad value raises every time.
    """
    cache: dict[str, object] = {}

    def parse_cached(raw: object) -> object:
        if raw.__class__ is not str:
            return parse(raw)
        try:
            return cache[raw]
        except KeyError:
            value = parse(raw)
            if len(cache) >= size:
                cache.clear()
            cache[raw] = value
            return value

    return parse_cached


def _optional(parse: Callable[[object], object], default: object) -> Callable[[object], object]:
    def parse_optional(raw: object) -> object:
        if raw is None or (raw.__class__ is str and (not raw or raw.isspace())):
            return default
        return parse(raw)

    return parse_optional
