"""The import's temporary tables, made at the start of the transaction and dropped at its end."""

from __future__ import annotations

from collections.abc import Iterable

from collectui.storage.bulk import prepare_staging
from collectui.storage.raw import RawConnection, dialect_of


def setup(conn: RawConnection) -> None:
    """The import's temporary tables: ``imp_rej`` (the rejections, in the order they were found: ``seq``),
    ``imp_touched`` (borrowers to refresh), ``imp_changed`` (staged lines that update a row)."""
    d = dialect_of(conn)
    prepare_staging(conn)  # memory stays bounded whatever the file size
    conn.execute(d.drop_temp_table("imp_rej"))
    conn.execute(d.drop_temp_table("imp_touched"))
    conn.execute(
        d.create_temp_table(
            "imp_rej", f"seq {d.auto_id()}, job INTEGER NOT NULL, line INTEGER NOT NULL, msg TEXT NOT NULL"
        )
    )
    conn.execute(d.create_temp_index("imp_rej_job_line", "imp_rej", "job, line"))
    conn.execute(d.create_temp_table("imp_touched", "customer_id TEXT PRIMARY KEY"))
    conn.execute(d.drop_temp_table("imp_changed"))
    conn.execute(d.create_temp_table("imp_changed", "line INTEGER PRIMARY KEY"))


def teardown(conn: RawConnection, jobs: Iterable[int]) -> None:
    d = dialect_of(conn)
    for job in jobs:
        conn.execute(d.drop_temp_table(f"imp_stg_{job}"))
    conn.execute(d.drop_temp_table("imp_rej"))
    conn.execute(d.drop_temp_table("imp_touched"))
    conn.execute(d.drop_temp_table("imp_changed"))
