"""The storage seam: no SQLite-only SQL outside ``collectui/storage``, and what the seam offers instead.

The scan reads the string literals of every module outside storage (f-strings with their holes as ``{}``;
docstrings and comments are prose and are skipped) and looks for the constructs only SQLite understands.
The dialect and bulk tests check that the SQLite spellings mean what ``Dialect`` promises.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collectui.storage import dialect as dialect_module
from collectui.storage.bulk import RowInserter, scratch_table
from collectui.storage.dialect import SQLITE, Dialect, SQLite
from collectui.storage.engine import Database
from collectui.storage.files import read_meta
from collectui.storage.raw import dialect_of, install_local_time, table_columns

PACKAGE = Path(__file__).resolve().parents[2] / "collectui"

# name -> pattern of SQL text that only SQLite understands (or that relies on SQLite's storage model).
SQLITE_ONLY = {
    "PRAGMA": r"\bPRAGMA\b",
    "WITHOUT ROWID": r"\bWITHOUT\s+ROWID\b",
    "BEGIN IMMEDIATE": r"\bBEGIN\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED)\b",
    "sqlite_master": r"\bsqlite_(?:master|schema|temp_master|sequence|stat\d)\b",
    "INSERT OR IGNORE": r"\bINSERT\s+OR\s+(?:IGNORE|REPLACE|ABORT|FAIL|ROLLBACK)\b|\bREPLACE\s+INTO\b",
    "temp.": r"\btemp\.\w",
    "CREATE TEMP TABLE": r"\bCREATE\s+TEMP(?:ORARY)?\s+TABLE\b",
    "SQLite function": (
        r"\b(?:julianday|strftime|group_concat|ifnull|iif|instr|printf|unixepoch|json_\w+|json|last_insert_rowid"
        r"|changes|total_changes|randomblob|typeof|likelihood|likely|unlikely|zeroblob|datetime|date|time|total)\("
    ),
    "rowid": r"\b(?:_rowid_|rowid|oid)\b",
    "NOT INDEXED": r"\bNOT\s+INDEXED\b|\bINDEXED\s+BY\b",
    "scalar min/max": r"\b(?:min|max)\([^(),]*,[^()]*\)",
}
_CASE_SENSITIVE = {
    # ``a IS b`` between two values (SQL has IS only before NULL/TRUE/FALSE/DISTINCT FROM). Upper case only,
    # so that English in messages ("is not a flag") does not count.
    "IS between values": r"\bIS\s+(?:NOT\s+)?(?!NULL\b|NOT\b|TRUE\b|FALSE\b|DISTINCT\b|UNKNOWN\b)[\w(:?{]",
    "GLOB": r"\bGLOB\b",
}
PATTERNS = {name: re.compile(p, re.IGNORECASE) for name, p in SQLITE_ONLY.items()} | {
    name: re.compile(p) for name, p in _CASE_SENSITIVE.items()
}
# sqlite3.Connection methods and attributes beyond the DB-API (RawConnection is a sqlite3.Connection today).
DRIVER_ONLY_API = {
    "lastrowid",
    "total_changes",
    "create_function",
    "create_aggregate",
    "create_collation",
    "executescript",
    "iterdump",
    "enable_load_extension",
    "set_authorizer",
    "set_progress_handler",
    "blobopen",
    "isolation_level",
    "in_transaction",
    "row_factory",
    "text_factory",
}
# (path under collectui/, finding name) -> why it may stay. Keep it short; prefer moving SQL into storage.
ALLOWED: dict[tuple[str, str], str] = {}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def findings(source: str) -> list[tuple[int, str, str]]:
    """(line, finding name, matched text) for every SQLite-only construct in ``source``'s string literals
    and every use of a driver-only connection attribute."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    out = []
    for node in ast.walk(tree):  # breadth first: an f-string is seen before its parts
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        else:
            if isinstance(node, ast.Attribute) and node.attr in DRIVER_ONLY_API:
                out.append((node.lineno, "driver API", node.attr))
            continue
        for name, pattern in PATTERNS.items():
            if m := pattern.search(text):
                out.append((node.lineno, name, m.group(0)))
    return out


