"""Row validation in plain Python: one staging tuple and a list of messages per record, no ORM object.

Messages read "column COL: value 'V' — expected ..."; the reader adds "FILE:LINE: " in front. Values of
ID-number, phone, name and address columns are masked with the policy's rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collectui.domain import masking
from collectui.domain.importing.columns import HeaderMap, KindSpec
from collectui.domain.importing.values import ValueProblem, cell_text, is_blank

MAX_SHOWN = 40


def show_value(value: Any, sensitive: str | None, policy: Any = None) -> str:
    """A cell as it may appear in a message: trimmed, shortened, masked when personal."""
    try:
        text = cell_text(value)
    except ValueProblem:
        text = repr(value)
    if sensitive == "id_number":
        text = masking.mask_id_number(text, policy)
    elif sensitive == "phone":
        text = masking.mask_phone(text, policy)
    elif sensitive == "name":
        text = masking.mask_name(text, policy)
    elif sensitive == "address":
        text = masking.mask_address(text, policy)
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN - 1] + "…"
    return text.replace("'", "’")


def message(label: str, shown: str, expected: str) -> str:
    return f"column {label}: value '{shown}' — expected {expected}"


def row_validator(spec: KindSpec, hmap: HeaderMap, policy: Any = None
                  ) -> Callable[[int, list], tuple[tuple | None, list[str]]]:
    """(line, cells) -> (staging tuple (line, err, *columns) or None when a key is unusable, messages)."""
    plan = []
    for col in spec.columns:
        plan.append((col.name, hmap.index.get(col.name), col.parse, col.required, col.default,
                     hmap.labels.get(col.name, col.name), col.sensitive))
    key_pos = [i for i, col in enumerate(spec.columns) if col.name in spec.key]
    row_check = spec.row_check
    names = [c.name for c in spec.columns]

    # Fast path: every cell parses (an empty optional cell gives its default); any problem -> slow path,
    # which names every bad column.
    fast_plan = []
    for _name, idx, parse, required, default, _label, sensitive in plan:
        quick = parse if sensitive else _memo(parse)
        if idx is None:
            fast_plan.append((0, lambda _raw, d=default: d))
        elif required:
            fast_plan.append((idx, quick))
        else:
            fast_plan.append((idx, _optional(quick, default)))
    no_errors: list[str] = []

    width = hmap.width
    fast_row = _unrolled(fast_plan)

    def validate(line: int, cells: list) -> tuple[tuple | None, list[str]]:
        if len(cells) <= width:
            try:
                row = fast_row(line, cells)
            except (ValueProblem, IndexError, AttributeError):
                return careful(line, cells)
            if row_check is None or not row_check(dict(zip(names, row[2:], strict=True))):
                return row, no_errors
        return careful(line, cells)

    def careful(line: int, cells: list) -> tuple[tuple | None, list[str]]:
        values: list[Any] = [line, 0]
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
        extra = [c for c in cells[width:] if not is_blank(c)]
        if extra:
            errors.append(f"{len(cells)} cells but the header has {width} columns — expected one cell per column "
                          "(a comma inside a value needs quotes)")
        if not errors and row_check is not None:
            row = dict(zip(names, values[2:], strict=True))
            for name, expected in row_check(row):
                col = spec.column(name)
                errors.append(message(hmap.labels.get(name, name), show_value(row[name], col.sensitive, policy),
                                      expected))
        if errors:
            if any(p in bad for p in key_pos):
                return None, errors
            values[1] = 1
        return tuple(values), errors

    return validate


def _unrolled(fast_plan: list[tuple[int, Callable[[Any], Any]]]) -> Callable[[int, list], tuple]:
    """``(line, cells) -> (line, 0, p0(cells[i0]), p1(cells[i1]), ...)`` as one generated function.

    Generated because it runs once per row of million-row files: a loop or comprehension over the plan
    costs as much as the parsing itself. Only integers and parser objects go into the generated code.
    """
    args = ", ".join(f"p{n}=p{n}" for n in range(len(fast_plan)))
    cells = ", ".join(f"p{n}(cells[{int(idx)}])" for n, (idx, _p) in enumerate(fast_plan))
    namespace = {f"p{n}": parse for n, (_idx, parse) in enumerate(fast_plan)}
    exec(f"def fast_row(line, cells, {args}):\n    return (line, 0, {cells})\n", namespace)  # noqa: S102
    return namespace["fast_row"]


def _memo(parse: Callable[[Any], Any], size: int = 8192) -> Callable[[Any], Any]:
    """Exports repeat values (due dates, a loan's id on each instalment, amounts): parse each text once.

    Bounded (cleared when full); only text cells are cached (1, 1.0 and True are equal as dict keys);
    failures are not cached, so a bad value raises every time.
    """
    cache: dict[str, Any] = {}

    def parse_cached(raw: Any) -> Any:
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


def _optional(parse: Callable[[Any], Any], default: Any) -> Callable[[Any], Any]:
    def parse_optional(raw: Any) -> Any:
        if raw is None or (raw.__class__ is str and (not raw or raw.isspace())):
            return default
        return parse(raw)

    return parse_optional
