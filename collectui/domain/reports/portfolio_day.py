"""Every loan's figures on one day, for the portfolio and migration reports: stored, or computed.

A report asks for any day. The figures come from, in this order:
1. that day's ``bucket_snapshot`` (every refresh writes the day's rows from ``loan_state``);
2. ``loan_state`` when the stored state is for that day (a book refreshed without a snapshot: never in
   use, but a database from before snapshots may have one);
3. otherwise computed from the loans, schedules and payments as of that day, into a TEMP table of this
   read transaction, by the very code the refresh uses (``refresh.figures.stage_figures``, the code behind
   ``queue --as-of``): so the three give the same figures on the same data (tests/domain/reports).
A day after today is never computed: its payments are not known yet (``FutureDay``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from collectui.domain.errors import InvalidInput
from collectui.domain.portfolio.refresh.figures import stage_figures
from collectui.domain.portfolio.refresh.stats import META_AS_OF
from collectui.domain.said import said
from collectui.storage.bulk import planned, scratch_table
from collectui.storage.raw import RawConnection, get_meta_raw

# The columns every source gives (a loan_state-shaped row has more).
FIGURE_COLUMNS = "loan_id, customer_id, dpd, bucket, overdue_fen, outstanding_fen"
_STATE_SHAPE = (
    "loan_id TEXT PRIMARY KEY, customer_id TEXT, as_of TEXT, dpd INTEGER, bucket TEXT, category TEXT, "
    "overdue_fen INTEGER, outstanding_fen INTEGER, oldest_unpaid_due TEXT, next_due_date TEXT, "
    "next_due_fen INTEGER"
)

STATE, SNAPSHOT, COMPUTED = "state", "snapshot", "computed"


class FutureDay(InvalidInput):
    """The day asked for is after today and nothing is stored for it."""


@dataclass(frozen=True)
class DayFigures:
    """A FROM-able subquery (``sql`` with ``args``) giving ``FIGURE_COLUMNS`` of every loan on ``day``."""

    day: date
    source: str  # state | snapshot | computed
    sql: str
    args: tuple[str, ...]

    @property
    def described(self) -> str:
        return {
            STATE: f"loan_state as of {self.day}",
            SNAPSHOT: f"bucket snapshot of {self.day}",
            COMPUTED: f"computed from the loans, schedules and payments as of {self.day}",
        }[self.source]


def stored_state_day(conn: RawConnection) -> str | None:
    """The day ``loan_state`` is for: the refresh's mark (any refresh on another day is a full one, so every
    row is of that day); a database without the mark: the newest row's day."""
    mark = get_meta_raw(conn, META_AS_OF)
    return mark if mark is not None else conn.execute("SELECT MAX(as_of) FROM loan_state").fetchone()[0]


def has_snapshot(conn: RawConnection, day: date) -> bool:
    row = conn.execute("SELECT 1 FROM bucket_snapshot WHERE snap_date = ? LIMIT 1", (day.isoformat(),)).fetchone()
    return row is not None


def figures_on(
    conn: RawConnection, day: date, today: date, slot: str = "a", branch_id: int | None = None
) -> DayFigures:
    """The figures of every loan on ``day`` (see the module doc for the source). ``slot`` names the TEMP
    table a computation goes into, so two days (migration's two ends) can be open at once on ``conn``.
    ``branch_id``: the caller reads only that branch's loans, so only they need computing (the caller
    still filters: a stored source holds every branch). Raises ``FutureDay`` for a day after ``today``
    with nothing stored."""
    text = day.isoformat()
    if has_snapshot(conn, day):
        return DayFigures(day, SNAPSHOT, f"SELECT {FIGURE_COLUMNS} FROM bucket_snapshot WHERE snap_date = ?", (text,))
    if stored_state_day(conn) == text:
        return DayFigures(day, STATE, f"SELECT {FIGURE_COLUMNS} FROM loan_state", ())
    if day > today:
        raise FutureDay(
            said(
                "error.reports.future_day",
                f"no portfolio figures for {day}: it is after today ({today}), its payments are not known yet",
                day=day.isoformat(),
                today=today.isoformat(),
            )
        )
    table = scratch_table(conn, f"_rp_day_{slot}", _STATE_SHAPE, clustered=True)
    scope = None
    if branch_id is not None:  # a branch's loans cost a fraction of the book's
        scope = scratch_table(conn, "_rp_branch", "customer_id TEXT PRIMARY KEY")
        conn.execute(f"INSERT INTO {scope} SELECT customer_id FROM customer WHERE branch_id = ?", (branch_id,))
        planned(conn, scope)
    stage_figures(conn, day, scope, table)
    return DayFigures(day, COMPUTED, f"SELECT {FIGURE_COLUMNS} FROM {table}", ())


def first_disbursed(conn: RawConnection) -> str | None:
    """The earliest disbursement day in the book (ISO text), None without loans."""
    value = conn.execute("SELECT MIN(disbursed_on) FROM loan").fetchone()[0]
    return str(value)[:10] if value is not None else None