def test_no_sqlite_only_sql_outside_storage():
    problems = []
    scanned = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("storage/"):
            continue
        scanned += 1
        for line, name, text in findings(path.read_text(encoding="utf-8")):
            if (rel, name) not in ALLOWED:
                problems.append(f"collectui/{rel}:{line}: {name}: {text!r}")
    assert scanned > 100  # the whole package but storage
    assert not problems, "SQLite-only SQL outside collectui/storage (use storage.dialect / storage.bulk):\n" + (
        "\n".join(problems)
    )


@pytest.mark.parametrize(
    ("snippet", "name"),
    [
        ('conn.execute("PRAGMA foreign_keys = OFF")', "PRAGMA"),
        ('sql = "CREATE TABLE t(a PRIMARY KEY) WITHOUT ROWID"', "WITHOUT ROWID"),
        ('conn.execute("BEGIN IMMEDIATE")', "BEGIN IMMEDIATE"),
        ("q = \"SELECT 1 FROM sqlite_master WHERE name = 'x'\"", "sqlite_master"),
        ('q = f"INSERT OR IGNORE INTO {t} VALUES (?)"', "INSERT OR IGNORE"),
        ('q = "INSERT OR REPLACE INTO t SELECT * FROM u"', "INSERT OR IGNORE"),
        ('q = "DELETE FROM temp._scope"', "temp."),
        ('q = f"CREATE TEMP TABLE {name} (a INTEGER)"', "CREATE TEMP TABLE"),
        ("q = \"SELECT julianday('now') - julianday(d)\"", "SQLite function"),
        ("q = \"SELECT group_concat(msg, '; ') FROM r\"", "SQLite function"),
        ('q = "SELECT IFNULL(a, 0) FROM t"', "SQLite function"),
        ("q = \"SELECT printf('%05d', seq) FROM t\"", "SQLite function"),
        ('q = "SELECT j.value FROM t, json_each(t.x) j"', "SQLite function"),
        ('q = "SELECT w.rowid FROM work_item w"', "rowid"),
        ('q = f"FROM call_attempt x NOT INDEXED{join}"', "NOT INDEXED"),
        ('q = "UPDATE t SET a = MAX(t.a, s.a)"', "scalar min/max"),
        ('q = f"WHERE t.{c} IS NOT ({e})"', "IS between values"),
        ('q = "CASE WHEN t.phone IS s.phone THEN 1 END"', "IS between values"),
        ("i = cur.lastrowid", "driver API"),
        ('conn.create_function("f", 1, f)', "driver API"),
    ],
)
def test_the_scan_finds_each_construct(snippet, name):
    assert name in {n for _, n, _ in findings(snippet)}


@pytest.mark.parametrize(
    "snippet",
    [
        '"""PRAGMA and rowid in a docstring are prose."""',
        "# INSERT OR IGNORE in a comment\nx = 1",
        'q = "SELECT a FROM t WHERE b IS NOT NULL AND c IS NULL AND d IS DISTINCT FROM e"',
        'q = "SELECT MAX(started_at), MIN(CASE WHEN x THEN y END) FROM t"',
        'msg = "this value is not a flag a call may set"',
        'q = "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"',
    ],
)
def test_the_scan_leaves_portable_sql_and_prose_alone(snippet):
    assert findings(snippet) == []


# ---- the dialect ---------------------------------------------------------------------------------------


@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:")
    yield c
    c.close()


def one(conn: sqlite3.Connection, sql: str, params: tuple = ()):
    return conn.execute(sql, params).fetchone()[0]


