"""Portfolio as of ``--to``: per bucket and per five-category class, and PAR30.

Loans, outstanding and overdue are counted in each loan's own bucket; a borrower is counted once, in the
bucket (and class) of their worst loan (highest DPD). Closed loans are left out.
PAR30 = outstanding of loans over 30 DPD / total outstanding.

Any ``--to`` up to today has figures (``portfolio_day.figures_on``): ``loan_state`` when it is current for
that day, else that day's ``bucket_snapshot``, else computed from the loans, schedules and payments as of
that day; the three agree on the same data. Loans disbursed after ``--to`` are left out whatever the source.
"""

from __future__ import annotations

from typing import Any

from collectui.domain.context import Ctx
from collectui.domain.portfolio.overdue import BUCKETS, CATEGORIES, CATEGORY_ZH
from collectui.domain.reports.common import (
    Column,
    Params,
    Report,
    Section,
    Window,
    filters_json,
    money,
    rate,
    read_conn,
    resolve_window,
    usernames,
)
from collectui.domain.reports.portfolio_day import COMPUTED, figures_on
from collectui.domain.said import Said, said

BUCKET_SQL = "CASE WHEN {d} <= 0 THEN 'M0' WHEN {d} > 180 THEN 'M6+' ELSE 'M' || (({d} - 1) / 30 + 1) END"
CATEGORY_SQL = (
    "CASE WHEN {d} <= 0 THEN 'normal' WHEN {d} <= 90 THEN 'special_mention' "
    "WHEN {d} <= 270 THEN 'substandard' WHEN {d} <= 360 THEN 'doubtful' ELSE 'loss' END"
)


