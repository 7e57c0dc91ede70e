"""Compliance between ``--from`` and ``--to``: refused attempts, unmaskings with reasons, note-scan refusals.

refused attempts = call attempts the gate refused (status 'refused'), counted per rule (an attempt refused by
                   two rules counts once under each rule, once in the total) and per collector;
unmaskings       = audit events whose action is an unmask (``profile.unmask`` ...), listed with who, which
                   field, which customer and the reason; refused unmask attempts counted apart; numbers shown
                   in full to dial an allowed call (``call.unmask_number``) counted per collector;
note-scan refusals = audit events of call records refused by the note scan (phrase category, collector);
late entries     = calls logged later than the policy's calls.late_entry_minutes by a supervisor with a
                   reason (``call_attempt.entered_late``), by when the call started, per collector;
policy changes   = policy versions applied in the window (version, when, who, why), whatever the filters:
                   one policy binds every branch.
disputes         = disputes opened in the window; resolved in the window, and of those the ones resolved on
                   or before their due day (in time); overdue = still unresolved at the end of ``--to`` with
                   ``--to`` after their due day. The collector filter keeps disputes raised on their calls.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from collectui.domain.cases.disputes import due_of
from collectui.domain.context import Ctx
from collectui.domain.policy_store import applied_between
from collectui.domain.reports.common import (
    Column,
    Params,
    Report,
    Section,
    Window,
    branch_filter,
    call_scan,
    filters_json,
    read_conn,
    resolve_window,
    usernames,
)
from collectui.domain.voice.vocabulary import scrub_personal_data

# Audit actions are matched by shape so that every face's unmask ("profile.unmask", "call.unmask") counts.
UNMASK_SQL = (
    "(a.action LIKE '%unmask%' AND a.action NOT LIKE '%refused%' AND a.action NOT LIKE '%denied%' "
    "AND a.action <> 'call.unmask_number')"
)
# The number shown in full to dial a call the gate allowed: counted per collector, not listed one by one.
DIAL_SQL = "a.action = 'call.unmask_number'"
UNMASK_REFUSED_SQL = "(a.action LIKE '%unmask%' AND (a.action LIKE '%refused%' OR a.action LIKE '%denied%'))"
NOTESCAN_SQL = "a.action = 'call.note_refused'"  # written by domain.calls.record


def _scrub(text: object) -> str | None:
    return scrub_personal_data(str(text)).text if text else None


def _rules(text: str | list[str] | None) -> list[str]:
    """``call_attempt.refused_rules``: JSON text from a plain connection (or already a list)."""
    try:
        value = json.loads(text) if isinstance(text, str) else (text or [])
    except ValueError:
        return []
    return [str(r) for r in value] if isinstance(value, list) else []


def _details(text: str | dict[str, Any] | None) -> dict[str, Any]:
    """``audit_event.details``: JSON text from a plain connection (or already a dict); {} when unreadable."""
    if isinstance(text, dict):
        return text
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _disputes(rows: Sequence[Sequence[Any]], w: Window, ctx: Ctx) -> dict[str, int]:
    """Opened, resolved (and in time) in the window; overdue as of the end of ``--to``."""
    from datetime import date, datetime

    opened = resolved = in_time = overdue = 0
    for opened_at, due_text, resolved_at in rows:
        due = due_of(datetime.fromisoformat(opened_at), date.fromisoformat(due_text) if due_text else None, ctx.policy)
        if opened_at >= w.start_utc:
            opened += 1
        if resolved_at is not None and w.start_utc <= resolved_at < w.end_utc:
            resolved += 1
            in_time += datetime.fromisoformat(resolved_at).astimezone(w.tz).date() <= due
        if (resolved_at is None or resolved_at >= w.end_utc) and w.date_to > due:
            overdue += 1
    return {
        "disputes_opened": opened,
        "disputes_resolved": resolved,
        "disputes_resolved_in_time": in_time,
        "disputes_overdue": overdue,
    }


def build(ctx: Ctx, params: Params) -> Report:
    with read_conn(ctx) as conn:
        w = resolve_window(ctx, conn, params)
        names = usernames(conn)
        join, extra, fargs = branch_filter(w)
        if w.collector_id is not None:
            extra += " AND x.user_id = ?"
            fargs.append(w.collector_id)
        scan, window = call_scan(conn, w)  # one sequential scan (see call_scan)
        base = f"FROM call_attempt x{scan}{join} WHERE x.status = 'refused' AND {window}{extra}"
        args = [w.start_utc, w.end_utc, *fargs]
        # One scan: the refused attempts of the window are few; their rule lists are counted here.
        refused = conn.execute(f"SELECT x.user_id, x.refused_rules {base}", args).fetchall()
        late_rows = conn.execute(
            f"SELECT x.id, x.started_at, x.user_id, x.customer_id, x.late_reason FROM call_attempt x{scan}{join} "
            f"WHERE x.entered_late = 1 AND {window}{extra} ORDER BY x.started_at, x.id",
            args,
        ).fetchall()

        # Audit events: actor is a username; the branch filter keeps events about customers of that branch.
        ajoin, aextra = "", ""
        aargs: list[str | int] = [w.start_utc, w.end_utc]
        if w.branch_id is not None:
            ajoin = " JOIN customer c ON c.customer_id = a.target_id AND a.target_type = 'customer'"
            aextra += " AND c.branch_id = ?"
            aargs.append(w.branch_id)
        if params.collector:
            aextra += " AND a.actor = ?"
            aargs.append(params.collector)

        def events(kind_sql: str) -> list[Sequence[Any]]:
            return conn.execute(
                f"SELECT a.id, a.at, a.actor, a.action, a.target_type, a.target_id, a.details "
                f"FROM audit_event a{ajoin} WHERE a.at >= ? AND a.at < ?{aextra} AND {kind_sql} "
                f"ORDER BY a.at, a.id",
                aargs,
            ).fetchall()

        dials = dict(
            conn.execute(
                f"SELECT a.actor, COUNT(*) FROM audit_event a{ajoin} WHERE a.at >= ? AND a.at < ?{aextra} "
                f"AND {DIAL_SQL} GROUP BY 1",
                aargs,
            ).fetchall()
        )
        unmasks = events(UNMASK_SQL)
        unmask_refused = events(UNMASK_REFUSED_SQL)
        notescans = events(NOTESCAN_SQL)
        applied = applied_between(conn, w.start_utc, w.end_utc)
        dargs: list[object] = [w.end_utc]
        djoin, dextra = "", ""
        if w.branch_id is not None:
            djoin = " JOIN customer c ON c.customer_id = d.customer_id"
            dextra += " AND c.branch_id = ?"
            dargs.append(w.branch_id)
        if w.collector_id is not None:
            dextra += " AND d.opened_by = ?"
            dargs.append(w.collector_id)
        dispute_rows = conn.execute(
            f"SELECT d.opened_at, d.due_on, d.resolved_at FROM dispute d{djoin} WHERE d.opened_at < ?{dextra}", dargs
        ).fetchall()

    rules: Counter[str] = Counter()
    matrix: dict[str, Counter[str]] = defaultdict(Counter)
    refused_by_user: Counter[str] = Counter()
    for uid, rule_json in refused:
        who = names.get(uid, "(unknown)")
        refused_by_user[who] += 1
        for rule in set(_rules(rule_json)):
            rules[rule] += 1
            matrix[who][rule] += 1
    total_refused = len(refused)

    def local(text: str) -> str:
        from datetime import datetime

        return datetime.fromisoformat(text).astimezone(w.tz).strftime("%Y-%m-%d %H:%M")

    unmask_rows = []
    for eid, at, actor, action, ttype, tid, details in unmasks:
        d = _details(details)
        unmask_rows.append(
            {
                "event": eid,
                "at": local(at),
                "user": actor,
                "action": action,
                "customer_id": tid if ttype == "customer" else d.get("customer_id"),
                "field": d.get("field"),
                "reason": _scrub(d.get("reason") or d.get("why")),
            }
        )
    note_rows = []
    for eid, at, actor, action, ttype, tid, details in notescans:
        d = _details(details)
        cats = (
            d.get("categories")
            or sorted({h.get("category") for h in d.get("hits", []) if isinstance(h, dict)} - {None})
            or d.get("category")
        )
        note_rows.append(
            {
                "event": eid,
                "at": local(at),
                "user": actor,
                "action": action,
                "customer_id": tid if ttype == "customer" else d.get("customer_id"),
                "categories": cats if isinstance(cats, list) else ([cats] if cats else []),
            }
        )

    late_entries = [
        {
            "call_id": cid,
            "at": local(at),
            "collector": names.get(uid, "(unknown)"),
            "customer_id": customer,
            "reason": _scrub(reason),
        }
        for cid, at, uid, customer, reason in late_rows
    ]
    users = sorted(
        {r["collector"] for r in late_entries}
        | set(refused_by_user)
        | {r["user"] for r in unmask_rows}
        | {r["user"] for r in note_rows}
        | {a for _, _, a, *_ in unmask_refused}
        | set(dials)
    )
    by_collector = []
    for u in users:
        by_collector.append(
            {
                "collector": u,
                "refused_attempts": refused_by_user.get(u, 0),
                "by_rule": dict(sorted(matrix[u].items())),
                "unmaskings": sum(1 for r in unmask_rows if r["user"] == u),
                "unmask_refused": sum(1 for e in unmask_refused if e[2] == u),
                "note_scan_refusals": sum(1 for r in note_rows if r["user"] == u),
                "numbers_shown_for_calls": dials.get(u, 0),
                "late_entries": sum(1 for r in late_entries if r["collector"] == u),
            }
        )
    by_rule: list[dict[str, Any]] = [
        {"rule": r, "refused": n} for r, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    disputes = _disputes(dispute_rows, w, ctx)
    total = {
        "refused_attempts": total_refused,
        "unmaskings": len(unmask_rows),
        "unmask_refused": len(unmask_refused),
        "note_scan_refusals": len(note_rows),
        "numbers_shown_for_calls": sum(dials.values()),
        "late_entries": len(late_entries),
        **disputes,
    }
    data = {
        "report": "compliance",
        "from": w.date_from.isoformat(),
        "to": w.date_to.isoformat(),
        **filters_json(params),
        "total": total,
        "by_rule": by_rule,
        "by_collector": by_collector,
        "unmaskings": unmask_rows,
        "note_scan_refusals": note_rows,
        "late_entries": late_entries,
        "policy_changes": [
            {
                "version": p.version,
                "at": p.applied_at.astimezone(w.tz).strftime("%Y-%m-%d %H:%M"),
                "by": p.applied_by,
                "reason": _scrub(p.reason),
                "sha256": p.sha256,
            }
            for p in applied
        ],
    }
    rule_ids = [r["rule"] for r in by_rule]
    coll_rows = [
        {**{k: v for k, v in c.items() if k != "by_rule"}, **{f"rule:{r}": c["by_rule"].get(r, 0) for r in rule_ids}}
        for c in by_collector
    ]
    sections = [
        Section(
            "total",
            f"Compliance {w.date_from} to {w.date_to}",
            [
                Column("refused_attempts", "refused attempts", "int"),
                Column("unmaskings", "unmaskings", "int"),
                Column("unmask_refused", "unmask refused", "int"),
                Column("note_scan_refusals", "note-scan refusals", "int"),
                Column("numbers_shown_for_calls", "numbers shown to dial", "int"),
                Column("late_entries", "late entries", "int"),
                Column("disputes_opened", "disputes opened", "int"),
                Column("disputes_resolved", "disputes resolved", "int"),
                Column("disputes_resolved_in_time", "resolved in time", "int"),
                Column("disputes_overdue", "disputes overdue", "int"),
            ],
            [total],
        ),
        Section(
            "by_rule",
            "Refused attempts per rule",
            [Column("rule", "rule"), Column("refused", "refused", "int")],
            by_rule,
        ),
        Section(
            "by_collector",
            "Per collector",
            [Column("collector", "collector"), Column("refused_attempts", "refused", "int")]
            + [Column(f"rule:{r}", r, "int") for r in rule_ids]
            + [
                Column("unmaskings", "unmaskings", "int"),
                Column("unmask_refused", "unmask refused", "int"),
                Column("note_scan_refusals", "note-scan refusals", "int"),
                Column("numbers_shown_for_calls", "numbers shown to dial", "int"),
                Column("late_entries", "late entries", "int"),
            ],
            coll_rows,
        ),
        Section(
            "unmaskings",
            "Unmaskings with reasons",
            [
                Column("at", "at"),
                Column("user", "user"),
                Column("action", "action"),
                Column("customer_id", "customer"),
                Column("field", "field"),
                Column("reason", "reason"),
            ],
            unmask_rows,
        ),
        Section(
            "note_scan",
            "Call records refused by the note scan",
            [
                Column("at", "at"),
                Column("user", "user"),
                Column("customer_id", "customer"),
                Column("categories", "categories"),
            ],
            [{**r, "categories": "; ".join(map(str, r["categories"]))} for r in note_rows],
        ),
        Section(
            "late_entries",
            "Late entries (logged by a supervisor with a reason)",
            [
                Column("at", "call started"),
                Column("collector", "collector"),
                Column("customer_id", "customer"),
                Column("reason", "reason"),
            ],
            late_entries,
        ),
        Section(
            "policy_changes",
            "Policy versions applied",
            [Column("version", "version", "int"), Column("at", "at"), Column("by", "by"), Column("reason", "reason")],
            data["policy_changes"],
        ),
    ]
    return Report("compliance", data, sections, [])