def test_every_dialect_method_is_implemented():
    abstract = {n for n, v in vars(Dialect).items() if getattr(v, "__isabstractmethod__", False)}
    assert abstract and not SQLite.__abstractmethods__
    assert {n for n in abstract if n not in vars(SQLite)} == set()
    assert dialect_module.SQLITE is SQLITE and isinstance(SQLITE, Dialect)


@pytest.mark.parametrize(
    ("a", "b", "distinct"),
    [("1", "1", 0), ("1", "2", 1), ("NULL", "1", 1), ("1", "NULL", 1), ("NULL", "NULL", 0), ("'x'", "'x'", 0)],
)
def test_null_safe_comparisons(conn, a, b, distinct):
    assert one(conn, f"SELECT {SQLITE.distinct(a, b)}") == distinct
    assert one(conn, f"SELECT {SQLITE.not_distinct(a, b)}") == 1 - distinct


def test_least_greatest_zero_pad_days_contains(conn):
    assert one(conn, f"SELECT {SQLITE.least('3', '1', '2')}") == 1
    assert one(conn, f"SELECT {SQLITE.greatest('0', '1')}") == 1
    assert one(conn, f"SELECT {SQLITE.least('1', 'NULL')}") is None
    assert one(conn, f"SELECT {SQLITE.zero_pad('?', 20)}", (42,)) == "0" * 18 + "42"
    assert one(conn, f"SELECT {SQLITE.days_between('?', '?')}", ("2026-03-01", "2026-02-27")) == 2
    assert one(conn, f"SELECT {SQLITE.days_between('?', '?')}", ("2026-03-01", None)) is None
    assert one(conn, f"SELECT {SQLITE.contains('?', '?')}", ("王小明", "小")) == 1
    assert one(conn, f"SELECT {SQLITE.contains('?', '?')}", ("王小明", "%")) == 0


def test_count_true(conn):
    conn.execute("CREATE TABLE f(g INTEGER, score INTEGER)")
    conn.executemany("INSERT INTO f VALUES (?, ?)", [(1, 9), (1, 3), (1, None), (2, 1), (3, None)])
    sql = f"SELECT g, {SQLITE.count_true('score >= 5')} FROM f GROUP BY g ORDER BY g"
    assert conn.execute(sql).fetchall() == [(1, 1), (2, 0), (3, None)]


def test_json_array_items(conn):
    rows = conn.execute(f"SELECT j.value FROM {SQLITE.json_array_items('?', 'j')}", ('["a", "b"]',)).fetchall()
    assert rows == [("a",), ("b",)]


def test_temp_tables_shadow_nothing_and_go(conn):
    d = SQLITE
    conn.execute("CREATE TABLE scratch(a INTEGER)")  # a permanent table of the same name stays untouched
    conn.execute("INSERT INTO scratch VALUES (7)")
    conn.execute(d.create_temp_table("scratch", "k TEXT PRIMARY KEY, n INTEGER", clustered=True))
    conn.execute(d.create_temp_table("scratch", "k TEXT PRIMARY KEY, n INTEGER", if_not_exists=True))
    conn.execute(d.create_temp_index("scratch_n", "scratch", "n"))
    conn.execute(d.insert_ignore(d.temp("scratch"), "VALUES (?, ?)"), ("a", 1))
    conn.execute(d.insert_ignore(d.temp("scratch"), "(k, n) SELECT 'a', 2 UNION ALL SELECT 'b', 3"))
    assert conn.execute(f"SELECT k, n FROM {d.temp('scratch')} ORDER BY k").fetchall() == [("a", 1), ("b", 3)]
    conn.execute(d.create_temp_table_as("copy", f"SELECT k FROM {d.temp('scratch')}"))
    assert one(conn, f"SELECT COUNT(*) FROM {d.temp('copy')}") == 2
    conn.execute(d.drop_temp_table("scratch"))
    conn.execute(d.drop_temp_table("scratch"))  # dropping what is gone is no error
    assert conn.execute("SELECT a FROM scratch").fetchall() == [(7,)]