def build(ctx: Ctx, params: Params) -> Report:
    with read_conn(ctx) as conn:
        w = resolve_window(ctx, conn, params, default_days=1)
        w = Window(w.date_to, w.date_to, w.start_utc, w.end_utc, w.branch_id, w.collector_id, w.tz)
        day = figures_on(conn, w.date_to, ctx.clock.today(), branch_id=w.branch_id)
        src, described = f"({day.sql}) s", day.described
        args: list[str | int] = list(day.args)
        notes: list[Said] = []
        if day.source == COMPUTED:
            notes.append(
                said(
                    "rpt.note.portfolio_computed",
                    f"no stored figures for {w.date_to}: computed from the loans, schedules and payments now held",
                    day=w.date_to.isoformat(),
                )
            )
        where: list[str] = ["l.status <> 'closed'", "l.disbursed_on <= ?"]
        wargs: list[str | int] = [w.date_to.isoformat()]
        join = "JOIN loan l ON l.loan_id = s.loan_id"
        if w.branch_id is not None:
            join += " JOIN customer c ON c.customer_id = s.customer_id"
            where.append("c.branch_id = ?")
            wargs.append(w.branch_id)
        if w.collector_id is not None:
            where.append("l.collector_id = ?")
            wargs.append(w.collector_id)
        cond = " AND ".join(where)
        loan_rows = conn.execute(
            f"SELECT s.bucket, {CATEGORY_SQL.format(d='s.dpd')}, l.collector_id, COUNT(*), "
            f"SUM(s.outstanding_fen), SUM(s.overdue_fen), SUM(CASE WHEN s.dpd > 30 THEN s.outstanding_fen END) "
            f"FROM {src} {join} WHERE {cond} GROUP BY 1, 2, 3",
            args + wargs,
        ).fetchall()
        borrower_rows = conn.execute(
            f"SELECT {BUCKET_SQL.format(d='worst')}, {CATEGORY_SQL.format(d='worst')}, COUNT(*) FROM ("
            f"SELECT MAX(s.dpd) AS worst FROM {src} {join} WHERE {cond} GROUP BY s.customer_id) AS b GROUP BY 1, 2",
            args + wargs,
        ).fetchall()
        names = usernames(conn)

    # Sums of one row (a bucket, a class, a collector or the total), in fen and counts.
    def blank() -> dict[str, int]:
        return {"borrowers": 0, "loans": 0, "outstanding_fen": 0, "overdue_fen": 0, "par30_fen": 0}

    by_bucket = {b: blank() for b in BUCKETS}
    by_cat = {c: blank() for c in CATEGORIES}
    by_coll: dict[str, dict[str, int]] = {}
    total = blank()
    for bucket, cat, coll_id, loans, outst, over, par in loan_rows:
        coll = names.get(coll_id, "(unassigned)") if coll_id is not None else "(unassigned)"
        for acc in (by_bucket[bucket], by_cat[cat], total, by_coll.setdefault(coll, blank())):
            acc["loans"] += loans
            acc["outstanding_fen"] += outst or 0
            acc["overdue_fen"] += over or 0
            acc["par30_fen"] += par or 0
    for bucket, cat, borrowers in borrower_rows:
        by_bucket[bucket]["borrowers"] += borrowers
        by_cat[cat]["borrowers"] += borrowers
        total["borrowers"] += borrowers

    def out(acc: dict[str, int]) -> dict[str, Any]:
        return {
            "borrowers": acc["borrowers"],
            "loans": acc["loans"],
            "outstanding": money(acc["outstanding_fen"]),
            "overdue": money(acc["overdue_fen"]),
            "share_outstanding": rate(acc["outstanding_fen"], total["outstanding_fen"]),
        }

    bucket_list = [{"bucket": b, **out(by_bucket[b])} for b in BUCKETS]
    cat_list = [{"category": c, "category_zh": CATEGORY_ZH[c], **out(by_cat[c])} for c in CATEGORIES]
    coll_list = [
        {
            "collector": name,
            "loans": acc["loans"],
            "outstanding": money(acc["outstanding_fen"]),
            "overdue": money(acc["overdue_fen"]),
            "par30": rate(acc["par30_fen"], acc["outstanding_fen"]),
        }
        for name, acc in sorted(by_coll.items())
    ]
    par30 = rate(total["par30_fen"], total["outstanding_fen"])
    data = {
        "report": "portfolio",
        "from": w.date_to.isoformat(),
        "to": w.date_to.isoformat(),
        "source": described,
        "source_kind": day.source,  # state | snapshot | computed
        **filters_json(params),
        "total": {
            "borrowers": total["borrowers"],
            "loans": total["loans"],
            "outstanding": money(total["outstanding_fen"]),
            "overdue": money(total["overdue_fen"]),
            "par30_outstanding": money(total["par30_fen"]),
            "par30": par30,
        },
        "by_bucket": bucket_list,
        "by_category": cat_list,
        "by_collector": coll_list,
        "notes": [n.text for n in notes],
    }
    common = [
        Column("borrowers", "borrowers", "int"),
        Column("loans", "loans", "int"),
        Column("outstanding", "outstanding", "money"),
        Column("overdue", "overdue", "money"),
        Column("share_outstanding", "share of outstanding", "rate"),
    ]
    total_row = {
        "item": "total",
        "borrowers": total["borrowers"],
        "loans": total["loans"],
        "outstanding": data["total"]["outstanding"],
        "overdue": data["total"]["overdue"],
        "par30_outstanding": data["total"]["par30_outstanding"],
        "par30": par30,
    }
    sections = [
        Section(
            "total",
            f"Portfolio as of {w.date_to} ({described})",
            [
                Column("item", "item"),
                Column("borrowers", "borrowers", "int"),
                Column("loans", "loans", "int"),
                Column("outstanding", "outstanding", "money"),
                Column("overdue", "overdue", "money"),
                Column("par30_outstanding", "outstanding >30 DPD", "money"),
                Column("par30", "PAR30", "rate"),
            ],
            [total_row],
        ),
        Section(
            "by_bucket", "By bucket (borrowers by their worst loan)", [Column("bucket", "bucket")] + common, bucket_list
        ),
        Section(
            "by_category",
            "By five-category class",
            [Column("category", "class"), Column("category_zh", "五级分类")] + common,
            cat_list,
        ),
        Section(
            "by_collector",
            "By assigned collector",
            [
                Column("collector", "collector"),
                Column("loans", "loans", "int"),
                Column("outstanding", "outstanding", "money"),
                Column("overdue", "overdue", "money"),
                Column("par30", "PAR30", "rate"),
            ],
            coll_list,
        ),
    ]
    return Report("portfolio", data, sections, notes)
