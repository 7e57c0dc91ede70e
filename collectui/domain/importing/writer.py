"""Set-based writing of one kind inside the import's single transaction (a plain connection).

Rows are staged in a temporary table (flat memory whatever the file size), then SQL finds duplicate keys in the
file, unresolved references and changed payments; what is left is updated (changed rows only, each one
audited) and inserted with ``INSERT ... SELECT``. Nothing is committed here: the caller commits or rolls
back the whole import.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from collectui.domain.audit.chain import RawAudit
from collectui.domain.importing.columns import HeaderMap, KindSpec, Target
from collectui.domain.importing.readers import DelimitedReader
from collectui.domain.importing.stream import build_runner
from collectui.domain.importing.validate import Cells, RowPlan, RowValidator, Staged, message, show_value
from collectui.storage.bulk import RowInserter, model_defaults
from collectui.storage.dialect import Dialect
from collectui.storage.raw import RawConnection, dialect_of, table_columns

BATCH = 5000
STREAM_CHUNK = 50_000
FULL_REFRESH_ROWS = 20_000  # above this many touched rows, refresh everything instead of a list


@dataclass
class KindCounts:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    branches_created: int = 0
    kept: int = 0  # rows a rule kept from changing a value (KindSpec.kept)

    @property
    def unchanged(self) -> int:
        return self.read - self.rejected - self.inserted - self.updated


@contextmanager
def _without_gc() -> Iterator[None]:
    """No reference cycles are made per row; the cyclic GC only slows a million-row loop down."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class KindWriter:
    conn: RawConnection
    job: int
    spec: KindSpec
    hmap: HeaderMap
    location: Callable[[int], str]
    unit: str  # "line" or "row": how a record's place is named in messages
    policy: Any = None
    counts: KindCounts = field(default_factory=KindCounts)
    ordered: bool = False  # see finish_stage
    dialect: Dialect = field(init=False)
    _stager: RowInserter | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.dialect = dialect_of(self.conn)

    @property
    def stg(self) -> str:
        return f"imp_stg_{self.job}"

    def _present(self, target: Target) -> bool:
        names = {c.name for c in self.spec.columns}
        needs = target.needs if target.needs is not None else ((target.column,) if target.column in names else ())
        return all(n in self.hmap.index for n in needs)

    # ---- staging -------------------------------------------------------------------------------------

    def create_stage(self) -> None:
        d = self.dialect
        cols = ", ".join(f"{c.name} {c.sql_type}" for c in self.spec.columns)
        self.conn.execute(d.drop_temp_table(self.stg))
        self.conn.execute(d.create_temp_table(self.stg, f"line INTEGER PRIMARY KEY, err INTEGER NOT NULL, {cols}"))
        self._stager = RowInserter(self.conn, self.stg, len(self.spec.columns) + 2)

    def finish_stage(self, read: int, ordered: bool = False) -> None:
        """``ordered``: the staged keys were strictly increasing, so no key repeats and no index is needed
        (exports usually come sorted by their key; sorting a million keys costs more than checking)."""
        self.counts.read = read
        self.ordered = ordered
        if not ordered:
            key = ", ".join(self.spec.key)
            self.conn.execute(self.dialect.create_temp_index(f"{self.stg}_key", self.stg, key))

    def stage(
        self, records: Iterable[tuple[int, Cells]], validate: RowValidator, on_batch: Callable[[], None] | None = None
    ) -> None:
        """Validate every record in Python and stage it (the path for workbooks and kinds without SQL twins)."""
        self.create_stage()
        with _without_gc():
            read = self.stage_rows(records, validate, on_batch)
        self.finish_stage(read)

    def stage_stream(self, reader: DelimitedReader, plan: RowPlan, on_batch: Callable[[], None] | None = None) -> None:
        """Stage a delimited file: the reader's generator feeds executemany directly (no per-row loop here)."""
        self.create_stage()
        rejects: list[tuple[int, int, str]] = []  # (job, line, message)
        with _without_gc():
            runner = build_runner(plan)
            while not reader.exhausted:
                self._insert_staged(list(reader.stream(runner, rejects, self.job, STREAM_CHUNK)))
                if rejects:
                    self.conn.executemany("INSERT INTO imp_rej(job, line, msg) VALUES (?, ?, ?)", rejects)
                    rejects.clear()
                if on_batch:
                    on_batch()
        self.finish_stage(reader.seen, reader.ordered)

    def _insert_staged(self, rows: list[Staged]) -> None:
        """Staged rows (line, err, the columns) into the staging table, the engine's fastest way."""
        assert self._stager is not None, "create_stage first"
        self._stager(rows)

    def stage_rows(
        self, records: Iterable[tuple[int, Cells]], validate: RowValidator, on_batch: Callable[[], None] | None = None
    ) -> int:
        """Validate ``records`` ((line, cells) pairs) in Python into the staging table; returns how many."""
        rej_ins = "INSERT INTO imp_rej(job, line, msg) VALUES (?, ?, ?)"
        batch: list[Staged] = []
        rejects: list[tuple[int, int, str]] = []
        read = 0
        job = self.job
        for line, cells in records:
            read += 1
            row, errors = validate(line, cells)
            if row is not None:
                batch.append(row)
            if errors:
                rejects.extend((job, line, m) for m in errors)
            if len(batch) >= BATCH:
                self._insert_staged(batch)
                batch.clear()
                if rejects:
                    self.conn.executemany(rej_ins, rejects)
                    rejects.clear()
                if on_batch:
                    on_batch()
        self._insert_staged(batch)
        self.conn.executemany(rej_ins, rejects)
        return read

    # ---- checks --------------------------------------------------------------------------------------

    def _reject(self, rows: Iterable[tuple[int, str]]) -> None:
        self.conn.executemany(
            "INSERT INTO imp_rej(job, line, msg) VALUES (?, ?, ?)", ((self.job, line, msg) for line, msg in rows)
        )
        self.conn.execute(
            f"UPDATE {self.stg} SET err = 1 WHERE err = 0 AND line IN (SELECT line FROM imp_rej WHERE job = ?)",
            (self.job,),
        )

    def _label(self, name: str) -> str:
        return self.hmap.labels.get(name, name)

    def check(self) -> None:
        spec, stg, d = self.spec, self.stg, self.dialect
        keys = spec.key
        match = " AND ".join(f"s.{k} = d.{k}" for k in keys)
        sql = (
            f"SELECT s.line, d.first, {', '.join('s.' + k for k in keys)} FROM {stg} s JOIN "
            f"(SELECT {', '.join(keys)}, MIN(line) AS first FROM {stg} GROUP BY {', '.join(keys)} "
            f"HAVING COUNT(*) > 1) d ON {match} WHERE s.line > d.first"
        )
        labels = ", ".join(self._label(k) for k in keys)
        if not self.ordered:
            self._reject(
                [
                    (
                        r[0],
                        message(
                            labels,
                            "', '".join(str(v) for v in r[2:]),
                            f"a key used once in the file (already on {self.unit} {r[1]})",
                        ),
                    )
                    for r in self.conn.execute(sql).fetchall()
                ]
            )
        for ref in spec.refs:
            if ref.column not in self.hmap.index:
                continue
            col = spec.column(ref.column)
            # Each distinct value is looked up once (a loan's id is on each of its instalments); the
            # subquery is named ``s`` with the columns ``ref.resolves`` reads, so it reads them as they are.
            cols = [ref.column, *sorted(self._columns_of(ref.resolves) - {ref.column})]
            used = ", ".join(cols)
            bad = (
                f"SELECT {used} FROM (SELECT DISTINCT {used} FROM {stg} WHERE err = 0 "
                f"AND {ref.column} IS NOT NULL) s WHERE NOT ({ref.resolves})"
            )
            if self.conn.execute(f"SELECT EXISTS ({bad})").fetchone()[0] == 0:
                continue
            self.conn.execute(d.drop_temp_table("imp_bad"))
            self.conn.execute(d.create_temp_table_as("imp_bad", bad))
            self.conn.execute(d.create_temp_index("imp_bad_all", "imp_bad", used))
            # not_distinct: a NULL in another column matches a NULL
            same = " AND ".join(d.not_distinct(f"b.{c}", f"s.{c}") for c in cols)
            sql = (
                f"SELECT s.line, s.{ref.column} FROM {stg} s WHERE s.err = 0 AND s.{ref.column} IS NOT NULL "
                f"AND EXISTS (SELECT 1 FROM {d.temp('imp_bad')} b WHERE {same})"
            )
            self._reject(
                (line, message(self._label(ref.column), show_value(val, col.sensitive, self.policy), ref.expected))
                for line, val in self.conn.execute(sql).fetchall()
            )
            self.conn.execute(d.drop_temp_table("imp_bad"))
        if not self._table_has_rows():
            return
        on = " AND ".join(f"t.{k} = s.{k}" for k in keys)
        for target in spec.targets:
            if not target.immutable or not self._present(target):
                continue
            sql = (
                f"SELECT s.line, t.{target.column}, {target.insert} FROM {stg} s JOIN {spec.table} t ON {on} "
                f"WHERE s.err = 0 AND {d.distinct(f't.{target.column}', f'({target.insert})')}"
            )
            src = (target.needs or (target.column,))[0]
            self._reject(
                (
                    line,
                    message(
                        self._label(src),
                        target.show(new),
                        f"{target.show(old)}, as already recorded: a {spec.name} row with this "
                        f"key cannot change (import it under a new key)",
                    ),
                )
                for line, old, new in self.conn.execute(sql).fetchall()
            )

    def _table_has_rows(self) -> bool:
        return bool(self.conn.execute(f"SELECT EXISTS (SELECT 1 FROM {self.spec.table})").fetchone()[0])

    # ---- writing -------------------------------------------------------------------------------------

    def write(self, audit: RawAudit | None, params: dict[str, Any], file_label: str) -> bool:
        """Apply the valid staged rows. Returns True when so many rows changed that a full refresh is due."""
        spec, stg, conn, d = self.spec, self.stg, self.conn, self.dialect
        self.counts.rejected = conn.execute(
            "SELECT COUNT(DISTINCT line) FROM imp_rej WHERE job = ?", (self.job,)
        ).fetchone()[0]
        if spec.before_write:
            self.counts.branches_created = spec.before_write(conn, stg)
        existing = self._table_has_rows()
        on = " AND ".join(f"t.{k} = s.{k}" for k in spec.key)
        cust = spec.customer_sql
        full = False
        if spec.kept is not None and existing:
            self.counts.kept = spec.kept(conn, stg)
        if existing:
            self._update(audit, params, file_label, on)
        # The borrowers of new rows: returned by the insert itself (RETURNING the columns ``customer_sql``
        # reads) when the table has them; else found in staging before the insert.
        used = sorted(self._columns_of(cust)) if cust else []
        from_table = bool(used) and existing and set(used) <= self._table_columns()
        if cust and not from_table:
            if existing:
                conn.execute(
                    d.insert_ignore(
                        "imp_touched",
                        f"SELECT {cust} FROM {stg} s WHERE s.err = 0 "
                        f"AND NOT EXISTS (SELECT 1 FROM {spec.table} t WHERE {on}) AND {cust} IS NOT NULL",
                    )
                )
            elif self.counts.read - self.counts.rejected > FULL_REFRESH_ROWS:
                full = True
            else:
                conn.execute(
                    d.insert_ignore("imp_touched", f"SELECT {cust} FROM {stg} s WHERE s.err = 0 AND {cust} IS NOT NULL")
                )
        self._insert(params, existing, on, used if from_table else None)
        return full

    @staticmethod
    def _columns_of(sql: str) -> set[str]:
        """The staging columns an SQL snippet over ``s`` reads."""
        return set(re.findall(r"\bs\.(\w+)", sql))

    def _table_columns(self) -> set[str]:
        return {c.name for c in table_columns(self.conn, self.spec.table)}

    def _update(self, audit: RawAudit | None, params: dict[str, Any], file_label: str, on: str) -> None:
        spec, stg, conn, d = self.spec, self.stg, self.conn, self.dialect
        targets = [t for t in spec.targets if not t.immutable and self._present(t)]
        if not targets:
            return
        exprs = [t.update or t.insert for t in targets]
        changed = " OR ".join(d.distinct(f"t.{t.column}", f"({e})") for t, e in zip(targets, exprs, strict=True))
        cust = spec.customer_sql or "NULL"
        sql = (
            f"SELECT s.line, {', '.join('s.' + k for k in spec.key)}, {cust}, "
            + ", ".join(f"t.{t.column}, ({e})" for t, e in zip(targets, exprs, strict=True))
            + f" FROM {stg} s JOIN {spec.table} t ON {on} WHERE s.err = 0 AND ({changed})"
        )
        nkey = len(spec.key)
        changed_lines = d.temp("imp_changed")
        touch = d.insert_ignore("imp_touched", "VALUES (?)")
        note_line = f"INSERT INTO {changed_lines} VALUES (?)"
        conn.execute(f"DELETE FROM {changed_lines}")
        cur = conn.execute(sql, params)
        touched: list[tuple[object]] = []
        lines: list[tuple[int]] = []
        while rows := cur.fetchmany(BATCH):
            for row in rows:
                line, key, customer = row[0], row[1 : 1 + nkey], row[1 + nkey]
                lines.append((line,))
                pairs = row[2 + nkey :]
                fields, values = [], {}
                for i, target in enumerate(targets):
                    old, new = pairs[2 * i], pairs[2 * i + 1]
                    if old != new:
                        fields.append(target.column)
                        if not target.personal:
                            values[target.column] = [
                                None if old is None else target.show(old),
                                None if new is None else target.show(new),
                            ]
                if customer is not None:
                    touched.append((customer,))
                if audit is not None:
                    audit.add(
                        f"import.{spec.name}.update",
                        spec.table,
                        "|".join(str(k) for k in key),
                        {"file": file_label, "line": line, "changed": fields, "values": values},
                    )
            conn.executemany(touch, touched)
            conn.executemany(note_line, lines)
            touched.clear()
            lines.clear()
        if not conn.execute(f"SELECT EXISTS (SELECT 1 FROM {changed_lines})").fetchone()[0]:
            self.counts.updated = 0  # the daily full export: nothing changed, no pass over the table
            return
        sets = [f"{t.column} = ({e})" for t, e in zip(targets, exprs, strict=True)]
        sets += [f"{col} = ({e})" for col, e in spec.update_extra.items()]
        cur = conn.execute(
            f"UPDATE {spec.table} AS t SET {', '.join(sets)} FROM {stg} AS s "
            f"WHERE {on} AND s.line IN (SELECT line FROM {changed_lines}) AND ({changed})",
            params,
        )
        self.counts.updated = cur.rowcount

    def _insert(self, params: dict[str, Any], existing: bool, on: str, returning: list[str] | None = None) -> None:
        """Insert the valid new rows; with ``returning`` (columns ``customer_sql`` reads), their borrowers go
        to ``imp_touched`` as they come back from the insert."""
        spec, stg = self.spec, self.stg
        cols = list(spec.key) + [t.column for t in spec.targets] + list(spec.insert_extra)
        exprs = [f"s.{k}" for k in spec.key] + [t.insert for t in spec.targets] + list(spec.insert_extra.values())
        params = dict(params)
        for col, value in model_defaults(self.conn, spec.table, set(cols)).items():
            cols.append(col)
            exprs.append(f":d_{col}")
            params[f"d_{col}"] = value
        where = "s.err = 0"
        if existing:
            where += f" AND NOT EXISTS (SELECT 1 FROM {spec.table} t WHERE {on})"
        sql = (
            f"INSERT INTO {spec.table} ({', '.join(cols)}) SELECT {', '.join(exprs)} "
            f"FROM {stg} s WHERE {where} ORDER BY s.line"
        )
        if not returning:
            self.counts.inserted = self.conn.execute(sql, params).rowcount
            return
        # SQLite makes every change at the first step and buffers the returned rows: other statements may
        # run on this connection between fetches.
        cur = self.conn.execute(f"{sql} RETURNING {', '.join(returning)}", params)
        back = ", ".join(f"? AS {c}" for c in returning)
        touched = self.dialect.insert_ignore(
            "imp_touched", f"SELECT {spec.customer_sql} FROM (SELECT {back}) s WHERE {spec.customer_sql} IS NOT NULL"
        )
        inserted = 0
        while rows := cur.fetchmany(BATCH):
            inserted += len(rows)
            self.conn.executemany(touched, rows)
        self.counts.inserted = inserted
