"""The per-record loop of a CSV import, generated for one file's columns.

A million-row file runs this loop a million times, so everything a record needs is inlined into one
generated generator: reading the record, its line, the dict look-ups that parse its cells
(``validate.TextMemo``), the check that keys keep increasing, and the hand-over to ``executemany``. A record
that does not parse at once goes to ``RowPlan.careful`` (Python, every problem named), as in the general
path. Only integers and names of the plan's objects go into the generated source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from collectui.domain.importing.validate import FAST_ERRORS, RowPlan, Staged, TextMemo, cell_sources

_TEMPLATE = """
def run(reader, st, limit, rejects, job, fail, {args}):
    last, prev, ordered, seen = st._last, st._prev_key, st.ordered, st.seen
    made = 0
    try:
        for cells in reader:
            start = last + 1
            last = reader.line_num{blank_first}
            if len(cells) <= width:
                try:
                    row = (start, 0, {cells})
                except FAST_ERRORS:
                    row = None
                if row is not None{row_check}:
                    seen += 1
                    if ordered:
                        key = {key}
                        try:
                            if prev is not None and key <= prev:
                                ordered = False
                        except TypeError:
                            ordered = False
                        prev = key
                    yield row
                    made += 1
                    if made >= limit:
                        return
                    continue
            # Blank records land here: a required cell never parses from a blank one (see build_runner).
            if not "".join(cells).strip():
                continue
            seen += 1
            row, errors = careful(start, cells)
            if errors:
                rejects.extend([(job, start, msg) for msg in errors])
            if row is not None:
                ordered = False  # a row with errors may have keys of another type: the index decides
                yield row
                made += 1
            if made >= limit or len(rejects) >= limit:
                return
        st.exhausted = True
    except Exception as exc:
        fail(exc, last)
        raise
    finally:
        st._last, st._prev_key, st.ordered, st.seen = last, prev, ordered, seen
"""


def build_runner(plan: RowPlan) -> Callable[..., Iterator[Staged]]:
    """``run(csv_reader, state, limit, rejects, job, fail)``: staging tuples for the next records.

    ``state`` carries ``_last`` (line of the last record), ``_prev_key``, ``ordered``, ``seen`` and
    ``exhausted`` from one call to the next; ``fail(exc, last)`` may turn a reading error into a clearer one.
    """
    args, cells, namespace = cell_sources(plan.fast_plan)
    namespace.update(
        FAST_ERRORS=FAST_ERRORS, careful=plan.careful, width=int(plan.width), row_check=plan.row_check, names=plan.names
    )
    args += ["FAST_ERRORS=FAST_ERRORS", "careful=careful", "width=width", "row_check=row_check", "names=names"]
    keys = [f"row[{int(p) + 2}]" for p in plan.key_pos]
    key = keys[0] if len(keys) == 1 else "(" + ", ".join(keys) + ")"
    check = " and not row_check(dict(zip(names, row[2:])))" if plan.row_check is not None else ""
    # Blank records are recognised after the fast path fails, which it does when some required column
    # refuses a blank cell (every built-in parser does). Otherwise they are looked for first, on every record.
    refuses_blank = any(
        idx is not None and required and _refuses_blank(item)
        for (idx, item), required in zip(plan.fast_plan, plan.required, strict=True)
    )
    blank_first = "" if refuses_blank else '\n            if not "".join(cells).strip():\n                continue'
    source = _TEMPLATE.format(
        args=", ".join(args), cells=", ".join(cells), key=key, row_check=check, blank_first=blank_first
    )
    exec(source, namespace)
    run: Callable[..., Iterator[Staged]] = namespace["run"]  # the function the template defines
    return run


def _refuses_blank(parse: Any) -> bool:
    for blank in ("", " "):
        try:
            parse[blank] if isinstance(parse, TextMemo) else parse(blank)
        except FAST_ERRORS:
            continue
        return False
    return True
