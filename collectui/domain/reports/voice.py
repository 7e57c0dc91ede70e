"""Customer voice between ``--from`` and ``--to``: satisfaction, NPS, negative feedback, complaints.

CSAT = feedback rated 4 or 5 / feedback with a satisfaction rating (1-5)
NPS  = 100 x (promoters, recommend 9-10, minus detractors, recommend 0-6) / feedback with a recommend answer
Negative feedback is counted per category (a feedback with two categories counts under both) and per
collector (the collector of the call it is about). Complaints: opened in the window; open = without a
decision at the end of ``--to``; overdue = open and ``--to`` is after the due day; on hold at the end of
``--to``. Weekly trends by ISO week of the local date. The CSV and xlsx also list the open complaints
and the negative feedback that has a text (customer name masked; numbers in texts were masked when stored and are
masked again here).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from collectui.domain.context import Ctx
from collectui.domain.privacy.masking import mask_name
from collectui.domain.reports.common import (
    Column,
    Params,
    Report,
    Section,
    filters_json,
    nps,
    rate,
    read_conn,
    resolve_window,
    usernames,
    weeks_between,
)
from collectui.domain.voice.vocabulary import CATEGORIES, scrub_personal_data
from collectui.storage.raw import dialect_of

_UNDECIDED_AT_END = (
    "c.opened_at < :end AND ((c.decided_at IS NULL AND c.status IN ('open', 'acknowledged')) OR c.decided_at >= :end)"
)


# Counts of one row (total, a collector or a week), before the rates are added.
Counts = dict[str, int]


def _blank() -> Counts:
    return {
        "feedback": 0,
        "positive": 0,
        "neutral": 0,
        "negative": 0,
        "rated": 0,
        "satisfied": 0,
        "answered": 0,
        "promoters": 0,
        "detractors": 0,
        "complaints_opened": 0,
    }


def _out(acc: Counts) -> dict[str, Any]:
    return {
        **acc,
        "csat": rate(acc["satisfied"], acc["rated"]),
        "nps": nps(acc["promoters"], acc["detractors"], acc["answered"]),
    }


def build(ctx: Ctx, params: Params) -> Report:
    policy = ctx.policy
    with read_conn(ctx) as conn:
        w = resolve_window(ctx, conn, params)
        names = usernames(conn)
        p = {
            "start": w.start_utc,
            "end": w.end_utc,
            "branch": w.branch_id,
            "coll": w.collector_id,
            "to": w.date_to.isoformat(),
        }
        fjoin = " JOIN customer cu ON cu.customer_id = f.customer_id"
        fwhere = "f.at >= :start AND f.at < :end"
        if w.branch_id is not None:
            fwhere += " AND cu.branch_id = :branch"
        if w.collector_id is not None:
            fwhere += " AND f.collector_id = :coll"
        n = dialect_of(conn).count_true
        pos, neu, neg = (n(f"f.sentiment = '{s}'") for s in ("positive", "neutral", "negative"))
        fb = conn.execute(
            f"SELECT f.collector_id, local_week(f.at), COUNT(*), {pos}, {neu}, {neg}, COUNT(f.satisfaction), "
            f"{n('f.satisfaction >= 4')}, COUNT(f.recommend), {n('f.recommend >= 9')}, {n('f.recommend <= 6')} "
            f"FROM feedback f{fjoin} WHERE {fwhere} GROUP BY 1, 2",
            p,
        ).fetchall()
        neg_cat = conn.execute(
            f"SELECT j.value, f.collector_id, COUNT(*) FROM feedback f{fjoin}, "
            f"{dialect_of(conn).json_array_items('f.categories', 'j')} "
            f"WHERE {fwhere} AND f.sentiment = 'negative' GROUP BY 1, 2",
            p,
        ).fetchall()
        neg_list = conn.execute(
            f"SELECT f.id, f.at, f.customer_id, cu.name, f.collector_id, f.channel, f.categories, f.satisfaction, "
            f"f.text FROM feedback f{fjoin} WHERE {fwhere} AND f.sentiment = 'negative' AND COALESCE(f.text, '') <> '' "
            f"ORDER BY f.at, f.id",
            p,
        ).fetchall()
        cjoin = " JOIN customer cu ON cu.customer_id = c.customer_id"
        cwhere = "1 = 1"
        if w.branch_id is not None:
            cwhere += " AND cu.branch_id = :branch"
        if w.collector_id is not None:
            cwhere += " AND c.collector_id = :coll"
        opened = conn.execute(
            f"SELECT c.collector_id, local_week(c.opened_at), COUNT(*) FROM complaint c{cjoin} "
            f"WHERE {cwhere} AND c.opened_at >= :start AND c.opened_at < :end GROUP BY 1, 2",
            p,
        ).fetchall()
        open_rows = conn.execute(
            f"SELECT c.id, c.customer_id, cu.name, c.about, c.status, c.opened_at, c.due_on, c.extended, "
            f"c.collector_id, c.text, (c.opened_at < :end AND (c.hold_active = 1 OR c.hold_cleared_at >= :end)) "
            f"FROM complaint c{cjoin} WHERE {cwhere} AND {_UNDECIDED_AT_END} ORDER BY c.due_on, c.id",
            p,
        ).fetchall()
        holds = conn.execute(
            f"SELECT COUNT(*) FROM complaint c{cjoin} WHERE {cwhere} AND c.opened_at < :end "
            f"AND (c.hold_active = 1 OR c.hold_cleared_at >= :end)",
            p,
        ).fetchone()[0]

    def who(uid: int | None) -> str:
        return names.get(uid, "(unknown)") if uid is not None else "(none)"

    total = _blank()
    by_user: dict[str, Counts] = defaultdict(_blank)
    by_week: dict[str, Counts] = {label: _blank() for label, _ in weeks_between(w.date_from, w.date_to)}
    for uid, week, n, pos, neu, neg, rated, sat, ans, prom, det in fb:
        for acc in (total, by_user[who(uid)], by_week.setdefault(week, _blank())):
            acc["feedback"] += n
            acc["positive"] += pos or 0
            acc["neutral"] += neu or 0
            acc["negative"] += neg or 0
            acc["rated"] += rated
            acc["satisfied"] += sat or 0
            acc["answered"] += ans
            acc["promoters"] += prom or 0
            acc["detractors"] += det or 0
    for uid, week, n in opened:
        for acc in (total, by_user[who(uid)], by_week.setdefault(week, _blank())):
            acc["complaints_opened"] += n

    cat_counts: dict[str, int] = dict.fromkeys(CATEGORIES, 0)
    user_cats: dict[str, dict[str, int]] = defaultdict(dict)
    for cat, uid, n in neg_cat:
        cat_counts[cat] = cat_counts.get(cat, 0) + n
        user_cats[who(uid)][cat] = user_cats[who(uid)].get(cat, 0) + n

    open_list: list[dict[str, Any]] = []
    open_by_user: defaultdict[str, int] = defaultdict(int)
    overdue_by_user: defaultdict[str, int] = defaultdict(int)
    for cid, cust, name, about, status, opened_at, due_on, extended, uid, text, hold in open_rows:
        overdue = date.fromisoformat(due_on) < w.date_to
        open_by_user[who(uid)] += 1
        overdue_by_user[who(uid)] += overdue
        open_list.append(
            {
                "complaint": cid,
                "customer_id": cust,
                "name": mask_name(name, policy),
                "about": about,
                "status": status,
                "opened_on": datetime.fromisoformat(opened_at).astimezone(w.tz).date().isoformat(),
                "due_on": due_on,
                "days_left": (date.fromisoformat(due_on) - w.date_to).days,
                "overdue": overdue,
                "extended": bool(extended),
                "hold": bool(hold),
                "collector": who(uid) if uid is not None else None,
                "text": scrub_personal_data(text or "", policy).text,
            }
        )
    neg_texts = [
        {
            "feedback": fid,
            "at": datetime.fromisoformat(at).astimezone(w.tz).strftime("%Y-%m-%d %H:%M"),
            "customer_id": cust,
            "name": mask_name(name, policy),
            "collector": who(uid) if uid is not None else None,
            "channel": channel,
            "categories": "; ".join(json.loads(cats) if isinstance(cats, str) else (cats or [])),
            "satisfaction": sat,
            "text": scrub_personal_data(text or "", policy).text,
        }
        for fid, at, cust, name, uid, channel, cats, sat, text in neg_list
    ]

    users = sorted(set(by_user) | set(open_by_user) | set(user_cats))
    by_collector = [
        {
            "collector": u,
            **_out(by_user[u]),
            "complaints_open": open_by_user.get(u, 0),
            "complaints_overdue": overdue_by_user.get(u, 0),
            "negative_by_category": dict(sorted(user_cats.get(u, {}).items())),
        }
        for u in users
    ]
    total_out = {
        **_out(total),
        "complaints_open": len(open_list),
        "complaints_overdue": sum(1 for c in open_list if c["overdue"]),
        "holds_active": holds,
    }
    weeks = [{"week": wk, **_out(acc)} for wk, acc in sorted(by_week.items())]
    by_category = [{"category": c, "negative": n} for c, n in cat_counts.items()]
    data = {
        "report": "voice",
        "from": w.date_from.isoformat(),
        "to": w.date_to.isoformat(),
        **filters_json(params),
        "total": total_out,
        "by_collector": by_collector,
        "negative_by_category": by_category,
        "by_week": weeks,
        "open_complaints": [{k: v for k, v in c.items() if k != "text"} for c in open_list],
    }
    figures = [
        Column("feedback", "feedback", "int"),
        Column("positive", "positive", "int"),
        Column("neutral", "neutral", "int"),
        Column("negative", "negative", "int"),
        Column("rated", "rated", "int"),
        Column("csat", "CSAT", "rate"),
        Column("answered", "NPS answers", "int"),
        Column("promoters", "promoters", "int"),
        Column("detractors", "detractors", "int"),
        Column("nps", "NPS", "points"),
        Column("complaints_opened", "complaints opened", "int"),
    ]
    coll_rows = [
        {
            **{k: v for k, v in c.items() if k != "negative_by_category"},
            **{f"neg:{cat}": c["negative_by_category"].get(cat, 0) for cat in CATEGORIES},
        }
        for c in by_collector
    ]
    sections = [
        Section(
            "total",
            f"Customer voice {w.date_from} to {w.date_to}",
            figures
            + [
                Column("complaints_open", "open complaints", "int"),
                Column("complaints_overdue", "overdue complaints", "int"),
                Column("holds_active", "holds", "int"),
            ],
            [total_out],
        ),
        Section(
            "by_category",
            "Negative feedback per category",
            [Column("category", "category"), Column("negative", "negative", "int")],
            by_category,
        ),
        Section(
            "by_collector",
            "Per collector",
            [Column("collector", "collector")]
            + figures
            + [
                Column("complaints_open", "open complaints", "int"),
                Column("complaints_overdue", "overdue complaints", "int"),
            ]
            + [Column(f"neg:{cat}", f"negative: {cat}", "int") for cat in CATEGORIES],
            coll_rows,
        ),
        Section("by_week", "By ISO week", [Column("week", "week")] + figures, weeks),
        Section(
            "open_complaints",
            "Open complaints (by deadline)",
            [
                Column("complaint", "complaint", "int"),
                Column("customer_id", "customer"),
                Column("name", "name"),
                Column("about", "about"),
                Column("status", "status"),
                Column("opened_on", "opened"),
                Column("due_on", "due"),
                Column("days_left", "days left", "int"),
                Column("overdue", "overdue"),
                Column("hold", "hold"),
                Column("collector", "collector"),
                Column("text", "text"),
            ],
            [
                {**c, "overdue": "OVERDUE" if c["overdue"] else "", "hold": "yes" if c["hold"] else ""}
                for c in open_list
            ],
            export_only=True,
        ),
        Section(
            "negative_feedback",
            "Negative feedback texts",
            [
                Column("feedback", "feedback", "int"),
                Column("at", "at"),
                Column("customer_id", "customer"),
                Column("name", "name"),
                Column("collector", "collector"),
                Column("channel", "channel"),
                Column("categories", "categories"),
                Column("satisfaction", "satisfaction", "int"),
                Column("text", "text"),
            ],
            neg_texts,
            export_only=True,
        ),
    ]
    return Report("voice", data, sections, [])
