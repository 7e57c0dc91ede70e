"""What every service needs: the database, the clock and the policy."""

from __future__ import annotations

from dataclasses import dataclass

from collectui.clock import Clock
from collectui.domain.policy import Policy
from collectui.storage.engine import Database


@dataclass
class Ctx:
    db: Database
    clock: Clock
    policy: Policy
    # The stored policy version in force (domain.policy_store): 0 = the built-in defaults, -1 = a --policy
    # file on a demo/practice/test database. Audit events of checks, calls, refusals and SMS carry it.
    policy_version: int = 0
