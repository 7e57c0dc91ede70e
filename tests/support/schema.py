"""A database's schema as comparable data: tables (columns, keys, WITHOUT ROWID), indexes, triggers, views.

Read through PRAGMAs rather than ``sqlite_master.sql`` so that equal schemas compare equal however they were
reached (``ALTER TABLE ... RENAME`` quotes the name in the stored text; SQLAlchemy and hand-written DDL space
differently). Automatic indexes are named by their table, not by SQLite's counter.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any


def _norm(sql: str | None) -> str:
    return re.sub(r"\s+", " ", (sql or "").replace('"', "")).strip()


def schema_of(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables: dict[str, Any] = {}
        without_rowid = {r[1]: bool(r[4]) for r in conn.execute("PRAGMA table_list") if r[0] == "main"}
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        indexes: dict[str, Any] = {}
        for table in sorted(names):
            columns = [tuple(r[1:]) for r in conn.execute(f"PRAGMA table_info('{table}')")]
            fks = sorted(tuple(r[2:5]) for r in conn.execute(f"PRAGMA foreign_key_list('{table}')"))
            tables[table] = {"columns": columns, "foreign_keys": fks, "without_rowid": without_rowid.get(table)}
            for _seq, name, unique, origin, partial in conn.execute(f"PRAGMA index_list('{table}')"):
                cols = tuple(r[2] for r in conn.execute(f"PRAGMA index_info('{name}')"))
                key = f"{table}:auto:{cols}" if name.startswith("sqlite_autoindex_") else name
                indexes[key] = (table, cols, unique, origin, partial)
        triggers = {
            r[0]: _norm(r[1]) for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        }
        views = {r[0]: _norm(r[1]) for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'")}
        return {"tables": tables, "indexes": indexes, "triggers": triggers, "views": views}
    finally:
        conn.close()


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """Each way ``got`` differs from ``want``, one line each (empty when the schemas are the same)."""
    lines: list[str] = []
    labels = {"tables": "table", "indexes": "index", "triggers": "trigger", "views": "view"}
    for part, label in labels.items():
        for name in sorted(set(got[part]) | set(want[part])):
            if name not in got[part]:
                lines.append(f"{label} {name} missing")
            elif name not in want[part]:
                lines.append(f"{label} {name} not in a new database")
            elif got[part][name] != want[part][name]:
                lines.append(f"{label} {name}: {got[part][name]} != new {want[part][name]}")
    return lines
