"""`storage.copy`: a whole database into an empty one, either engine to either engine, in one transaction.

The sources are a small demo (every kind of row: calls, promises, complaints, SMS, the audit trail) and the
calls seed (a call can be logged through the service on the copy). PostgreSQL targets are `pg_url`'s empty
databases (marked `pg`: run with --pg); SQLite to SQLite runs in every run.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from collectui.clock import FixedClock
from collectui.domain import audit
from collectui.domain.audit import keys
from collectui.domain.context import Ctx
from collectui.storage import copy as copying
from collectui.storage.engine import Database
from collectui.storage.locate import database_at
from collectui.storage.models.core import Branch
from collectui.storage.version import LATEST_VERSION
from tests.support.calls import calls_policy, log, seed
from tests.support.clock import NOW, TZ
from tests.support.demo_bank import build_demo

FIXTURES = Path(__file__).parent / "fixtures"
# Text that COPY's text format must escape (tab, newline, backslash), quotes of both kinds, a percent sign
# (psycopg's placeholder character) and Chinese: a branch name is not covered by the audit trail's row
# digests, so it can be written here without breaking the chain.
AWKWARD = '东城\t"支行"\n它\'s 100% \\N 分理处'


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("copy-demo") / "demo.db"
    build_demo(path, customers=20)
    db = Database(path)
    try:
        with db.write() as s:
            s.add(Branch(name=AWKWARD))
    finally:
        db.dispose()
    return path


@pytest.fixture
def demo(demo_template, tmp_path) -> Database:
    path = tmp_path / "source.db"
    shutil.copy(demo_template, path)
    db = Database(path)
    yield db
    db.dispose()


def rows_of(where: Database | str | Path) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, as the raw connections read them."""
    db = where if isinstance(where, Database) else database_at(where)
    out = {}
    try:
        with db.raw_read() as raw:
            for table in copying.tables():
                names = ", ".join(c.name for c in table.columns)
                order = ", ".join(c.name for c in table.primary_key.columns)
                out[table.name] = [tuple(r) for r in raw.execute(f"SELECT {names} FROM {table.name} ORDER BY {order}")]
    finally:
        if db is not where:
            db.dispose()
    return out


def verified(target: str | Path) -> audit.VerifyResult:
    db = database_at(target)
    try:
        with db.raw_read() as raw:
            return audit.verify(raw)
    finally:
        db.dispose()


def collectui_tables(url: str) -> int:
    db = database_at(url)
    try:
        with db.raw_read() as raw:
            names = [t.name for t in copying.tables()]
            found = raw.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                f"AND table_name IN ({', '.join('?' * len(names))})",
                names,
            ).fetchone()[0]
            return int(found)
    finally:
        db.dispose()


def _sqlite_to_sqlite_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name or p.name.endswith(("-wal", "-shm")))


# ---- SQLite to PostgreSQL --------------------------------------------------------------------------------


@pytest.mark.pg
def test_sqlite_to_postgresql_keeps_every_row_and_the_audit_chain(demo, pg_url):
    seen: dict[str, list[int]] = {}
    counts = copying.copy_database(
        demo, pg_url, progress=lambda t, done, total: seen.setdefault(t, []).append(done), batch=50
    )
    assert [c.table for c in counts] == [t.name for t in copying.tables()]
    assert all(c.equal for c in counts) and sum(c.source for c in counts) > 500
    source, target = rows_of(demo), rows_of(pg_url)
    for table in source:  # every row, every value: money (fen), dates and datetimes (text), flags, JSON
        assert target[table] == source[table], table
    assert AWKWARD in {row[1] for row in target["branch"]}
    # meta came over whole: the same id and kind, so the same audit key and chain
    assert dict(target["meta"])["db_id"] == dict(source["meta"])["db_id"]
    assert dict(target["meta"])["kind"] == "demo"
    result = verified(pg_url)
    assert result.ok, result.problems
    assert result.events == len(source["audit_event"]) and result.rows_checked > 0
    # streamed in batches of 50: a table of more rows was reported batch by batch
    big = max(counts, key=lambda c: c.source)
    assert big.source > 100 and seen[big.table][:3] == [0, 50, 100] and seen[big.table][-1] == big.source


@pytest.mark.pg
def test_ids_continue_on_the_copy(tmp_path, pg_url):
    source = Database(tmp_path / "calls.db")
    source.create_schema()
    seed(Ctx(source, FixedClock(NOW, TZ), calls_policy()), customers=3)
    assert log(Ctx(source, FixedClock(NOW, TZ), calls_policy()), "amy", "no_answer", customer="C1").saved
    copying.copy_database(source, pg_url)
    last_call = rows_of(source)["call_attempt"][-1][0]
    target = database_at(pg_url)
    try:
        ctx = Ctx(target, FixedClock(NOW, TZ), calls_policy())
        assert log(ctx, "amy", "no_answer", customer="C2").saved  # through the service: audited, ids new
        with target.write() as s:
            s.add(Branch(name="河西支行"))
        copied = rows_of(target)
        assert copied["call_attempt"][-1][0] == last_call + 1
        assert [b[0] for b in copied["branch"]] == [1, 2]
        with target.raw_read() as raw:
            result = audit.verify(raw)
        assert result.ok, result.problems
    finally:
        target.dispose()
        source.dispose()


@pytest.mark.pg
def test_a_target_with_collectuis_tables_is_refused_and_left_alone(demo, pg_url):
    copying.copy_database(demo, pg_url)
    before = rows_of(pg_url)
    with pytest.raises(copying.CopyRefused, match="is not empty") as refused:
        copying.copy_database(demo, pg_url)
    assert refused.value.reason == "target_has_tables"
    assert rows_of(pg_url) == before


