"""Helpers for the import tests: files, a database fingerprint, users for the collector column."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from collectui.domain.staff import users
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


def fingerprint(db_path: Path) -> str:
    """SHA-256 of a full SQL dump: any change to any table (audit trail included) changes it, except the
    last use of the login session or token that ran the command (bookkeeping of who is signed in)."""
    conn = sqlite3.connect(db_path)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            if line.startswith(('INSERT INTO "login_session"', 'INSERT INTO "api_token"')):
                continue
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()
    finally:
        conn.close()


def business_rows(db_path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db_path)
    try:
        out = {}
        for table in BUSINESS_TABLES:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("id",)]
            out[table] = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {', '.join(cols)}").fetchall()
        return out
    finally:
        conn.close()


def add_collectors(ctx) -> None:
    users.add_user(ctx, SYSTEM, "wang.fang", "collector", "城关支行", "password123")
    users.add_user(ctx, SYSTEM, "li.qiang", "collector", "新街支行", "password123")
    certify_in(ctx)  # trained staff: the gate's `certified` rule lets them call


def one_customer_line(cid: str = "C1", idn: str = ID1, phone: str = "13812345678", branch: str = "城关支行") -> str:
    return f"{cid},张三,{idn},{phone},浙江省杭州市西湖区文三路1号,{branch},0,0\n"
