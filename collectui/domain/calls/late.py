"""Calls logged after the fact (``call log --at``): how far back, in what order, and who may go further.

A collector logs a call soon after it ends; the time it started is what the gate judges (the call window,
that day's limits), so a start time typed later is a way to move the clock. Hence:

- never in the future (a few minutes of slack: branch PCs and diallers' clocks differ a little);
- never before the borrower's latest recorded event (a call, a refused attempt, a promise, a dispute, a
  complaint, feedback): records go in the order things happened, so a backdated call cannot slip under a
  limit that later calls already reached, nor rewrite what the list showed at the time;
- at most ``calls.late_entry_minutes`` (policy, default 60) before now. Later than that it is a late
  entry: a supervisor (permission ``call.late_entry``) logs it with a reason, and it is marked
  (``call_attempt.entered_late``, ``late_reason``) and counted in the compliance report.

The gate judges a late entry at its own time and counts it in that day's limits like any other call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from collectui.clock import FUTURE_SLACK
from collectui.domain.context import Ctx
from collectui.domain.errors import PermissionDenied
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize
from collectui.domain.textsafe import clean_line
from collectui.domain.voice.vocabulary import scrub_free_text
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

MAX_REASON = 500

# The latest event recorded for a borrower, whatever its kind (portable SQL: one max per table).
_LATEST_SQL = """
    SELECT MAX(t) FROM (
        SELECT MAX(started_at) AS t FROM call_attempt WHERE customer_id = :c
        UNION ALL SELECT MAX(made_at) FROM promise WHERE customer_id = :c
        UNION ALL SELECT MAX(opened_at) FROM dispute WHERE customer_id = :c
        UNION ALL SELECT MAX(opened_at) FROM complaint WHERE customer_id = :c
        UNION ALL SELECT MAX(at) FROM feedback WHERE customer_id = :c
    ) AS latest
"""


@dataclass
class Timing:
    """What the start time of a logged call means: problems (field ``at`` / ``late_reason``), and whether
    it is a late entry (then with its reason)."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    late: bool = False
    reason: str | None = None


def latest_event(raw: RawConnection, customer_id: str) -> datetime | None:
    value = raw.execute(_LATEST_SQL, {"c": customer_id}).fetchone()[0]
    return datetime.fromisoformat(str(value)) if value else None


def judge(raw: RawConnection, ctx: Ctx, customer_id: str, at: datetime, reason: str | None) -> Timing:
    """Judge a typed start time ``at`` (``call log --at``) inside the write transaction; the permission for
    a late entry is checked before it (``is_late``, ``authorize_late``)."""
    timing = Timing()
    now = ctx.clock.now()
    scrubbed = scrub_free_text(clean_line(reason or ""), ctx.policy)  # one line, numbers masked, like notes
    reason = scrubbed.text if scrubbed else None
    local = f"{at.astimezone(ctx.policy.tz):%Y-%m-%d %H:%M}"
    if at > now + FUTURE_SLACK:
        timing.problems.append(("at", f"{local} is in the future: log a call after it started"))
    latest = latest_event(raw, customer_id)
    if latest is not None and utc_text(at) < utc_text(latest):
        timing.problems.append(
            (
                "at",
                f"{local} is before this borrower's latest recorded event "
                f"({latest.astimezone(ctx.policy.tz):%Y-%m-%d %H:%M}): calls are logged in the order they happened",
            )
        )
    limit = timedelta(minutes=int(ctx.policy["calls.late_entry_minutes"]))
    if now - at > limit:
        if reason is None:
            timing.problems.append(
                (
                    "at",
                    f"{local} is more than {ctx.policy['calls.late_entry_minutes']} minutes ago: a late entry "
                    "needs a supervisor's reason (--late-reason)",
                )
            )
        else:
            timing.late, timing.reason = True, reason[:MAX_REASON]
    elif reason is not None:
        timing.problems.append(("late_reason", "only a late entry takes a reason: this call is within the window"))
    return timing


def is_late(ctx: Ctx, at: datetime, reason: str | None) -> bool:
    """A late entry: a start time more than the policy's minutes ago, logged with a reason."""
    limit = timedelta(minutes=int(ctx.policy["calls.late_entry_minutes"]))
    return bool((reason or "").strip()) and ctx.clock.now() - at > limit


def authorize_late(ctx: Ctx, actor: Actor) -> None:
    """A late entry is a supervisor's: refused (and the refusal audited) for anyone else. Call it before the
    write transaction (``authorize`` commits the refusal in one of its own)."""
    try:
        authorize(ctx, actor, "call.late_entry")
    except PermissionDenied as exc:
        raise PermissionDenied(
            said(
                "error.calls.late_entry_denied",
                f"{exc} (a late entry is logged by a supervisor, with a reason)",
                refusal=exc.said or str(exc),
            )
        ) from None


def mark_late(raw: RawConnection, call_id: int, reason: str) -> None:
    raw.execute("UPDATE call_attempt SET entered_late = 1, late_reason = ? WHERE id = ?", (reason, call_id))