@pytest.mark.pg
@pytest.mark.parametrize("failure", [RuntimeError("the disk is full"), KeyboardInterrupt()])
def test_a_failure_midway_leaves_the_target_empty(demo, pg_url, monkeypatch, failure):
    real = copying.copy_table
    calls: list[str] = []

    def fail_after_the_first(src, dst, table, *args):
        calls.append(table.name)
        if len(calls) == 2:
            raise failure
        return real(src, dst, table, *args)

    monkeypatch.setattr(copying, "copy_table", fail_after_the_first)
    with pytest.raises(type(failure)):
        copying.copy_database(demo, pg_url)
    assert collectui_tables(pg_url) == 0
    monkeypatch.setattr(copying, "copy_table", real)
    assert all(c.equal for c in copying.copy_database(demo, pg_url))  # and it can be done again


@pytest.mark.pg
def test_a_failing_check_before_the_commit_keeps_nothing(demo, pg_url):
    def refuse(raw, counts):
        assert all(c.equal for c in counts)
        raise RuntimeError("the audit chain does not verify")

    with pytest.raises(RuntimeError, match="does not verify"):
        copying.copy_database(demo, pg_url, before_commit=refuse)
    assert collectui_tables(pg_url) == 0


@pytest.mark.pg
def test_the_audit_key_travels_by_db_id(tmp_path, pg_url, monkeypatch):
    """Without COLLECTUI_AUDIT_KEY the key is the file named after the database's id: the copy keeps the id,
    so the target finds the same file, and without it the chain cannot be verified there."""
    monkeypatch.delenv(keys.KEY_ENV)
    keys.forget_cached_keys()
    source = Database(tmp_path / "keyed.db")
    source.create_schema()
    seed(Ctx(source, FixedClock(NOW, TZ), calls_policy()), customers=1)
    assert log(Ctx(source, FixedClock(NOW, TZ), calls_policy()), "amy", "no_answer", customer="C1").saved
    with source.raw_read() as raw:
        key_file = keys.key_path(dict(raw.execute("SELECT key, value FROM meta").fetchall())["db_id"])
    assert key_file.exists()
    copying.copy_database(source, pg_url)
    assert verified(pg_url).ok
    os.rename(key_file, tmp_path / "aside.key")
    keys.forget_cached_keys()
    try:
        result = verified(pg_url)
        assert not result.ok and any("no audit key" in p for p in result.problems), result.problems
    finally:
        keys.forget_cached_keys()
        source.dispose()


@pytest.mark.pg
def test_postgresql_back_to_sqlite(demo, pg_url, tmp_path):
    copying.copy_database(demo, pg_url)
    back = tmp_path / "back" / "bank.db"
    back.parent.mkdir()
    counts = copying.copy_database(database_at(pg_url), back)
    assert all(c.equal for c in counts)
    assert rows_of(back) == rows_of(demo)
    assert verified(back).ok
    assert _sqlite_to_sqlite_leftovers(back.parent) == []


@pytest.mark.pg
def test_postgresql_to_postgresql(demo, pg_url, pg_databases):
    """A PostgreSQL source streams through a server-side cursor, batch by batch."""
    copying.copy_database(demo, pg_url)
    other = pg_databases.new()
    try:
        source = database_at(pg_url)
        try:
            counts = copying.copy_database(source, other, batch=50)
        finally:
            source.dispose()
        assert all(c.equal for c in counts)
        assert rows_of(other) == rows_of(demo)
        assert verified(other).ok
    finally:
        pg_databases.drop(other)


# ---- either engine ---------------------------------------------------------------------------------------


def test_sqlite_to_sqlite(demo, tmp_path):
    target = tmp_path / "copy" / "bank.db"
    target.parent.mkdir()
    counts = copying.copy_database(demo, target)
    assert all(c.equal for c in counts)
    assert rows_of(target) == rows_of(demo)
    assert verified(target).ok
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert _sqlite_to_sqlite_leftovers(target.parent) == []  # one self-contained file, nothing half-built


def test_a_file_target_that_exists_is_refused_untouched(demo, tmp_path):
    target = tmp_path / "there.db"
    target.write_bytes(b"someone's file")
    with pytest.raises(copying.CopyRefused, match="is not empty") as refused:
        copying.copy_database(demo, target)
    assert refused.value.reason == "target_exists"
    assert target.read_bytes() == b"someone's file"
    with pytest.raises(copying.CopyRefused):
        copying.copy_database(demo, demo.path)


def test_a_failure_midway_leaves_no_file(demo, tmp_path, monkeypatch):
    def fail(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(copying, "copy_table", fail)
    with pytest.raises(KeyboardInterrupt):
        copying.copy_database(demo, tmp_path / "new.db")
    assert not (tmp_path / "new.db").exists()
    assert _sqlite_to_sqlite_leftovers(tmp_path) == []


def test_an_older_source_is_refused(tmp_path):
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "schema-v4.sql").read_text(encoding="utf-8"))
    conn.close()
    old = Database(path)
    with pytest.raises(copying.CopyRefused, match="run `collectui db migrate` on the source first") as refused:
        copying.copy_database(old, tmp_path / "new.db")
    assert refused.value.reason == "source_version" and refused.value.params["latest"] == str(LATEST_VERSION)
    assert not (tmp_path / "new.db").exists()
    assert old.schema_version() == 4  # not upgraded on the way


@pytest.mark.pg
def test_an_older_source_is_refused_before_postgresql_is_touched(tmp_path, pg_url):
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "schema-v4.sql").read_text(encoding="utf-8"))
    conn.close()
    with pytest.raises(copying.CopyRefused, match="db migrate"):
        copying.copy_database(Database(path), pg_url)
    assert collectui_tables(pg_url) == 0
