"""The SQL whose spelling depends on the engine, in one object per engine.

The domain writes portable SQL (SELECT/INSERT/UPDATE/DELETE, joins, CTEs, window functions, CASE, COALESCE,
``INSERT ... ON CONFLICT (...) DO UPDATE``, ``RETURNING``, ``?`` placeholders) and asks the dialect for the
rest: connection-private scratch tables, "insert unless the key is there", null-safe comparisons, a few
functions, the row locator its indexes carry, planner hints. Each method returns SQL text; nothing here
touches a connection (``storage.bulk`` runs the statements that need one).

A caller gets the dialect from ``Database.dialect`` or ``storage.raw.dialect_of(conn)`` and builds its
statements once per call (or once per dialect, with ``functools.cache``), never per row. Every method of
``SQLite`` returns exactly the text the domain used to write inline, so the plans the hot paths were tuned
with do not change. ``PostgreSQL`` spells the same meanings for PostgreSQL 15 or later (docs/developer/storage-seam.md).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Final

# A type follows a column's name and a space; a column NAMED text or integer (feedback's `text`) is left alone.
_INTEGER = re.compile(r"(?<=[\w\"] )INTEGER\b", re.IGNORECASE)
_TEXT = re.compile(r"(?<=[\w\"] )TEXT\b", re.IGNORECASE)


class Dialect(ABC):
    """The engine-dependent SQL the domain needs. Implementations are stateless singletons (hashable by
    identity, so builders can cache statements per dialect)."""

    name: str
    max_parameters: int  # bound parameters one statement may carry

    # ---- connection-private (temporary) tables -------------------------------------------------------

    @abstractmethod
    def temp(self, name: str) -> str:
        """How statements refer to the temporary table ``name`` (never a permanent table of that name)."""

    @abstractmethod
    def create_temp_table(
        self, name: str, columns: str, *, clustered: bool = False, if_not_exists: bool = False
    ) -> str:
        """CREATE for a temporary table with ``columns`` (a column list with its PRIMARY KEY).
        ``clustered``: rows are kept in primary-key order, the key being the only index (SQLite's WITHOUT
        ROWID; an engine without the notion ignores it)."""

    @abstractmethod
    def create_temp_table_as(self, name: str, select: str) -> str:
        """CREATE for a temporary table holding the rows of ``select``."""

    @abstractmethod
    def create_temp_index(self, index: str, table: str, columns: str) -> str:
        """CREATE INDEX ``index`` on the temporary table ``table``."""

    @abstractmethod
    def drop_temp_table(self, name: str) -> str:
        """DROP of the temporary table ``name`` if it exists."""

    @abstractmethod
    def auto_id(self) -> str:
        """Column definition of an integer key the engine numbers in insertion order."""

    # ---- statements and expressions ------------------------------------------------------------------

    @abstractmethod
    def insert_ignore(self, table: str, rest: str) -> str:
        """INSERT into ``table`` of ``rest`` (``(cols) SELECT ...``, ``SELECT ...`` or ``VALUES (...)``),
        skipping rows whose key is already there."""

    @abstractmethod
    def distinct(self, a: str, b: str) -> str:
        """True when ``a`` and ``b`` differ, NULL counting as a value (never NULL itself)."""

    @abstractmethod
    def not_distinct(self, a: str, b: str) -> str:
        """True when ``a`` and ``b`` are equal or both NULL (never NULL itself)."""

    @abstractmethod
    def least(self, *exprs: str) -> str:
        """The smallest of two or more values (NULL when one is NULL)."""

    @abstractmethod
    def greatest(self, *exprs: str) -> str:
        """The largest of two or more values (NULL when one is NULL)."""

    @abstractmethod
    def count_true(self, cond: str) -> str:
        """Aggregate: how many rows of the group ``cond`` is true for (0 when false for all; NULL when it
        is NULL for all, like SUM)."""

    @abstractmethod
    def zero_pad(self, expr: str, width: int) -> str:
        """A non-negative integer as text, zero-padded to ``width`` digits (text order = number order)."""

    @abstractmethod
    def days_between(self, later: str, earlier: str) -> str:
        """Whole days from the ISO date ``earlier`` to ``later`` (NULL when either is NULL)."""

    @abstractmethod
    def contains(self, text: str, part: str) -> str:
        """True when ``part`` occurs in ``text`` (case-sensitive, no wildcards)."""

    @abstractmethod
    def json_array_items(self, expr: str, alias: str) -> str:
        """A FROM item with one row per element of the JSON array ``expr``, its text in ``alias.value``."""

    @abstractmethod
    def row_locator(self, alias: str, key: str) -> str:
        """A key of the row of ``alias`` that every index of its table carries (so an index-only walk can
        collect it) and that finds the row directly. ``key``: the table's (one-column) primary key, the
        locator of an engine without a row id (its indexes then carry the key: ``INCLUDE (key)``)."""

    # ---- planner hints (empty where the engine has none) ---------------------------------------------

    @abstractmethod
    def full_scan(self) -> str:
        """Suffix after a table's alias: read it in storage order, ignoring its indexes."""

    @abstractmethod
    def unindexed(self, expr: str) -> str:
        """``expr`` in a condition that must not be answered from an index."""


