"""PostgreSQL behind the storage seam (collectui/storage/pg): the placeholder translation, the database by
URL, the schema in SQLite's storage forms, the audit trigger, the errors the domain catches, the readers'
snapshot. The translation tests run everywhere; the rest need --pg (tests/support/pg.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from collectui.storage.engine import Database
from collectui.storage.locate import database_at, is_url
from collectui.storage.raw import IntegrityError, OperationalError, dialect_of, table_columns
from collectui.storage.version import LATEST_VERSION

psycopg = pytest.importorskip("psycopg")

from collectui.storage.pg.raw import translate  # noqa: E402  (after the importorskip)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = %s AND c = %s"),
        ("UPDATE t SET a = :a WHERE id = :id_2", "UPDATE t SET a = %(a)s WHERE id = %(id_2)s"),
        ("SELECT CAST(x AS INT), y::int FROM t", "SELECT CAST(x AS INT), y::int FROM t"),
        ("SELECT 'a?b :c' , \"q?\" FROM t -- what? :x\n", "SELECT 'a?b :c' , \"q?\" FROM t -- what? :x\n"),
        ("SELECT 7 % 2, 'it''s 5%' WHERE n LIKE ?", "SELECT 7 %% 2, 'it''s 5%%' WHERE n LIKE %s"),
        ("SELECT '10:00' /* :no ? */ , ?", "SELECT '10:00' /* :no ? */ , %s"),
    ],
)
def test_placeholders_are_translated_outside_quotes_and_percent_doubled(sql, expected):
    assert translate(sql) == expected


def test_a_url_is_postgresql_and_anything_else_a_file(tmp_path):
    assert is_url("postgresql://bank@db.example/collect") and is_url("postgres://x@/y?host=/run/pg")
    assert not is_url(str(tmp_path / "bank.db")) and not is_url(tmp_path / "postgresql:")
    assert type(database_at(tmp_path / "bank.db")) is Database


pg_only = pytest.mark.pg


@pg_only
def test_new_database_is_at_the_newest_version_and_marked(pg_url):
    db = database_at(pg_url)
    assert db.schema_version() is None and db.dialect.name == "postgresql"
    db.create_schema(kind="practice")
    db.create_schema()  # already current: nothing to do
    assert db.schema_version() == LATEST_VERSION and db.kind() == "practice"
    with db.raw_read() as raw:
        meta = dict(raw.execute("SELECT key, value FROM meta").fetchall())
        assert dialect_of(raw).name == "postgresql"
    assert meta["app"] == "collectui" and len(meta["db_id"]) == 32 and meta["schema_version"] == str(LATEST_VERSION)
    db.dispose()


@pg_only
def test_an_empty_or_missing_database_is_refused_when_opened(pg_url):
    from collectui.storage.locate import open_database_at
    from collectui.storage.opening import NoDatabase, OpenRefused
    from collectui.storage.pg.database import ServerUnreachable

    with pytest.raises(NoDatabase, match="no collectui database"):
        open_database_at(pg_url)
    # A database the server does not have is no "empty database" init could fill: the server's reason is said.
    with pytest.raises(
        ServerUnreachable, match='cannot connect to the PostgreSQL server .*"missing_t.*" does not exist'
    ):
        open_database_at(pg_url.replace("/t", "/missing_t", 1))
    assert issubclass(ServerUnreachable, OpenRefused)


@pg_only
def test_flags_dates_and_json_keep_sqlite_s_forms(db):
    from collectui.storage.models import AuditEvent, Branch, Customer, Loan

    at = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    with db.write() as s:
        s.add(Branch(id=1, name="b"))
        s.flush()
        s.add(Customer(customer_id="C1", name="n", id_number="i", phone="p", branch_id=1, vulnerable=True))
        s.flush()
        s.add(
            Loan(
                loan_id="L1",
                customer_id="C1",
                product="p",
                principal_fen=100,
                disbursed_on=date(2026, 1, 2),
                maturity_date=date(2026, 12, 1),
                status="active",
            )
        )
        s.add(AuditEvent(at=at, actor="t", action="x.y", details={"rows": 5, "who": "五"}, prev_hash="", hash="h"))
    with db.raw_read() as raw:
        assert raw.execute("SELECT vulnerable, do_not_call FROM customer").fetchone() == (1, 0)
        assert raw.execute("SELECT disbursed_on FROM loan WHERE disbursed_on < ?", ("2026-02",)).fetchone() == (
            "2026-01-02",
        )
        details, at_text, digests = raw.execute("SELECT details, at, row_digests FROM audit_event").fetchone()
    assert details == '{"rows": 5, "who": "\\u4e94"}' and at_text.startswith("2026-11-28T02:00:00") and digests is None
    with db.read() as s:
        customer = s.get(Customer, "C1")
        loan = s.get(Loan, "L1")
        event = s.exec(__import__("sqlmodel").select(AuditEvent)).one()
    assert customer.vulnerable is True and customer.do_not_call is False
    assert loan.disbursed_on == date(2026, 1, 2) and event.details == {"rows": 5, "who": "五"}


@pg_only
def test_the_audit_trail_is_append_only(db):
    with db.raw_write() as raw:
        raw.execute(
            "INSERT INTO audit_event(at, actor, action, details, prev_hash, hash) VALUES (?, 't', 'a', '{}', '', 'h')",
            ("2026-11-28T02:00:00+00:00",),
        )
    for sql in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event", "TRUNCATE audit_event"):
        with pytest.raises(IntegrityError, match="append-only"):
            with db.raw_write() as raw:
                raw.execute(sql)
    with db.raw_read() as raw:
        assert raw.execute("SELECT count(*), min(actor) FROM audit_event").fetchone() == (1, "t")


@pg_only
def test_driver_errors_arrive_as_the_storage_classes(db):
    with pytest.raises(IntegrityError):
        with db.raw_write() as raw:
            raw.executemany("INSERT INTO branch(id, name) VALUES (?, ?)", [(1, "a"), (2, "a")])
    with pytest.raises(OperationalError, match="no_such_table"):
        with db.raw_read() as raw:
            raw.execute("SELECT * FROM no_such_table")
    with db.raw_read() as raw:  # the failed reads spoiled nothing: the next one works
        assert raw.execute("SELECT count(*) FROM branch").fetchone() == (0,)


@pg_only
def test_a_read_is_one_snapshot_and_its_connection_is_reused(db):
    with db.raw_read() as first:
        assert first.execute("SELECT count(*) FROM branch").fetchone() == (0,)
        with db.raw_write() as raw:  # another connection commits meanwhile
            raw.execute("INSERT INTO branch(name) VALUES (:name)", {"name": "new"})
        assert first.execute("SELECT count(*) FROM branch").fetchone() == (0,)
        first.execute("CREATE TEMP TABLE scratch (x int)")
    with db.raw_read() as second:
        assert second is first
        assert second.execute("SELECT count(*) FROM branch").fetchone() == (1,)
        assert second.execute("SELECT to_regclass('pg_temp.scratch')").fetchone() == (None,)
    db.dispose()
    assert not db._idle_pg


@pg_only
def test_a_short_write_leaves_its_scratch_tables_empty_for_the_next_a_long_one_drops_them(db, monkeypatch):
    from collectui.storage.bulk import planned, scratch_table
    from collectui.storage.pg import database as pg_database

    def write_scratch() -> object:
        with db.raw_write() as raw:
            table = scratch_table(raw, "_ids", "customer_id TEXT PRIMARY KEY")
            raw.executemany(f"INSERT INTO {table} VALUES (?)", [("a",), ("b",)])
            planned(raw, table)  # the planner now knows its two rows
            assert raw.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass('pg_temp._ids')").fetchone() == (
                2,
            )
        return raw

    first = write_scratch()
    with db.raw_write() as again:
        assert again is first  # the pool's connection, its scratch table kept: made once, emptied for each use
        assert again.execute("SELECT to_regclass('pg_temp._ids')").fetchone() != (None,)
        assert again.execute(f"SELECT count(*) FROM {scratch_table(again, '_ids', 'customer_id TEXT')}").fetchone() == (
            0,
        )
    monkeypatch.setattr(pg_database, "_LONG_WRITE_S", -1.0)  # every write counts as long now
    assert write_scratch() is first
    with db.raw_read() as raw:
        assert raw is first and raw.execute("SELECT to_regclass('pg_temp._ids')").fetchone() == (None,)
    db.dispose()


@pg_only
def test_table_columns_name_the_key(db):
    with db.raw_read() as raw:
        columns = table_columns(raw, "instalment")
        assert table_columns(raw, "no_such_table") == []
    assert [c.name for c in columns] == ["loan_id", "seq", "due_date", "principal_due_fen", "interest_due_fen"]
    assert [c.primary_key for c in columns] == [True, True, False, False, False]


@pg_only
def test_bookkeeping_writes_only_while_the_lock_is_free(db):
    with db.raw_bookkeeping() as (_, writable):
        assert writable
    with db.raw_write():
        with db.raw_bookkeeping() as (_, writable):
            assert not writable  # another writer holds it: read only, without waiting


@pg_only
def test_ids_follow_explicit_ones_as_in_sqlite(db):
    # A seed or a copy writes ids itself; the next id the database picks comes after the largest.
    from collectui.storage.models import Branch

    with db.write() as s:
        s.add(Branch(id=7, name="seeded"))
    with db.write() as s:
        made = Branch(name="next")
        s.add(made)
        s.flush()
        assert made.id == 8
    with db.raw_write() as raw:
        assert raw.execute("INSERT INTO branch(name) VALUES ('raw') RETURNING id").fetchone() == (9,)
        raw.execute("INSERT INTO branch(id, name) VALUES (3, 'lower')")  # below the top: nothing moves back
        assert raw.execute("INSERT INTO branch(name) VALUES ('again') RETURNING id").fetchone() == (10,)


@pg_only
def test_integers_are_64_bit_as_in_sqlite(db):
    big = 3_000_000_000_00  # fen: 3 billion yuan, past a 32-bit column
    with db.raw_write() as raw:
        raw.execute("INSERT INTO branch(id, name) VALUES (1, 'b')")
        raw.execute(
            "INSERT INTO customer(customer_id, name, id_number, phone, branch_id, do_not_call, vulnerable, "
            "phone_invalid, sms_opt_out, hardship) VALUES ('C1', 'n', 'i', 'p', 1, 0, 0, 0, 0, 0)"
        )
        raw.execute(
            "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date, status) "
            "VALUES ('L1', 'C1', 'p', ?, '2026-01-01', '2026-12-01', 'active')",
            (big,),
        )
        assert raw.execute("SELECT principal_fen, sum(principal_fen) FROM loan GROUP BY 1").fetchone() == (big, big)


@pg_only
def test_each_test_database_has_an_id_of_its_own_not_the_template_s(db, pg_databases):
    from collectui.storage.kind import db_id_of
    from collectui.storage.pg.database import PgDatabase
    from tests.support.pg import own_id, with_database

    template = PgDatabase(with_database(pg_databases.admin_url, pg_databases.template))
    with template.raw_read() as raw:
        template_id = db_id_of(raw)
    template.dispose()  # a template with a connection cannot be copied
    other = PgDatabase(pg_databases.new(from_template=True))
    made = own_id(other)
    with db.raw_read() as raw, other.raw_read() as raw2:
        ids = {db_id_of(raw), db_id_of(raw2), template_id}
        assert db_id_of(raw2) == made
    assert len(ids) == 3 and all(len(i) == 32 for i in ids)
    other.dispose()
    pg_databases.drop(other.url)
