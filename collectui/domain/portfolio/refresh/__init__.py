"""Keeping the derived overdue figures current: ``loan_state``, ``work_item``, promise verdicts, snapshots.

The package's API is ``refresh``, ``refresh_in``, ``ensure_current``, ``stored_as_of``, ``is_current`` and
``compute_work_items`` (``run``); ``figures`` computes loans, ``items`` builds work items, ``roll`` carries
the state to a later day, ``stats`` says what was done.
"""

from collectui.domain.portfolio.refresh.run import (
    compute_work_items,
    ensure_current,
    is_current,
    refresh,
    refresh_in,
    stored_as_of,
)
from collectui.domain.portfolio.refresh.stats import RefreshStats

__all__ = [
    "RefreshStats",
    "compute_work_items",
    "ensure_current",
    "is_current",
    "refresh",
    "refresh_in",
    "stored_as_of",
]
