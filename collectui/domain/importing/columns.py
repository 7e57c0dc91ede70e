"""Import kinds: their columns, header aliases and how rows land in their table. A pluggable registry.

A kind is a ``KindSpec``. Columns are parsed in Python row by row (``Column.parse``); everything that needs
the database (duplicates inside the file, references, what changed) is done in SQL over a staging table
whose columns are the kind's columns, by ``writer.py``. ``Target`` says how one table column is computed
from the staging row ``s`` (and, on update, the existing row ``t``). Another module adds a kind with
``register_kind(spec)``; its aliases join the shared alias table (an alias means one column in every kind).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from collectui.domain.errors import UsageError
from collectui.domain.importing.values import ValueProblem, norm_text
from collectui.domain.said import said
from collectui.domain.textsafe import clean_line

if TYPE_CHECKING:
    from collectui.storage.raw import RawConnection


class FileProblem(UsageError):
    """A file-level problem (exit 2): unreadable, empty, unknown kind, required column missing."""


@dataclass(frozen=True)
class Column:
    name: str  # canonical name, also the staging column
    parse: Callable[[object], object]  # cell -> stored value; raises ValueProblem
    required: bool = False
    aliases: tuple[str, ...] = ()
    sensitive: str | None = None  # "id_number" | "phone" | "name" | "address": masked in messages
    sql_type: str = "TEXT"
    default: object = None  # stored value of an empty optional cell
    # stored value -> text in messages; its argument is this column's stored type (int fen, text...), hence Any
    show: Callable[[Any], str] = str


@dataclass(frozen=True)
class Target:
    """One column of the destination table."""

    column: str
    insert: str  # SQL expression over the staging row ``s`` (params: :now)
    update: str | None = None  # over ``s`` and the current row ``t``; default: ``insert``
    needs: tuple[str, ...] | None = None  # file columns it comes from; absent from the file -> left alone
    immutable: bool = False  # a different value is an error, not an update
    personal: bool = False  # audit names the field, never its values
    show: Callable[[Any], str] = str  # as ``Column.show``: takes this column's stored type


@dataclass(frozen=True)
class Ref:
    """A reference that must resolve (in the database, which already holds the earlier kinds of this import)."""

    column: str
    resolves: str  # SQL condition over ``s``, true when the reference is found
    expected: str


@dataclass
class KindSpec:
    name: str
    table: str
    columns: list[Column]
    key: tuple[str, ...]  # staging columns == table columns identifying a row
    targets: list[Target]
    order: int = 100  # import order in a folder import (references point to lower orders)
    refs: list[Ref] = field(default_factory=list)
    insert_extra: dict[str, str] = field(default_factory=dict)  # column -> SQL over s, on insert only
    update_extra: dict[str, str] = field(default_factory=dict)  # column -> SQL over s and t, on update
    row_check: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None  # -> [(column, expected)]
    # (conn, staging table) -> rows created, e.g. the branches the file names
    before_write: Callable[[RawConnection, str], int] | None = None
    customer_sql: str | None = None  # SQL over ``s`` giving the borrower a row touches (for the refresh)
    file_names: tuple[str, ...] = ()  # other names in a file name that say this kind (besides ``name``)
    # (conn, staging table) -> valid rows of which a value was kept against the file (the loans: the
    # collector of a borrower assigned by hand in collectui); the import summary says how many.
    kept: Callable[[RawConnection, str], int] | None = None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


KINDS: dict[str, KindSpec] = {}
ALIASES: dict[str, str] = {}  # normalised header -> canonical column name


def header_key(text: str) -> str:
    """'  Customer ID* ' -> 'customer_id'; '应还本金（元）' -> '应还本金'."""
    value = norm_text(text).lower().rstrip("*").strip()
    value = re.sub(r"\s*[(\[][^)\]]*[)\]]\s*$", "", value)  # trailing unit like (元) or [yyyy-mm-dd]
    return re.sub(r"[\s\-]+", "_", value)


MAX_LABEL = 60  # a header as it appears in messages


def shown_label(raw: str) -> str:
    """A header cell as messages show it: normalised, without control characters, at most 60 characters."""
    label = clean_line(norm_text(raw[: MAX_LABEL * 8]))
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def register_kind(spec: KindSpec, replace: bool = False) -> None:
    """Add an import kind. Its aliases become global; an alias already meaning another column is refused."""
    if spec.name in KINDS and not replace:
        raise ValueError(f"import kind {spec.name!r} is already registered")
    names = {c.name for c in spec.columns}
    for key in spec.key:
        if key not in names:
            raise ValueError(f"{spec.name}: key column {key!r} is not a column")
    for col in spec.columns:
        for spelling in (col.name, *col.aliases):
            norm = header_key(spelling)
            if ALIASES.get(norm, col.name) != col.name:
                raise ValueError(f"{spec.name}: alias {spelling!r} already means {ALIASES[norm]!r}")
    for col in spec.columns:
        for spelling in (col.name, *col.aliases):
            ALIASES[header_key(spelling)] = col.name
    KINDS[spec.name] = spec


def unregister_kind(name: str) -> None:
    """Remove a kind and the aliases no other kind uses (tests, plugins being reloaded)."""
    KINDS.pop(name, None)
    ALIASES.clear()
    for spec in KINDS.values():
        for col in spec.columns:
            for spelling in (col.name, *col.aliases):
                ALIASES[header_key(spelling)] = col.name


def kinds_in_order() -> list[KindSpec]:
    return sorted(KINDS.values(), key=lambda s: (s.order, s.name))


def aliases_of(column: str) -> list[str]:
    return [a for a, c in ALIASES.items() if c == column and a != column]


@dataclass
class HeaderMap:
    index: dict[str, int]  # column name -> position in the row
    labels: dict[str, str]  # column name -> header as written in the file
    unknown: list[str]
    width: int = 0  # cells in the header row


def map_header(spec: KindSpec, header: Sequence[str], file_label: str) -> HeaderMap:
    wanted = {c.name for c in spec.columns}
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    for pos, raw in enumerate(header):
        label = shown_label(raw)
        if not label:
            continue
        name = ALIASES.get(header_key(label))
        if name is None or name not in wanted:
            unknown.append(label)
            continue
        if name in index:
            raise FileProblem(
                said(
                    "error.import.columns_same",
                    f"{file_label}: columns '{labels[name]}' and '{label}' both mean {name}; keep one",
                    file_label=file_label,
                    first=labels[name],
                    label=label,
                    name=name,
                )
            )
        index[name] = pos
        labels[name] = label
    missing = [c for c in spec.columns if c.required and c.name not in index]
    if missing:
        parts = []
        for col in missing:
            alts = aliases_of(col.name)
            parts.append(col.name + (f" ({', '.join(alts)})" if alts else ""))
        raise FileProblem(
            said(
                "error.import.required_missing",
                f"{file_label}: required column missing for {spec.name}: {'; '.join(parts)}",
                file_label=file_label,
                kind=spec.name,
                parts="; ".join(parts),
            )
        )
    width = max((i + 1 for i, h in enumerate(header) if norm_text(str(h))), default=0)
    return HeaderMap(index, labels, unknown, width)


__all__ = [
    "ALIASES",
    "Column",
    "FileProblem",
    "HeaderMap",
    "KINDS",
    "KindSpec",
    "Ref",
    "Target",
    "ValueProblem",
    "aliases_of",
    "header_key",
    "kinds_in_order",
    "map_header",
    "register_kind",
    "unregister_kind",
]
