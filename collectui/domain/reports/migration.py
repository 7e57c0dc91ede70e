"""Bucket migration between ``--from`` (t-1) and ``--to`` (t), from each day's loan figures.

Roll rate n -> n+1 = outstanding of loans in bucket n at t-1 that are in bucket n+1 at t
                     / outstanding of loans in bucket n at t-1          (balances taken at t-1)
Cure rate          = outstanding of loans delinquent (M1 or worse) at t-1 that are M0 at t
                     / outstanding of loans delinquent at t-1          (also given by count of loans)
Each end is that very day's figures (``portfolio_day.figures_on``: the stored state, the day's snapshot, or
computed from the loans, schedules and payments as of that day; the source of each is reported). A loan at
t-1 with no figures at t (in a snapshot, but no longer in the book) is counted as "left": it stays in the
denominators and in no numerator. Loans disbursed after t-1 are left out. When the data cannot answer (a
day after today, or a ``--from`` before the first loan was disbursed) the report says so and gives no rates:
nothing is guessed.
"""

from __future__ import annotations

from collectui.domain.context import Ctx
from collectui.domain.portfolio.overdue import BUCKETS
from collectui.domain.reports.common import (
    DEFAULT_DAYS,
    Column,
    Params,
    Report,
    Section,
    filters_json,
    money,
    rate,
    read_conn,
    resolve_window,
)
from collectui.domain.reports.portfolio_day import COMPUTED, SNAPSHOT, FutureDay, figures_on, first_disbursed
from collectui.domain.said import Said, said

LEFT = "left"


def _unavailable(base: dict[str, object], first: str | None, why: Said) -> Report:
    data = {
        **base,
        "available": False,
        "message": why.text,
        "first_snapshot": first,
        "total": None,
        "by_bucket": [],
        "matrix": [],
    }
    return Report("migration", data, [], [why])


