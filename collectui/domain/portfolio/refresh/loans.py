"""The loan stream of a refresh: every loan's figures into ``loan_state`` (or a scratch table) and the day's
``bucket_snapshot``, returning the query of the overdue loans by borrower."""

from __future__ import annotations

from datetime import date

from collectui.domain.portfolio.refresh.figures import loan_filter, stage_figures
from collectui.domain.portfolio.refresh.items import OVERDUE_SQL
from collectui.domain.portfolio.refresh.stats import RefreshStats
from collectui.storage.bulk import scratch_table
from collectui.storage.raw import RawConnection


def stream_loans(
    raw: RawConnection, as_of: date, scope: str | None, write: bool, stats: RefreshStats, loan_scope: str | None = None
) -> str:
    """Compute every loan in scope into loan_state (when ``write``; rows of these loans are overwritten) or a
    scratch table, and write the day's bucket_snapshot rows when ``write``. Returns the query of the overdue
    loans in scope, by borrower (for ``items.overdue_by_customer``)."""
    day = as_of.isoformat()
    if write:
        target = "loan_state"
    else:
        target = scratch_table(
            raw,
            "_rf_state",
            "loan_id TEXT PRIMARY KEY, customer_id TEXT, as_of TEXT, dpd INTEGER, bucket TEXT, category TEXT, "
            "overdue_fen INTEGER, outstanding_fen INTEGER, oldest_unpaid_due TEXT, next_due_date TEXT, "
            "next_due_fen INTEGER",
        )
    stats.loans += stage_figures(raw, as_of, scope, target, loan_scope)
    _, sub = loan_filter(scope, loan_scope, "s.loan_id")
    if write:
        raw.execute(
            "INSERT INTO bucket_snapshot(snap_date, loan_id, customer_id, bucket, dpd, outstanding_fen, "
            "overdue_fen) SELECT ?, loan_id, customer_id, bucket, dpd, outstanding_fen, overdue_fen "
            f"FROM loan_state s WHERE {sub} ON CONFLICT(snap_date, loan_id) DO UPDATE SET "
            "customer_id = excluded.customer_id, bucket = excluded.bucket, dpd = excluded.dpd, "
            "outstanding_fen = excluded.outstanding_fen, overdue_fen = excluded.overdue_fen",
            (day,),
        )
    return OVERDUE_SQL.format(source=target, sub=sub)
