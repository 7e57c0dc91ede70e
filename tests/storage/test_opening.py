"""Only collectui's own databases are opened: missing, empty, non-SQLite and foreign files are refused
without a byte written (no tables, no WAL switch, no sidecar files); databases from before the marker open
and get it when they are migrated."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.storage.engine import Database
from collectui.storage.kind import APP_MARKER
from collectui.storage.opening import ForeignDatabase, NoDatabase, examine
from collectui.storage.raw import get_meta_raw

pytestmark = pytest.mark.sqlite_only  # opening SQLite files

ENV = {"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def ledger(path: Path, wal: bool = False) -> Path:
    """Another program's SQLite database (with a meta table of its own, to be harder to tell apart)."""
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER)")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '7')")
    conn.execute("INSERT INTO account VALUES (1, 100)")
    conn.commit()
    conn.close()
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(build_app(), ["--db", str(db), *args], env=ENV)


@pytest.mark.parametrize("wal", [False, True])
@pytest.mark.parametrize("command", [["queue"], ["report", "activity"], ["audit", "verify"], ["db", "check"]])
def test_foreign_sqlite_file_is_refused_untouched(tmp_path, command, wal):
    folder = tmp_path / "other"
    folder.mkdir()
    path = ledger(folder / "ledger.db", wal=wal)
    before, files = digest(path), listing(folder)
    result = run(path, *command)
    assert result.exit_code == 1
    assert "another program" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert digest(path) == before and listing(folder) == files  # not a byte, not a -wal or -shm file


def test_non_sqlite_and_empty_and_missing_files(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("not a database\n", encoding="utf-8")
    with pytest.raises(ForeignDatabase, match="not an SQLite file"):
        examine(text)
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(NoDatabase):
        examine(empty)
    with pytest.raises(NoDatabase, match="collectui init --admin NAME"):
        examine(tmp_path / "missing.db")
    with pytest.raises(ForeignDatabase, match="folder"):
        examine(tmp_path)


@pytest.mark.parametrize("command", [["queue"], ["import", "customers", "x.csv"], ["users", "list"]])
def test_missing_database_is_not_created(tmp_path, command):
    path = tmp_path / "typo.db"
    result = run(path, *command)
    assert result.exit_code == 1
    assert f"no database at {path}; create one with `collectui init --admin NAME` or `collectui demo`" in result.output
    assert listing(tmp_path) == []


def test_empty_file_is_refused_and_left_empty(tmp_path):
    path = tmp_path / "bank.db"
    path.touch()
    assert run(path, "queue").exit_code == 1
    assert path.stat().st_size == 0 and listing(tmp_path) == ["bank.db"]


def test_collectui_database_opens(db):
    db.dispose()
    found = examine(db.path)
    assert found.marked and found.writable
    opened = Database.open_existing(db.path)
    assert not opened.read_only
    opened.dispose()


def test_database_from_before_the_marker_opens_and_is_stamped_when_migrated(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "fixtures" / "schema-v2.sql").read_text(encoding="utf-8"))
    conn.close()
    found = examine(path)
    assert not found.marked and found.schema_version == 2
    db = Database.open_existing(path)
    db.create_schema()
    with db.raw_read() as raw:
        assert get_meta_raw(raw, "app") == APP_MARKER
        assert get_meta_raw(raw, "db_id")
    db.dispose()
    assert examine(path).marked
