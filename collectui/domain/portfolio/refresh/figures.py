"""Every loan's overdue figures for a refresh, computed into a table (``loan_state`` or a TEMP table).

Two paths give the same numbers as ``overdue.compute`` (property-tested):
- most loans have no payment on or before as-of (pool = 0): nothing to allocate, so overdue, outstanding,
  oldest unpaid due, next due and its amount are plain aggregates over the instalments. One ``GROUP BY
  loan_id`` in SQL computes them and one ``INSERT ... SELECT`` writes them: no row of those loans crosses
  into Python.
- loans with a payment on or before as-of (and the odd loan with a negative amount or sequence number,
  where the arithmetic below would not hold) run the payment waterfall in Python (``loan_figures``), their
  instalments streamed in (loan_id, seq) order, and are written with executemany.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from functools import cache
from itertools import groupby
from operator import itemgetter

from collectui.domain.portfolio.overdue import bucket_for, category_for
from collectui.storage.bulk import planned, scratch_table, stream
from collectui.storage.dialect import Dialect
from collectui.storage.raw import RawConnection, dialect_of

STATE_COLUMNS = (
    "loan_id, customer_id, as_of, dpd, bucket, category, overdue_fen, outstanding_fen, "
    "oldest_unpaid_due, next_due_date, next_due_fen"
)
# An upsert rewrites a row in place: half the cost of DELETE + INSERT (or INSERT OR REPLACE) when the rows
# are there, the same as INSERT when they are not.
_UPSERT = "ON CONFLICT(loan_id) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in STATE_COLUMNS.split(", ")[1:]
)


def sql_bucket(x: str) -> str:
    return f"(CASE WHEN {x} <= 0 THEN 'M0' WHEN {x} > 180 THEN 'M6+' ELSE 'M' || (({x} - 1) / 30 + 1) END)"


def sql_category(x: str) -> str:
    return (
        f"(CASE WHEN {x} <= 0 THEN 'normal' WHEN {x} <= 90 THEN 'special_mention' "
        f"WHEN {x} <= 270 THEN 'substandard' WHEN {x} <= 360 THEN 'doubtful' ELSE 'loss' END)"
    )


# (due_date ISO text, principal_fen, interest_fen, seq) of one instalment.
Instalment = tuple[str, int, int, int]
# (overdue_fen, outstanding_fen, oldest_unpaid_due, next_due_date, next_due_fen) of one loan.
Figures = tuple[int, int, str | None, str | None, int]
# (loan_id, customer_id, status, collector_id, dpd, overdue, outstanding, oldest_unpaid_due, next_due_date,
# next_due_fen) of one loan, as ``iter_loan_figures`` yields it.
LoanFigures = tuple[str, str, str, int | None, int, int, int, str | None, str | None, int]


def loan_figures(schedule: Sequence[Instalment], pool: int, as_of_text: str) -> Figures:
    """``overdue.compute`` on raw rows, without building objects.

    ``schedule``: (due_date ISO text, principal_fen, interest_fen, seq) sorted by (due_date, seq); ``pool``:
    payments made on or before as-of. Returns (overdue_fen, outstanding_fen, oldest_unpaid_due text or
    None, next_due_date text or None, next_due_fen). Kept equal to ``compute`` by a property test.
    """
    return _waterfall([(None, *row) for row in schedule], pool, as_of_text)


def _waterfall(rows: Sequence[tuple[object, str, int, int, int]], pool: int, as_of_text: str) -> Figures:
    """``loan_figures`` on instalment rows as they come from SQL: (loan_id, due_date, principal, interest, seq)."""
    overdue = outstanding = next_fen = 0
    oldest: str | None = None
    next_due: str | None = None
    for _loan, due, principal, interest, _seq in rows:
        if pool >= principal + interest:
            pool -= principal + interest
            continue
        paid_i = pool if pool < interest else interest
        pool -= paid_i
        paid_p = pool if pool < principal else principal
        pool -= paid_p
        unpaid_i, unpaid_p = interest - paid_i, principal - paid_p
        outstanding += unpaid_p
        if due <= as_of_text:
            outstanding += unpaid_i
        if due < as_of_text:
            overdue += unpaid_i + unpaid_p
            if oldest is None:
                oldest = due
        elif next_due is None:
            next_due, next_fen = due, unpaid_i + unpaid_p
    return overdue, outstanding, oldest, next_due, next_fen


def loan_filter(scope: str | None, loan_scope: str | None, column: str = "loan_id") -> tuple[str, str]:
    """(WHERE clause on ``loan``, condition on another table's ``column``) selecting the loans in scope."""
    if loan_scope:
        return (
            f"WHERE loan_id IN (SELECT loan_id FROM {loan_scope})",
            f"{column} IN (SELECT loan_id FROM {loan_scope})",
        )
    if scope:
        where = f"WHERE customer_id IN (SELECT customer_id FROM {scope})"
        return where, f"{column} IN (SELECT loan_id FROM loan {where})"
    return "", "1 = 1"


def iter_loan_figures(
    raw: RawConnection, as_of: date, scope: str | None, loan_scope: str | None = None
) -> Iterator[LoanFigures]:
    """The ``LoanFigures`` of every loan in scope, loan_id order, all in Python: three cursors merged.

    ``scope``: a table of customer_ids; ``loan_scope``: a table of loan_ids; None: every loan."""
    loan_where, sub = loan_filter(scope, loan_scope)
    day = as_of.isoformat()
    loans = stream(raw, f"SELECT loan_id, customer_id, status, collector_id FROM loan {loan_where} ORDER BY loan_id")
    insts = stream(
        raw,
        "SELECT loan_id, due_date, principal_due_fen, interest_due_fen, seq FROM instalment "
        f"WHERE {sub} ORDER BY loan_id, seq",
    )
    pays = stream(
        raw,
        f"SELECT loan_id, SUM(amount_fen) FROM payment WHERE paid_on <= ? AND {sub} GROUP BY loan_id ORDER BY loan_id",
        (day,),
    )
    groups = groupby(insts, key=itemgetter(0))  # the rows come in seq order: a stable sort by due_date
    by_due = itemgetter(1)  # then gives the engine's (due_date, seq) order
    dates: dict[str, date] = {}
    group = next(groups, None)
    pay = next(pays, None)
    for loan_id, customer_id, status, collector_id in loans:
        rows: list[tuple[str, str, int, int, int]] = []
        while group is not None and group[0] <= loan_id:
            if group[0] == loan_id:
                rows = list(group[1])
                rows.sort(key=by_due)
            group = next(groups, None)
        pool = 0
        while pay is not None and pay[0] <= loan_id:
            if pay[0] == loan_id:
                pool = pay[1] or 0
            pay = next(pays, None)
        overdue, outstanding, oldest, next_due, next_fen = _waterfall(rows, pool, day)
        dpd = 0
        if oldest is not None:
            d = dates.get(oldest)
            if d is None:
                d = dates[oldest] = date.fromisoformat(oldest)
            dpd = (as_of - d).days
        yield (loan_id, customer_id, status, collector_id, dpd, overdue, outstanding, oldest, next_due, next_fen)


# The scratch tables of ``stage_figures``, clustered by loan_id: the pool = 0 aggregates, the loans they are
# computed for, the loans left to the Python path.
_AGG, _FAST, _SLOW = "_rf_agg", "_rf_fast", "_rf_slow"
_AGG_COLUMNS = (
    "loan_id TEXT PRIMARY KEY, customer_id TEXT, over INTEGER, outst INTEGER, oldest TEXT, nextkey TEXT, ok BOOLEAN"
)


@cache
def _aggregate(d: Dialect) -> str:
    """The pool = 0 aggregates, one row per loan of ``_rf_fast`` (a loan without instalments too). ``nextkey``
    is due_date || 20-digit seq || amount of the first instalment (by due_date, seq) due on or after as-of
    with something to pay: MIN picks it, and (due_date, seq) is unique per loan, so the amount never
    decides. ``ok``: no negative amount or seq (the zero-padded seq orders like the integer, and pool = 0
    leaves every instalment whole) and ISO dates (10 characters); the others go to the Python path."""
    return f"""
SELECT f.loan_id, f.customer_id,
  COALESCE(SUM(CASE WHEN due_date < :d THEN principal_due_fen + interest_due_fen ELSE 0 END), 0),
  COALESCE(SUM(principal_due_fen + CASE WHEN due_date <= :d THEN interest_due_fen ELSE 0 END), 0),
  MIN(CASE WHEN due_date < :d AND principal_due_fen + interest_due_fen > 0 THEN due_date END),
  MIN(CASE WHEN due_date >= :d AND principal_due_fen + interest_due_fen > 0
      THEN due_date || {d.zero_pad("seq", 20)} || (principal_due_fen + interest_due_fen) END),
  MIN(CASE WHEN length(due_date) = 10 THEN {d.least("principal_due_fen", "interest_due_fen", "seq")}
      WHEN i.loan_id IS NULL THEN 0 ELSE -1 END) >= 0
FROM {d.temp(_FAST)} f LEFT JOIN instalment i ON i.loan_id = f.loan_id GROUP BY f.loan_id"""


@cache
def _fast_state(d: Dialect) -> str:
    """``loan_state`` rows from the aggregates of the loans they hold for (``ok``)."""
    # The WHERE (always true) lets the upsert that follows parse: ON after FROM could start a join.
    return f"""
SELECT loan_id, customer_id, :d, dpd, {sql_bucket("dpd")}, {sql_category("dpd")}, over, outst, oldest,
  substr(nextkey, 1, 10), COALESCE(CAST(substr(nextkey, 31) AS INTEGER), 0)
FROM (SELECT *, COALESCE({d.days_between(":d", "oldest")}, 0) AS dpd FROM {d.temp(_AGG)} WHERE ok) AS a
WHERE 1 = 1"""


def stage_figures(
    raw: RawConnection, as_of: date, scope: str | None, target: str, loan_scope: str | None = None
) -> int:
    """Write the figures of every loan in scope into ``target`` (``loan_state``-shaped): the SQL aggregate
    path for loans without payments, the Python waterfall for the rest. Returns the number of loans.

    When most loans in scope have payments (a bank with years of history), the Python stream over all of
    them beats picking the paid ones out with an index seek each, and the aggregate is skipped.
    A row already in ``target`` for a loan in scope is overwritten whole."""
    loan_where, sub = loan_filter(scope, loan_scope)
    day = as_of.isoformat()
    d = dialect_of(raw)
    agg = scratch_table(raw, _AGG, _AGG_COLUMNS, clustered=True)
    fast_loans = scratch_table(raw, _FAST, "loan_id TEXT PRIMARY KEY, customer_id TEXT", clustered=True)
    slow_loans = scratch_table(raw, _SLOW, "loan_id TEXT PRIMARY KEY", clustered=True)
    slow = raw.execute(
        d.insert_ignore(slow_loans, f"SELECT loan_id FROM payment WHERE paid_on <= ? AND {sub}"), (day,)
    ).rowcount
    planned(raw, slow_loans)
    fast = raw.execute(
        f"INSERT INTO {fast_loans} SELECT loan_id, customer_id FROM loan {loan_where} "
        f"{'AND' if loan_where else 'WHERE'} loan_id NOT IN (SELECT loan_id FROM {slow_loans})"
    ).rowcount
    planned(raw, fast_loans)
    loans = 0
    if fast < slow:
        python_scope: tuple[str | None, str | None] = (scope, loan_scope)
    else:
        python_scope = (None, slow_loans)
        raw.execute(f"INSERT INTO {agg} " + _aggregate(d), {"d": day})
        planned(raw, agg)
        raw.execute(d.insert_ignore(slow_loans, f"SELECT loan_id FROM {agg} WHERE NOT ok"))
        loans += raw.execute(f"INSERT INTO {target}({STATE_COLUMNS}) {_fast_state(d)} {_UPSERT}", {"d": day}).rowcount
    buckets = [bucket_for(d) for d in range(0, 182)]
    categories = [category_for(d) for d in range(0, 400)]
    batch: list[tuple[object, ...]] = []
    sql = f"INSERT INTO {target}({STATE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?) {_UPSERT}"
    for loan_id, cid, _status, _coll, dpd, over, outst, oldest, next_due, next_fen in iter_loan_figures(
        raw, as_of, *python_scope
    ):
        batch.append(
            (
                loan_id,
                cid,
                day,
                dpd,
                buckets[dpd] if dpd < 182 else "M6+",
                categories[dpd] if dpd < 400 else "loss",
                over,
                outst,
                oldest,
                next_due,
                next_fen,
            )
        )
        if len(batch) >= 20_000:
            raw.executemany(sql, batch)
            loans += len(batch)
            batch.clear()
    raw.executemany(sql, batch)
    loans += len(batch)
    for table in (agg, fast_loans, slow_loans):
        raw.execute(f"DELETE FROM {table}")
    return loans
