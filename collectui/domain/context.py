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