class SQLite(Dialect):
    """SQLite 3.35 or later (RETURNING, UPDATE ... FROM, upserts)."""

    name = "sqlite"
    max_parameters = 999  # the oldest SQLite's SQLITE_MAX_VARIABLE_NUMBER

    def temp(self, name: str) -> str:
        return f"temp.{name}"

    def create_temp_table(
        self, name: str, columns: str, *, clustered: bool = False, if_not_exists: bool = False
    ) -> str:
        exists = "IF NOT EXISTS " if if_not_exists else ""
        return f"CREATE TEMP TABLE {exists}{name}({columns}){' WITHOUT ROWID' if clustered else ''}"

    def create_temp_table_as(self, name: str, select: str) -> str:
        return f"CREATE TEMP TABLE {name} AS {select}"

    def create_temp_index(self, index: str, table: str, columns: str) -> str:
        return f"CREATE INDEX temp.{index} ON {table}({columns})"

    def drop_temp_table(self, name: str) -> str:
        return f"DROP TABLE IF EXISTS temp.{name}"

    def auto_id(self) -> str:
        return "INTEGER PRIMARY KEY"  # the rowid itself

    def insert_ignore(self, table: str, rest: str) -> str:
        return f"INSERT OR IGNORE INTO {table} {rest}"

    def distinct(self, a: str, b: str) -> str:
        return f"{a} IS NOT {b}"

    def not_distinct(self, a: str, b: str) -> str:
        return f"{a} IS {b}"

    def least(self, *exprs: str) -> str:
        return f"min({', '.join(exprs)})"  # min() with two or more arguments is SQLite's scalar minimum

    def greatest(self, *exprs: str) -> str:
        return f"max({', '.join(exprs)})"

    def count_true(self, cond: str) -> str:
        return f"SUM({cond})"  # a comparison is the integer 1 or 0

    def zero_pad(self, expr: str, width: int) -> str:
        return f"printf('%0{int(width)}d', {expr})"

    def days_between(self, later: str, earlier: str) -> str:
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def contains(self, text: str, part: str) -> str:
        return f"instr({text}, {part}) > 0"

    def json_array_items(self, expr: str, alias: str) -> str:
        return f"json_each({expr}) {alias}"

    def row_locator(self, alias: str, key: str) -> str:
        return f"{alias}.rowid"

    def full_scan(self) -> str:
        return " NOT INDEXED"

    def unindexed(self, expr: str) -> str:
        return f"+{expr}"  # a unary plus makes the term unusable for an index


SQLITE: Final = SQLite()


