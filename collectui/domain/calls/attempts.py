"""What counts as an attempt: the one SQL vocabulary of the gate, the work list and the targets picker.

A ``started`` attempt is a call whose full number was shown. It ends one of three ways:
- ``logged``: the collector recorded what happened;
- ``cancelled``: the collector left the call screen; the number had been shown, so they may have dialled,
  and it counts as an unanswered attempt for every limit (until they record what really happened);
- abandoned: left ``started`` (app killed, terminal closed) for longer than the policy's ``in_call``
  minutes; it counts the same way, and its collector may still record it.

So "dial, press Back" cannot be repeated without limit: each time counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from collectui.domain.calls.outcomes import UNANSWERED
from collectui.domain.calls.parties import SELF
from collectui.domain.policy import Policy
from collectui.storage.timefmt import utc_text

_UNANSWERED_SQL = ",".join(f"'{o}'" for o in UNANSWERED)

# An unanswered attempt. One parameter: the expiry cut-off (``expiry_cutoff``) for abandoned started calls.
UNANSWERED_ATTEMPT = (
    f"((status = 'logged' AND outcome IN ({_UNANSWERED_SQL})) OR status = 'cancelled' "
    "OR (status = 'started' AND started_at <= ?))"
)

# An attempt that ended unrecorded and its collector may still record: cancelled, or started and abandoned.
# One parameter: the expiry cut-off.
UNRECORDED = "(status = 'cancelled' OR (status = 'started' AND started_at <= ?))"


def expiry_minutes(policy: Policy) -> int:
    """How long a started call holds the borrower (the ``in_call`` rule's minutes) before it is abandoned."""
    minutes = policy.table("rules").get("in_call", {}).get("minutes", 15)
    return int(minutes)


def expiry_cutoff(policy: Policy, at: datetime) -> str:
    """Started attempts at or before this UTC text, seen at ``at``, are abandoned."""
    return utc_text(at - timedelta(minutes=expiry_minutes(policy)))


def own_numbers_sql(column: str = "contact_id") -> str:
    """Attempts on the borrower's own numbers: her main one (no contact) or another of hers (relation self)."""
    return f"({column} IS NULL OR {column} IN (SELECT contact_id FROM contact WHERE relation = '{SELF}'))"
