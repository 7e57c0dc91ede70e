"""What the gate refused on a day, for supervisors: counts per rule and the attempts themselves."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from collectui.domain.context import Ctx
from collectui.domain.privacy.masking import mask_phone
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import reading_scope
from collectui.storage.timefmt import utc_text


@dataclass(frozen=True)
class RefusedAttempt:
    id: int
    at: datetime
    customer_id: str
    contact_id: str | None
    phone_masked: str
    username: str
    rules: list[str]


@dataclass
class RefusalSummary:
    day: date
    total: int
    per_rule: list[tuple[str, int]]  # most frequent first
    attempts: list[RefusedAttempt]  # newest first


def _of_branch(branch: str | None) -> tuple[str, tuple[str, ...]]:
    """SQL ``AND ...`` keeping the attempts on borrowers of ``branch`` (nothing for None: every branch)."""
    if branch is None:
        return "", ()
    return (
        " AND c.customer_id IN (SELECT cb.customer_id FROM customer cb JOIN branch bb ON bb.id = cb.branch_id "
        "WHERE bb.name = ?)",
        (branch,),
    )


def refusals_on(
    ctx: Ctx, actor: Actor, day: date | None = None, limit: int = 200, branch: str | None = None
) -> RefusalSummary:
    """A day's refused attempts: a supervisor's report (``report.read``), of their own branch for a
    branch-bound one (another branch refused, audited); every branch (or ``branch``) for an admin."""
    where, params = _of_branch(reading_scope(ctx, actor, "report.read", branch))
    day = day or ctx.clock.today()
    start = datetime.combine(day, time(0), tzinfo=ctx.policy.tz)
    lo, hi = utc_text(start), utc_text(start + timedelta(days=1))
    with ctx.db.raw_read() as conn:  # a raw connection: its ``?`` placeholders are portable
        per_rule = [
            (r, n)
            for r, n in conn.execute(
                "SELECT j.value, count(*) FROM call_attempt c, "
                f"{ctx.db.dialect.json_array_items('c.refused_rules', 'j')} "
                "WHERE c.status = 'refused' AND c.started_at >= ? AND c.started_at < ?" + where + " "
                "GROUP BY j.value ORDER BY count(*) DESC, j.value",
                (lo, hi, *params),
            )
        ]
        total = int(
            conn.execute(
                "SELECT count(*) FROM call_attempt c WHERE c.status = 'refused' AND c.started_at >= ? "
                "AND c.started_at < ?" + where,
                (lo, hi, *params),
            ).fetchone()[0]
        )
        rows = conn.execute(
            "SELECT c.id, c.started_at, c.customer_id, c.contact_id, c.phone, u.username, c.refused_rules "
            "FROM call_attempt c JOIN staff_user u ON u.id = c.user_id WHERE c.status = 'refused' "
            "AND c.started_at >= ? AND c.started_at < ?" + where + " ORDER BY c.started_at DESC LIMIT ?",
            (lo, hi, *params, limit),
        ).fetchall()

    attempts = [
        RefusedAttempt(
            i,
            datetime.fromisoformat(at).astimezone(ctx.policy.tz),
            cid,
            contact,
            mask_phone(phone, ctx.policy),
            user,
            json.loads(rules) if isinstance(rules, str) else list(rules or []),
        )
        for i, at, cid, contact, phone, user, rules in rows
    ]
    return RefusalSummary(day, total, per_rule, attempts)