class PostgreSQL(Dialect):
    """PostgreSQL 15 or later. Flags are SMALLINT 0/1 and dates ISO text, as in SQLite (the schema keeps
    SQLite's storage forms), so the domain's SQL means the same on both.

    Casts are spelled ``CAST(x AS t)``, never ``x::t``: the connection translates ``:name`` placeholders,
    and a cast right after one (``:d::date``) would be ambiguous to read."""

    name = "postgresql"
    max_parameters = 65535  # the wire protocol's count is an unsigned 16-bit integer

    def temp(self, name: str) -> str:
        return f"pg_temp.{name}"

    def create_temp_table(
        self, name: str, columns: str, *, clustered: bool = False, if_not_exists: bool = False
    ) -> str:
        # ``clustered`` is ignored: tables are heaps, and the primary key's index serves the same look-ups.
        # INTEGER is 64 bits in SQLite and 32 in PostgreSQL: a staged amount or sequence number that SQLite
        # takes must fit here too. TEXT compares by code point, as the schema's text columns do
        # (pg.schema.COLLATION): whatever the database's default, a join with them can use either index.
        exists = "IF NOT EXISTS " if if_not_exists else ""
        columns = _TEXT.sub('TEXT COLLATE "C"', _INTEGER.sub("BIGINT", columns))
        return f"CREATE TEMP TABLE {exists}{name} ({columns})"

    def create_temp_table_as(self, name: str, select: str) -> str:
        return f"CREATE TEMP TABLE {name} AS {select}"

    def create_temp_index(self, index: str, table: str, columns: str) -> str:
        # An index lives in its table's schema: naming the table in pg_temp puts the index there too.
        return f"CREATE INDEX {index} ON pg_temp.{table} ({columns})"

    def drop_temp_table(self, name: str) -> str:
        return f"DROP TABLE IF EXISTS pg_temp.{name}"

    def auto_id(self) -> str:
        return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"

    def insert_ignore(self, table: str, rest: str) -> str:
        # Without a conflict target every unique key counts, as with SQLite's OR IGNORE; a key repeated
        # inside ``rest`` itself is skipped too (only DO UPDATE refuses that).
        return f"INSERT INTO {table} {rest} ON CONFLICT DO NOTHING"

    def distinct(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}"

    def not_distinct(self, a: str, b: str) -> str:
        return f"{a} IS NOT DISTINCT FROM {b}"

    def least(self, *exprs: str) -> str:
        return self._null_if_any(exprs, "LEAST")

    def greatest(self, *exprs: str) -> str:
        return self._null_if_any(exprs, "GREATEST")

    @staticmethod
    def _null_if_any(exprs: tuple[str, ...], function: str) -> str:
        # PostgreSQL's LEAST/GREATEST skip NULLs; the contract (SQLite's min/max) gives NULL. Each argument
        # is written twice, so a positional placeholder in one would shift every later parameter.
        if any("?" in e for e in exprs):
            raise ValueError(f"{function}: arguments are repeated in the SQL text; pass no '?' placeholder")
        nulls = " OR ".join(f"({e}) IS NULL" for e in exprs)
        return f"(CASE WHEN {nulls} THEN NULL ELSE {function}({', '.join(exprs)}) END)"

    def count_true(self, cond: str) -> str:
        return f"SUM(CAST(({cond}) AS INTEGER))"  # a comparison is a boolean: true counts 1

    def zero_pad(self, expr: str, width: int) -> str:
        return f"lpad(CAST(({expr}) AS TEXT), {int(width)}, '0')"

    def days_between(self, later: str, earlier: str) -> str:
        return f"(CAST(({later}) AS DATE) - CAST(({earlier}) AS DATE))"  # date - date is whole days

    def contains(self, text: str, part: str) -> str:
        return f"strpos({text}, {part}) > 0"

    def json_array_items(self, expr: str, alias: str) -> str:
        return f"jsonb_array_elements_text(CAST(({expr}) AS JSONB)) AS {alias}(value)"

    def row_locator(self, alias: str, key: str) -> str:
        return f"{alias}.{key}"

    def full_scan(self) -> str:
        return ""  # the planner chooses; a sequential scan is its own choice at a report's selectivity

    def unindexed(self, expr: str) -> str:
        return expr


POSTGRESQL: Final = PostgreSQL()