def build(ctx: Ctx, params: Params) -> Report:
    with read_conn(ctx) as conn:
        w = resolve_window(ctx, conn, params, default_days=DEFAULT_DAYS + 1)
        first = conn.execute("SELECT MIN(snap_date) FROM bucket_snapshot").fetchone()[0]
        base = {
            "report": "migration",
            "from": w.date_from.isoformat(),
            "to": w.date_to.isoformat(),
            **filters_json(params),
        }
        today = ctx.clock.today()
        try:
            end = figures_on(conn, w.date_to, today, "to", w.branch_id)
            start = figures_on(conn, w.date_from, today, "from", w.branch_id)
        except FutureDay as exc:
            return _unavailable(base, first, said("rpt.note.future", str(exc)))
        disbursed = first_disbursed(conn)
        # (whatever the source: a snapshot of that day holds the same empty book)
        if (disbursed is None and start.source == COMPUTED) or (disbursed and w.date_from.isoformat() < disbursed):
            # An empty book at t-1 has no rates: say why instead of a table of dashes.
            why = (
                said("rpt.note.no_loans", "there are no loans yet")
                if disbursed is None
                else said(
                    "rpt.note.not_disbursed",
                    f"no loan had been disbursed by {w.date_from} (the first was on {disbursed}); "
                    "there are no figures to migrate from",
                    day=w.date_from.isoformat(),
                    first=disbursed,
                )
            )
            return _unavailable(base, first, why)
        notes: list[Said] = [
            said("rpt.note.migration_end", f"{label}: {fig.described}", label=label, kind=fig.source, day=str(fig.day))
            for label, fig in (("t-1", start), ("t", end))
            if fig.source == COMPUTED
        ]
        if notes:
            notes.append(
                said(
                    "rpt.note.migration_computed",
                    "computed ends use the loans, schedules and payments now held (see docs/admin/reports.md)",
                )
            )
        if w.date_from == w.date_to:
            notes.append(
                said(
                    "rpt.note.same_day",
                    f"--from and --to are both {w.date_to}: no movement can be seen",
                    day=str(w.date_to),
                )
            )
        # Loans disbursed after t-1 were not in the book then (a stored row without its loan is kept).
        join = " LEFT JOIN loan l ON l.loan_id = a.loan_id"
        where = ["(l.loan_id IS NULL OR l.disbursed_on <= ?)"]
        args: list[str | int] = [*start.args, *end.args, w.date_from.isoformat()]
        if w.branch_id is not None:
            join += " JOIN customer c ON c.customer_id = a.customer_id"
            where.append("c.branch_id = ?")
            args.append(w.branch_id)
        if w.collector_id is not None:
            where.append("l.collector_id = ?")
            args.append(w.collector_id)
        rows = conn.execute(
            f"SELECT a.bucket, COALESCE(b.bucket, '{LEFT}'), COUNT(*), SUM(a.outstanding_fen) "
            f"FROM ({start.sql}) a LEFT JOIN ({end.sql}) b ON b.loan_id = a.loan_id"
            f"{join} WHERE {' AND '.join(where)} GROUP BY 1, 2",
            args,
        ).fetchall()

    order = {b: i for i, b in enumerate(BUCKETS)}
    cells: dict[tuple[str, str], tuple[int, int]] = {(a, b): (n, bal or 0) for a, b, n, bal in rows}
    by_bucket, matrix = [], []
    cure_num = cure_den = cure_n_num = cure_n_den = 0
    tot_loans = tot_bal = 0
    for i, src in enumerate(BUCKETS):
        loans = sum(n for (a, _), (n, _) in cells.items() if a == src)
        bal = sum(v for (a, _), (_, v) in cells.items() if a == src)
        tot_loans += loans
        tot_bal += bal
        nxt = BUCKETS[i + 1] if i + 1 < len(BUCKETS) else None
        to_next = cells.get((src, nxt), (0, 0))[1] if nxt else 0
        worse = sum(v for (a, b), (_, v) in cells.items() if a == src and b in order and order[b] > i)
        better = sum(v for (a, b), (_, v) in cells.items() if a == src and b in order and order[b] < i)
        same = cells.get((src, src), (0, 0))[1]
        left_n, left_bal = cells.get((src, LEFT), (0, 0))
        cured_n, cured_bal = cells.get((src, "M0"), (0, 0)) if src != "M0" else (0, 0)
        if src != "M0":
            cure_num += cured_bal
            cure_den += bal
            cure_n_num += cured_n
            cure_n_den += loans
        by_bucket.append(
            {
                "bucket": src,
                "loans": loans,
                "balance": money(bal),
                "roll_to_next": money(to_next) if nxt else None,
                "roll_rate": rate(to_next, bal) if nxt else None,
                "worse": money(worse),
                "worse_rate": rate(worse, bal),
                "same": money(same),
                "same_rate": rate(same, bal),
                "better": money(better),
                "better_rate": rate(better, bal),
                "cured": money(cured_bal) if src != "M0" else None,
                "cure_rate": rate(cured_bal, bal) if src != "M0" else None,
                "left_loans": left_n,
                "left": money(left_bal),
            }
        )
        row = {"from_bucket": src}
        for dst in (*BUCKETS, LEFT):
            row[dst] = money(cells.get((src, dst), (0, 0))[1])
        matrix.append(row)
    total = {
        "loans": tot_loans,
        "balance": money(tot_bal),
        "delinquent_balance": money(cure_den),
        "cured_balance": money(cure_num),
        "cure_rate": rate(cure_num, cure_den),
        "delinquent_loans": cure_n_den,
        "cured_loans": cure_n_num,
        "cure_rate_count": rate(cure_n_num, cure_n_den),
    }
    data = {
        **base,
        "available": True,
        "from_source": start.described,
        "to_source": end.described,
        "from_snapshot": start.day.isoformat() if start.source == SNAPSHOT else None,
        "to_snapshot": end.day.isoformat() if end.source == SNAPSHOT else None,
        "first_snapshot": first,
        "total": total,
        "by_bucket": by_bucket,
        "matrix": matrix,
        "notes": [n.text for n in notes],
    }
    sections = [
        Section(
            "total",
            f"Migration {w.date_from} -> {w.date_to}",
            [
                Column("loans", "loans at t-1", "int"),
                Column("balance", "balance at t-1", "money"),
                Column("delinquent_balance", "delinquent balance", "money"),
                Column("cured_balance", "cured balance", "money"),
                Column("cure_rate", "cure rate", "rate"),
                Column("delinquent_loans", "delinquent loans", "int"),
                Column("cured_loans", "cured loans", "int"),
                Column("cure_rate_count", "cure rate (count)", "rate"),
            ],
            [total],
        ),
        Section(
            "by_bucket",
            "Roll rates by bucket at t-1",
            [
                Column("bucket", "bucket"),
                Column("loans", "loans", "int"),
                Column("balance", "balance", "money"),
                Column("roll_to_next", "to next bucket", "money"),
                Column("roll_rate", "roll rate", "rate"),
                Column("worse_rate", "any worse", "rate"),
                Column("same_rate", "same", "rate"),
                Column("better_rate", "better", "rate"),
                Column("cure_rate", "cure rate", "rate"),
                Column("left_loans", "left (loans)", "int"),
                Column("left", "left (balance)", "money"),
            ],
            by_bucket,
        ),
        Section(
            "matrix",
            "Balance moved (rows: bucket at t-1, columns: bucket at t)",
            [Column("from_bucket", "from")] + [Column(b, b, "money") for b in (*BUCKETS, LEFT)],
            matrix,
        ),
    ]
    return Report("migration", data, sections, notes)
