"""Helpers for the import tests: files, a database fingerprint, users for the collector column."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from collectui.domain.staff import users
from collectui.storage.dialect import SQLITE
from collectui.storage.engine import Database
from collectui.storage.raw import table_columns
from tests.support.certified import certify_in
from tests.support.cli import SYSTEM

BUSINESS_TABLES = ("branch", "customer", "contact", "loan", "instalment", "payment", "loan_state", "work_item")
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

CUSTOMERS_HEADER = "customer_id,name,id_number,phone,address,branch,do_not_call,vulnerable\n"
ID1 = "11010119900307002X"  # valid check characters (GB 11643)
ID2 = "110101199003070038"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def fingerprint(db: Database | Path) -> str:
    """SHA-256 of a full SQL dump: any change to any table (audit trail included) changes it, except the
    last use of the login session or token that ran the command (bookkeeping of who is signed in).

    ``db``: a SQLite file, or a ``Database`` (on PostgreSQL every table's rows, read in key order)."""
    if isinstance(db, Database) and db.dialect is not SQLITE:
        return _server_fingerprint(db)
    conn = sqlite3.connect(db.path if isinstance(db, Database) else db)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            if line.startswith(('INSERT INTO "login_session"', 'INSERT INTO "api_token"')):
                continue
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()
    finally:
        conn.close()


def _server_fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.raw_read() as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        for table in tables:
            if table in ("login_session", "api_token"):
                continue
            cols = ", ".join(c.name for c in table_columns(conn, table))
            digest.update(f"{table}({cols})".encode())
            for row in conn.execute(f"SELECT {cols} FROM {table} ORDER BY {cols}"):
                digest.update(repr(tuple(row)).encode("utf-8"))
    return digest.hexdigest()


def business_rows(db: Database | Path) -> dict[str, list[tuple]]:
    """The business tables' rows (without surrogate ids), sorted: ``db`` a SQLite file or a ``Database``."""
    database = db if isinstance(db, Database) else Database(db)
    try:
        with database.raw_read() as conn:
            out = {}
            for table in BUSINESS_TABLES:
                cols = [c.name for c in table_columns(conn, table) if c.name != "id"]
                rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {', '.join(cols)}").fetchall()
                out[table] = [tuple(r) for r in rows]
            return out
    finally:
        if database is not db:
            database.dispose()


def add_collectors(ctx) -> None:
    users.add_user(ctx, SYSTEM, "wang.fang", "collector", "城关支行", "password123")
    users.add_user(ctx, SYSTEM, "li.qiang", "collector", "新街支行", "password123")
    certify_in(ctx)  # trained staff: the gate's `certified` rule lets them call


def one_customer_line(cid: str = "C1", idn: str = ID1, phone: str = "13812345678", branch: str = "城关支行") -> str:
    return f"{cid},张三,{idn},{phone},浙江省杭州市西湖区文三路1号,{branch},0,0\n"
