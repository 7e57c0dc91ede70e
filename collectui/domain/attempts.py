"""What counts as an attempt: the one SQL vocabulary of the gate, the work list and the targets picker.

It sits below ``domain.calls`` and ``domain.portfolio`` (calls imports portfolio's refresh), so the gate and
the work list's rule mirrors (``portfolio.availability``) count attempts with the same words.

A ``started`` attempt is a call whose full number was shown. It ends one of three ways:
- ``logged``: the collector recorded what happened;
- ``cancelled``: the collector left the call screen; the number had been shown, so they may have dialled,
  and it counts as an unanswered attempt for every limit (until they record what really happened);
- abandoned: left ``started`` (app killed, terminal closed) for longer than the policy's ``in_call``
  minutes; it counts the same way, and its collector may still record it.

So "dial, press Back" cannot be repeated without limit: each time counts.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from collectui.domain.policy import Policy
from collectui.storage.timefmt import utc_text

# Outcomes where nobody picked up (``calls.outcomes`` builds its outcome list on them).
UNANSWERED = ("no_answer", "busy", "unreachable", "invalid_number")
SELF = "self"  # relation of a contact that is another number of the borrower herself

_UNANSWERED_SQL = ",".join(f"'{o}'" for o in UNANSWERED)

# An unanswered attempt. One parameter: the expiry cut-off (``expiry_cutoff``) for abandoned started calls.
UNANSWERED_ATTEMPT = (
    f"((status = 'logged' AND outcome IN ({_UNANSWERED_SQL})) OR status = 'cancelled' "
    "OR (status = 'started' AND started_at <= ?))"
)


def expiry_minutes(policy: Policy) -> int:
    """How long a started call holds the borrower (the ``in_call`` rule's minutes) before it is abandoned."""
    minutes = policy.table("rules").get("in_call", {}).get("minutes", 15)
    return int(minutes)


def expiry_cutoff(policy: Policy, at: datetime) -> str:
    """Started attempts at or before this UTC text, seen at ``at``, are abandoned."""
    return utc_text(at - timedelta(minutes=expiry_minutes(policy)))


def day_bounds(at: datetime) -> tuple[str, str]:
    """Stored UTC texts of the start and end of ``at``'s local day: "today" for the daily limits."""
    start = datetime.combine(at.date(), time(0), tzinfo=at.tzinfo)
    return utc_text(start), utc_text(start + timedelta(days=1))


def own_numbers_sql(column: str = "contact_id") -> str:
    """Attempts on the borrower's own numbers: her main one (no contact) or another of hers (relation self)."""
    return f"({column} IS NULL OR {column} IN (SELECT contact_id FROM contact WHERE relation = '{SELF}'))"
