"""Migrations are append-only: a database at every released schema layout migrates to exactly a new one.

The fixtures (tests/storage/fixtures/schema-*.sql) were built by each released commit's own code; see the
README there. The comparison is generic: a table, column, index or trigger added to the models without a
migration step makes it fail for every fixture.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from collectui.clock import FixedClock
from collectui.domain import audit
from collectui.storage import migrations
from collectui.storage.engine import Database
from collectui.storage.kind import APP_MARKER, kind_of
from collectui.storage.raw import get_meta_raw, table_columns
from collectui.storage.version import LATEST_VERSION
from tests.support.clock import NOW, TZ
from tests.support.schema import differences, schema_of

pytestmark = pytest.mark.sqlite_only  # SQLite databases of each released layout

FIXTURES = Path(__file__).parent / "fixtures"
# Fixture -> (the version it says, whether instalment still has the version-1 layout, its kind: None for a
# database from before the marker, which counts as production).
RELEASED = {
    "v1-first": (1, True, None),  # version 1 as first released (work_item without sort_key)
    "v1": (1, True, None),  # version 1 as last released
    "v2-rewritten": (2, True, None),  # built by the first step 2, later rewritten: says 2, has the old layout
    "v2": (2, False, None),
    "v3": (3, False, "test"),  # sign-in, tokens, stored policies, late entries, row digests; marked
    "v4": (4, False, "test"),  # numbers learned on calls, callbacks, disputes answered, plans, assignments
}


def load(name: str, path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / f"schema-{name}.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


@pytest.fixture
def fresh(tmp_path) -> dict:
    db = Database(tmp_path / "fresh.db")
    db.create_schema()
    db.dispose()
    return schema_of(db.path)


def test_every_released_version_has_a_fixture():
    assert {version for version, _, _ in RELEASED.values()} == set(range(1, LATEST_VERSION))
    assert sorted(p.name for p in FIXTURES.glob("schema-*.sql")) == sorted(f"schema-{n}.sql" for n in RELEASED)


@pytest.mark.parametrize("name", sorted(RELEASED))
def test_fixture_is_what_its_version_shipped(name, tmp_path):
    path = load(name, tmp_path / "old.db")
    version, old_layout, kind = RELEASED[name]
    conn = sqlite3.connect(path)
    assert get_meta_raw(conn, "schema_version") == str(version)
    assert ("id" in {c.name for c in table_columns(conn, "instalment")}) is old_layout
    assert get_meta_raw(conn, "app") == (None if kind is None else APP_MARKER)  # None: from before the marker
    assert get_meta_raw(conn, "kind") == kind
    conn.close()


@pytest.mark.parametrize("name", sorted(RELEASED))
def test_released_database_migrates_to_the_new_schema(name, tmp_path, fresh):
    path = load(name, tmp_path / "old.db")
    db = Database(path)
    db.create_schema()
    assert db.schema_version() == LATEST_VERSION
    db.dispose()
    # First the schema, so that a model change without its step is named here (table, column, index).
    assert differences(schema_of(path), fresh) == []
    with db.raw_read() as raw:
        assert raw.execute("SELECT loan_id, seq FROM instalment ORDER BY seq").fetchall() == [
            ("L1", 1),
            ("L1", 2),
            ("L1", 3),
        ]
        assert raw.execute("SELECT COUNT(*) FROM customer").fetchone()[0] == 1
        assert get_meta_raw(raw, "app") == APP_MARKER and len(get_meta_raw(raw, "db_id") or "") == 32
        # An unmarked database keeps counting as production; a marked one keeps its kind.
        assert kind_of(raw) == (RELEASED[name][2] or "production")
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # A trail from before version 3 is unkeyed; the first event written after the upgrade (in the CLI: the
    # sign-in) keys the chain from there on, and verify says so.
    with db.raw_write() as raw:
        audit.record_raw(raw, FixedClock(NOW, TZ), "admin", "login.ok", "user", "admin")
    with db.raw_read() as raw:
        result = audit.verify(raw)
    assert result.ok, result.problems
    assert result.keyed_from is not None
    if RELEASED[name][2] is None:  # an unkeyed trail: keyed from the first event after the upgrade
        assert result.keyed_from > 2
    else:  # version 3 on keyed its trail from the start
        assert result.keyed_from == 1
    db.dispose()


def test_every_released_layout_ends_the_same(tmp_path):
    # Holds even while a model change waits for its migration step (the test above then fails for all).
    schemas = []
    for name in sorted(RELEASED):
        path = load(name, tmp_path / f"{name}.db")
        Database(path).create_schema()
        schemas.append(schema_of(path))
    assert all(differences(s, schemas[0]) == [] for s in schemas[1:])


def test_repair_step_is_idempotent(tmp_path):
    path = load("v2-rewritten", tmp_path / "old.db")
    Database(path).create_schema()
    repaired = schema_of(path)
    conn = sqlite3.connect(path)
    conn.execute("BEGIN")
    migrations._repair_drifted_layouts(conn)  # again, on a repaired database
    conn.execute("COMMIT")
    conn.close()
    assert differences(schema_of(path), repaired) == []


def test_first_v1_work_list_is_rebuilt_by_the_next_refresh(tmp_path):
    path = load("v1-first", tmp_path / "old.db")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO meta(key, value) VALUES ('state_as_of', '2026-11-28')")
    conn.commit()
    conn.close()
    db = Database(path)
    db.create_schema()
    with db.raw_read() as raw:
        assert get_meta_raw(raw, "state_as_of") is None  # the derived state is refreshed in full next time
        assert "sort_key" in {c.name for c in table_columns(raw, "work_item")}
    db.dispose()


def test_a_failing_step_leaves_the_old_database_as_it_was(tmp_path, monkeypatch):
    path = load("v2-rewritten", tmp_path / "old.db")
    before = schema_of(path)

    def broken(raw):
        raw.execute("DROP TABLE instalment")
        raise RuntimeError("step failed half-way")

    monkeypatch.setattr(migrations, "STEPS", [migrations.STEPS[0], broken])
    with pytest.raises(RuntimeError):
        Database(path).create_schema()
    assert schema_of(path) == before
    assert Database(path).schema_version() == 2
