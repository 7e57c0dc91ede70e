"""What a refresh reports, and the ``meta`` keys that say which day and policy the stored state is for."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from collectui.domain.policy import Policy
from collectui.domain.portfolio.reasons import STORED_FORM as REASONS_STORED_FORM

META_AS_OF = "state_as_of"
META_POLICY = "state_policy"


@dataclass
class RefreshStats:
    as_of: date
    full: bool
    loans: int = 0
    overdue_loans: int = 0
    work_items: int = 0
    callable: int = 0
    promises_changed: int = 0
    seconds: float = 0.0
    mode: str = ""  # full | roll (a full refresh carried forward from the stored day) | customers


def policy_fingerprint(policy: Policy) -> str:
    """The part of the policy the stored figures depend on; another fingerprint means a full refresh. The
    stored form of the ranking's reasons counts too: a database whose work list was stored in an older form
    is refreshed whole once, so no reason is left that the faces cannot translate."""
    relevant = {
        "ranking": policy["ranking"],
        "promises": policy["promises"],
        "timezone": policy["timezone"],
        "reasons": REASONS_STORED_FORM,
    }
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]
