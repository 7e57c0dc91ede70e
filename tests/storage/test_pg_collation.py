"""Text order on PostgreSQL is SQLite's (code point) whatever the database's default collation.

A bank's server may create databases with an ``en_US.UTF-8`` or ``zh_CN.UTF-8`` default, where ``c1`` sorts
between ``C0001`` and ``C10`` and a ``C`` prefix range holds ``c1`` too. The schema's text columns and the
dialect's temporary tables are ``COLLATE "C"`` (storage.pg.schema): the work list's prefix search, its order
(ties broken by customer id) and the refresh's merge of sorted cursors come out as on SQLite. The server's
database here has ICU's ``en-US`` as its default (the test server itself is ``C``)."""

from __future__ import annotations

import pytest

from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import policy_from_dict
from collectui.domain.portfolio import refresh
from collectui.domain.worklist import queries as worklist
from collectui.domain.worklist.queries import WorkFilter
from collectui.storage.engine import Database
from tests.support.clock import NOW, TZ
from tests.support.small_bank import Bank, D, monthly

psycopg = pytest.importorskip("psycopg")

from tests.support.pg import admin_execute, with_database  # noqa: E402

# Ids whose code-point order differs from en-US order (case, '_', '-', a space, digits of other widths).
IDS = ["C_1", "c1", "C1", "Ca", "C-2", "C10", "C2", "ca", "C a", "C0001", "B9", "cA"]


@pytest.fixture
def en_us_url(pg_databases):
    """An empty database whose default collation is ICU's en-US, dropped after the test."""
    name = f"{pg_databases.new().rsplit('/', 1)[1].split('?')[0]}_en"
    admin_execute(
        pg_databases.admin_url,
        f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'",
    )
    url = with_database(pg_databases.admin_url, name)
    yield url
    admin_execute(pg_databases.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _bank(db: Database) -> Ctx:
    db.create_schema()
    ctx = Ctx(db=db, clock=FixedClock(NOW, TZ), policy=policy_from_dict({"rules": {"sms_notice": {"enabled": False}}}))
    bank = Bank(db)
    for n, cid in enumerate(IDS):
        bank.customer(cid, phone=f"1390000{n:04d}")
        # Two schedules only: most borrowers tie on everything but their id, which then orders them.
        bank.loan(f"L{cid}", cid, monthly(D(2026, 6 + n % 2, 1), 3))
        bank.loan(f"l{cid}", cid, monthly(D(2026, 9, 1), 1))
    refresh.refresh(ctx)
    return ctx


def _seen(ctx: Ctx) -> dict[str, object]:
    every = WorkFilter(include_blocked=True)
    with ctx.db.raw_read() as raw:
        ordered = [r[0] for r in raw.execute("SELECT customer_id FROM customer ORDER BY customer_id")]
        states = raw.execute(
            "SELECT loan_id, customer_id, dpd, overdue_fen FROM loan_state ORDER BY loan_id"
        ).fetchall()
        items = raw.execute("SELECT customer_id, sort_key FROM work_item ORDER BY sort_key").fetchall()
    return {
        "ordered": ordered,
        "states": [tuple(r) for r in states],
        "items": [tuple(r) for r in items],
        "page": [r.customer_id for r in worklist.fetch_page(ctx, every, 0, 100)],
        "prefix C": [r.customer_id for r in worklist.fetch_page(ctx, WorkFilter(search="C", include_blocked=True))],
        "prefix c": [r.customer_id for r in worklist.fetch_page(ctx, WorkFilter(search="c", include_blocked=True))],
        "prefix C1": worklist.count(ctx, WorkFilter(search="C1", include_blocked=True)),
        "loan prefix lC": worklist.count(ctx, WorkFilter(search="lC", include_blocked=True)),
    }


@pytest.mark.pg
def test_order_and_prefix_search_on_an_en_us_database_are_sqlite_s(en_us_url, tmp_path):
    from collectui.storage.pg.database import PgDatabase

    pg = PgDatabase(en_us_url)
    with pg.raw_read() as raw:  # the database really sorts otherwise by default
        assert raw.execute("SELECT daticulocale FROM pg_database WHERE datname = current_database()").fetchone() == (
            "en-US",
        )
        default = [r[0] for r in raw.execute("SELECT x FROM (VALUES ('c1'), ('C10'), ('C_1')) v(x) ORDER BY x")]
        assert default != sorted(default)
    on_pg = _seen(_bank(pg))
    sqlite = Database(tmp_path / "bank.db")
    on_sqlite = _seen(_bank(sqlite))
    pg.dispose()
    sqlite.dispose()

    assert on_pg["ordered"] == sorted(IDS)  # code point order
    assert on_pg["prefix C"] and all(c.startswith("C") for c in on_pg["prefix C"])  # (prefix: str) never 'c1'
    assert set(on_pg["prefix c"]) == {"c1", "ca", "cA"}
    assert len(on_pg["states"]) == 2 * len(IDS) and len(on_pg["items"]) == len(IDS)
    assert on_pg == on_sqlite


@pytest.mark.pg
def test_temporary_tables_order_text_by_code_point_too(en_us_url):
    from collectui.storage.bulk import scratch_table
    from collectui.storage.pg.database import PgDatabase

    db = PgDatabase(en_us_url)
    with db.raw_write() as raw:
        table = scratch_table(raw, "_ids", "customer_id TEXT PRIMARY KEY, other TEXT")
        raw.executemany(f"INSERT INTO {table} VALUES (?, ?)", [(i, i) for i in IDS])
        assert [r[0] for r in raw.execute(f"SELECT customer_id FROM {table} ORDER BY customer_id")] == sorted(IDS)
        assert [r[0] for r in raw.execute(f"SELECT other FROM {table} WHERE other >= 'C' ORDER BY other")] == sorted(
            i for i in IDS if i >= "C"
        )
    db.dispose()


def test_every_text_column_is_code_point_ordered_in_postgresql_s_ddl_only():
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateTable
    from sqlmodel import SQLModel

    from collectui.storage.pg.schema import adapt_metadata

    adapt_metadata()
    customer = SQLModel.metadata.tables["customer"]
    pg_ddl = str(CreateTable(customer).compile(dialect=postgresql.dialect()))
    assert 'customer_id VARCHAR COLLATE "C" NOT NULL' in pg_ddl
    assert 'COLLATE "C"' not in str(CreateTable(customer).compile(dialect=sqlite.dialect()))
    for table in SQLModel.metadata.tables.values():
        ddl = str(CreateTable(table).compile(dialect=postgresql.dialect()))
        for line in ddl.splitlines():
            if "VARCHAR" in line:
                assert 'COLLATE "C"' in line, f"{table.name}: {line.strip()}"