def test_auto_id_numbers_rows_in_insertion_order(conn):
    conn.execute(SQLITE.create_temp_table("r", f"seq {SQLITE.auto_id()}, msg TEXT"))
    conn.executemany("INSERT INTO r(msg) VALUES (?)", [("b",), ("a",), ("c",)])
    assert conn.execute("SELECT msg FROM r ORDER BY seq").fetchall() == [("b",), ("a",), ("c",)]


def test_row_locator_and_scan_hints_keep_the_answer(conn):
    conn.execute("CREATE TABLE w(customer_id TEXT PRIMARY KEY, sort_key TEXT)")
    conn.execute("CREATE INDEX w_order ON w(sort_key)")
    conn.executemany("INSERT INTO w VALUES (?, ?)", [("c1", "b"), ("c2", "a"), ("c3", "c")])
    loc = SQLITE.row_locator("w")
    keys = [r[0] for r in conn.execute(f"SELECT {loc} FROM w ORDER BY sort_key LIMIT 2")]
    marks = ",".join("?" * len(keys))
    found = conn.execute(f"SELECT customer_id FROM w WHERE {loc} IN ({marks}) ORDER BY sort_key", keys).fetchall()
    assert found == [("c2",), ("c1",)]
    hinted = f"SELECT customer_id FROM w x{SQLITE.full_scan()} WHERE {SQLITE.unindexed('x.sort_key')} >= ? ORDER BY 1"
    assert conn.execute(hinted, ("b",)).fetchall() == [("c1",), ("c3",)]


# ---- bulk and raw helpers ------------------------------------------------------------------------------


def test_scratch_table_is_made_once_and_emptied_for_each_use(conn):
    table = scratch_table(conn, "_scope", "customer_id TEXT PRIMARY KEY")
    conn.executemany(f"INSERT INTO {table} VALUES (?)", [("a",), ("b",)])
    again = scratch_table(conn, "_scope", "customer_id TEXT PRIMARY KEY")
    assert again == table == SQLITE.temp("_scope")
    assert one(conn, f"SELECT COUNT(*) FROM {table}") == 0


@pytest.mark.parametrize("count", [0, 1, 19, 20, 21, 41, 1000])
def test_row_inserter_writes_every_row_once_in_order(conn, count):
    width = 50  # a wide row: 999 // 50 = 19 rows per statement
    conn.execute(f"CREATE TABLE stg(line INTEGER PRIMARY KEY, {', '.join(f'c{i} INTEGER' for i in range(width - 1))})")
    insert = RowInserter(conn, "stg", width)
    assert insert.pack == SQLITE.max_parameters // width and insert.pack * width <= SQLITE.max_parameters
    rows = [tuple(range(n * width, (n + 1) * width)) for n in range(count)]
    insert(rows)
    assert conn.execute("SELECT * FROM stg ORDER BY line").fetchall() == sorted(rows)


def test_raw_helpers_on_a_database(tmp_path):
    db = Database(tmp_path / "x.db")
    db.create_schema()
    try:
        assert db.dialect is SQLITE
        with db.raw_read() as raw:
            assert dialect_of(raw) is db.dialect
            columns = table_columns(raw, "meta")
            assert [c.name for c in columns] == ["key", "value"]
            assert [c.primary_key for c in columns] == [True, False]
            assert table_columns(raw, "no_such_table") == []
            install_local_time(raw, ZoneInfo("Asia/Shanghai"))
            row = raw.execute(
                "SELECT local_date(?), local_week(?), date_week(?), local_date(NULL)",
                ("2026-11-29T17:30:00.000000+00:00", "2026-11-29T17:30:00.000000+00:00", "2026-11-29"),
            ).fetchone()
            assert row == ("2026-11-30", "2026-W49", "2026-W48", None)
        assert read_meta(db.path, "schema_") == {"schema_version": str(db.schema_version())}
    finally:
        db.dispose()
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("hello, this is not SQLite", encoding="utf-8")
    assert read_meta(not_a_database, "demo") is None
