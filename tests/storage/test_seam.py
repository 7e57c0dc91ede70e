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
from collectui.storage import localtime
from collectui.storage.bulk import RowInserter, prepare_staging, scratch_table, stream
from collectui.storage.dialect import POSTGRESQL, SQLITE, Dialect, PostgreSQL, SQLite
from collectui.storage.engine import Database
from collectui.storage.files import read_meta
from collectui.storage.raw import DatabaseError, IntegrityError, dialect_of, install_local_time, table_columns

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


# ---- the dialect, on each engine -----------------------------------------------------------------------
#
# The same inputs must give the same answers on SQLite and on PostgreSQL (``--pg``; without it the
# PostgreSQL cases are skipped, and with it the SQLite ones are left to the SQLite run).

ENGINES = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql", marks=pytest.mark.pg)]


@pytest.fixture(params=ENGINES)
def conn(request):
    """A raw connection in an open transaction: SQLite in memory, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        c = sqlite3.connect(":memory:")
        yield c
        c.close()
        return
    from collectui.storage.pg.raw import connect

    c = connect(request.getfixturevalue("pg_url"))
    c.execute("BEGIN")  # the domain's raw connections work in a transaction (Database.raw_write)
    yield c
    c.execute("ROLLBACK")
    c.close()


def one(conn, sql: str, params: tuple = ()):
    return conn.execute(sql, params).fetchone()[0]


def test_every_dialect_method_is_implemented():
    abstract = {n for n, v in vars(Dialect).items() if getattr(v, "__isabstractmethod__", False)}
    assert abstract
    for engine in (SQLite, PostgreSQL):
        assert not engine.__abstractmethods__
        assert {n for n in abstract if n not in vars(engine)} == set()
    assert dialect_module.SQLITE is SQLITE and isinstance(SQLITE, Dialect)
    assert dialect_module.POSTGRESQL is POSTGRESQL and isinstance(POSTGRESQL, Dialect)
    assert (SQLITE.name, POSTGRESQL.name) == ("sqlite", "postgresql")


@pytest.mark.parametrize(
    ("a", "b", "distinct"),
    [("1", "1", 0), ("1", "2", 1), ("NULL", "1", 1), ("1", "NULL", 1), ("NULL", "NULL", 0), ("'x'", "'x'", 0)],
)
def test_null_safe_comparisons(conn, a, b, distinct):
    d = dialect_of(conn)
    assert one(conn, f"SELECT CASE WHEN {d.distinct(a, b)} THEN 1 ELSE 0 END") == distinct
    assert one(conn, f"SELECT CASE WHEN {d.not_distinct(a, b)} THEN 1 ELSE 0 END") == 1 - distinct


def test_least_greatest_zero_pad_days_contains(conn):
    d = dialect_of(conn)
    assert one(conn, f"SELECT {d.least('3', '1', '2')}") == 1
    assert one(conn, f"SELECT {d.greatest('0', '1')}") == 1
    assert one(conn, f"SELECT {d.least('1', 'NULL')}") is None
    assert one(conn, f"SELECT {d.greatest('NULL', '1', '2')}") is None
    assert one(conn, f"SELECT {d.zero_pad('?', 20)}", (42,)) == "0" * 18 + "42"
    assert one(conn, f"SELECT {d.zero_pad('?', 3)}", (7,)) < one(conn, f"SELECT {d.zero_pad('?', 3)}", (10,))
    assert one(conn, f"SELECT {d.days_between('?', '?')}", ("2026-03-01", "2026-02-27")) == 2
    assert one(conn, f"SELECT {d.days_between('?', '?')}", ("2026-02-27", "2026-03-01")) == -2
    assert one(conn, f"SELECT {d.days_between('?', '?')}", ("2026-03-01", None)) is None
    assert one(conn, f"SELECT CASE WHEN {d.contains('?', '?')} THEN 1 ELSE 0 END", ("王小明", "小")) == 1
    assert one(conn, f"SELECT CASE WHEN {d.contains('?', '?')} THEN 1 ELSE 0 END", ("王小明", "%")) == 0
    assert one(conn, f"SELECT CASE WHEN {d.contains('?', '?')} THEN 1 ELSE 0 END", ("Wang", "w")) == 0


def test_least_and_greatest_refuse_positional_placeholders_they_would_repeat():
    with pytest.raises(ValueError, match="placeholder"):
        POSTGRESQL.least("?", "a")
    assert SQLITE.least("?", "a") == "min(?, a)"  # SQLite names each argument once


def test_count_true(conn):
    d = dialect_of(conn)
    conn.execute("CREATE TABLE f(g INTEGER, score INTEGER)")
    conn.executemany("INSERT INTO f VALUES (?, ?)", [(1, 9), (1, 3), (1, None), (2, 1), (3, None)])
    sql = f"SELECT g, {d.count_true('score >= 5')} FROM f GROUP BY g ORDER BY g"
    assert [tuple(r) for r in conn.execute(sql).fetchall()] == [(1, 1), (2, 0), (3, None)]


def test_json_array_items(conn):
    d = dialect_of(conn)
    rows = conn.execute(f"SELECT j.value FROM {d.json_array_items('?', 'j')}", ('["a", "b"]',)).fetchall()
    assert [tuple(r) for r in rows] == [("a",), ("b",)]
    none = conn.execute(f"SELECT j.value FROM {d.json_array_items('?', 'j')}", (None,)).fetchall()
    assert none == []


def test_temp_tables_shadow_nothing_and_go(conn):
    d = dialect_of(conn)
    conn.execute("CREATE TABLE scratch(a INTEGER)")  # a permanent table of the same name stays untouched
    conn.execute("INSERT INTO scratch VALUES (7)")
    conn.execute(d.create_temp_table("scratch", "k TEXT PRIMARY KEY, n INTEGER", clustered=True))
    conn.execute(d.create_temp_table("scratch", "k TEXT PRIMARY KEY, n INTEGER", if_not_exists=True))
    conn.execute(d.create_temp_index("scratch_n", "scratch", "n"))
    conn.execute(d.insert_ignore(d.temp("scratch"), "VALUES (?, ?)"), ("a", 1))
    conn.execute(d.insert_ignore(d.temp("scratch"), "(k, n) SELECT 'a', 2 UNION ALL SELECT 'b', 3"))
    conn.execute(d.insert_ignore(d.temp("scratch"), "(k, n) SELECT 'c', 4 UNION ALL SELECT 'c', 5"))  # in itself
    rows = conn.execute(f"SELECT k, n FROM {d.temp('scratch')} ORDER BY k").fetchall()
    assert [tuple(r) for r in rows] == [("a", 1), ("b", 3), ("c", 4)]
    conn.execute(d.create_temp_table_as("copy", f"SELECT k FROM {d.temp('scratch')}"))
    assert one(conn, f"SELECT COUNT(*) FROM {d.temp('copy')}") == 3
    conn.execute(d.drop_temp_table("scratch"))
    conn.execute(d.drop_temp_table("scratch"))  # dropping what is gone is no error
    assert [tuple(r) for r in conn.execute("SELECT a FROM scratch").fetchall()] == [(7,)]


def test_temp_table_integers_hold_64_bits(conn):
    d = dialect_of(conn)
    conn.execute(d.create_temp_table("big", "k INTEGER PRIMARY KEY, n integer NOT NULL"))
    conn.execute(f"INSERT INTO {d.temp('big')} VALUES (?, ?)", (10**13, -(2**62)))
    assert tuple(conn.execute(f"SELECT k, n FROM {d.temp('big')}").fetchone()) == (10**13, -(2**62))


def test_auto_id_numbers_rows_in_insertion_order(conn):
    d = dialect_of(conn)
    conn.execute(d.create_temp_table("r", f"seq {d.auto_id()}, msg TEXT"))
    conn.executemany("INSERT INTO r(msg) VALUES (?)", [("b",), ("a",), ("c",)])
    assert [tuple(r) for r in conn.execute("SELECT msg FROM r ORDER BY seq").fetchall()] == [("b",), ("a",), ("c",)]


def test_row_locator_and_scan_hints_keep_the_answer(conn):
    d = dialect_of(conn)
    conn.execute("CREATE TABLE w(customer_id TEXT PRIMARY KEY, sort_key TEXT)")
    conn.execute("CREATE INDEX w_order ON w(sort_key)")
    conn.executemany("INSERT INTO w VALUES (?, ?)", [("c1", "b"), ("c2", "a"), ("c3", "c")])
    loc = d.row_locator("w", "customer_id")
    keys = [r[0] for r in conn.execute(f"SELECT {loc} FROM w ORDER BY sort_key LIMIT 2")]
    marks = ",".join("?" * len(keys))
    found = conn.execute(f"SELECT customer_id FROM w WHERE {loc} IN ({marks}) ORDER BY sort_key", keys).fetchall()
    assert [tuple(r) for r in found] == [("c2",), ("c1",)]
    hinted = f"SELECT customer_id FROM w x{d.full_scan()} WHERE {d.unindexed('x.sort_key')} >= ? ORDER BY 1"
    assert [tuple(r) for r in conn.execute(hinted, ("b",)).fetchall()] == [("c1",), ("c3",)]


def test_local_time_functions(conn):
    if dialect_of(conn) is POSTGRESQL:
        localtime.create_functions(conn)  # with the schema, on a real database
    install_local_time(conn, ZoneInfo("Asia/Shanghai"))
    late = "2026-11-29T17:30:00.000000+00:00"  # Monday 01:30 in Shanghai: the next day, the next week
    sql = "SELECT local_date(?), local_week(?), date_week(?), local_date(NULL), local_week(NULL), date_week(NULL)"
    assert tuple(conn.execute(sql, (late, late, "2026-11-29")).fetchone()) == (
        "2026-11-30",
        "2026-W49",
        "2026-W48",
        None,
        None,
        None,
    )
    assert one(conn, "SELECT local_week(?)", ("2027-01-01T03:00:00.000000+00:00",)) == "2026-W53"  # ISO year
    install_local_time(conn, ZoneInfo("America/New_York"))  # the zone is the last one asked for
    assert one(conn, "SELECT local_date(?)", (late,)) == "2026-11-29"


@pytest.mark.pg
def test_local_time_without_a_zone_is_an_error_not_a_wrong_day(pg_url):
    from collectui.storage.pg.raw import connect

    c = connect(pg_url)
    try:
        localtime.create_functions(c)
        with pytest.raises(DatabaseError, match="collectui.tz"):
            c.execute("SELECT local_date(?)", ("2026-11-29T17:30:00.000000+00:00",))
    finally:
        c.close()


# ---- bulk and raw helpers ------------------------------------------------------------------------------


def test_scratch_table_is_made_once_and_emptied_for_each_use(conn):
    table = scratch_table(conn, "_scope", "customer_id TEXT PRIMARY KEY")
    conn.executemany(f"INSERT INTO {table} VALUES (?)", [("a",), ("b",)])
    again = scratch_table(conn, "_scope", "customer_id TEXT PRIMARY KEY")
    assert again == table == dialect_of(conn).temp("_scope")
    assert one(conn, f"SELECT COUNT(*) FROM {table}") == 0


@pytest.mark.parametrize("count", [0, 1, 19, 20, 21, 41, 1000])
def test_row_inserter_writes_every_row_once_in_order(conn, count):
    width = 50  # a wide row: 999 // 50 = 19 rows per statement on SQLite
    conn.execute(f"CREATE TABLE stg(line INTEGER PRIMARY KEY, {', '.join(f'c{i} INTEGER' for i in range(width - 1))})")
    insert = RowInserter(conn, "stg", width)
    limit = dialect_of(conn).max_parameters
    assert insert.pack == min(50, limit // width) and insert.pack * width <= limit
    rows = [tuple(range(n * width, (n + 1) * width)) for n in range(count)]
    insert(rows[: count // 2])  # two calls: the second appends
    insert(rows[count // 2 :])
    assert [tuple(r) for r in conn.execute("SELECT * FROM stg ORDER BY line").fetchall()] == sorted(rows)


def test_row_inserter_takes_text_nulls_and_quotes(conn):
    conn.execute("CREATE TABLE stg(line INTEGER PRIMARY KEY, name TEXT, note TEXT)")
    rows = [(1, "王小明", None), (2, "tab\there, 'quoted' \\N", "new\nline"), (3, "", "%s ? :x")]
    RowInserter(conn, "stg", 3)(rows)
    assert [tuple(r) for r in conn.execute("SELECT * FROM stg ORDER BY line").fetchall()] == rows


def test_row_inserter_raises_the_storage_error(conn):
    conn.execute("CREATE TABLE stg(line INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    with pytest.raises(IntegrityError):
        RowInserter(conn, "stg", 2)([(1, 1), (1, 2)])


def test_stream_reads_a_large_result_while_the_connection_writes(conn):
    n = 25_000  # more than one server-side fetch
    conn.execute("CREATE TABLE src(id INTEGER PRIMARY KEY, v TEXT)")
    RowInserter(conn, "src", 2)([(i, f"v{i}") for i in range(n)])
    conn.execute("CREATE TABLE dst(id INTEGER PRIMARY KEY)")
    rows = stream(conn, "SELECT id, v FROM src WHERE id >= ? ORDER BY id", (0,))
    batch, seen = [], 0
    for i, (ident, value) in enumerate(rows):
        assert (ident, value) == (i, f"v{i}")
        batch.append((ident,))
        if len(batch) == 1000:  # the refresh writes as it reads
            conn.executemany("INSERT INTO dst VALUES (?)", batch)
            batch.clear()
            if dialect_of(conn) is POSTGRESQL and seen == 0:  # really a server-side cursor, still open
                assert one(conn, "SELECT COUNT(*) FROM pg_cursors WHERE name LIKE 'collectui_stream_%'") == 1
        seen += 1
    assert seen == n and one(conn, "SELECT COUNT(*) FROM dst") == n
    assert [tuple(r) for r in stream(conn, "SELECT COUNT(*) FROM src")] == [(n,)]  # no parameters
    if dialect_of(conn) is POSTGRESQL:
        assert one(conn, "SELECT COUNT(*) FROM pg_cursors WHERE name LIKE 'collectui_stream_%'") == 0


def test_prepare_staging_leaves_the_transaction_usable(conn):
    conn.execute("CREATE TABLE t(a INTEGER)")
    prepare_staging(conn)
    conn.execute(dialect_of(conn).create_temp_table("stage", "a INTEGER"))
    prepare_staging(conn)  # again, after a temporary table: PostgreSQL refuses the setting, nothing breaks
    conn.execute("INSERT INTO t VALUES (1)")
    assert one(conn, "SELECT COUNT(*) FROM t") == 1


@pytest.mark.pg
def test_prepare_staging_enlarges_the_temporary_buffers_on_postgresql(pg_url):
    from collectui.storage.pg.raw import connect

    c = connect(pg_url)
    try:
        c.execute("BEGIN")
        prepare_staging(c)
        assert one(c, "SELECT current_setting('temp_buffers')") == "64MB"
        c.execute("ROLLBACK")
    finally:
        c.close()


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
