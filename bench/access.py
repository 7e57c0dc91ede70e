"""Who the benchmarks act as: an admin API token on the bench database, as a nightly job would present it.

The CLI acts only for a signed-in person or a token (collectui.domain.staff); a benchmark that runs the CLI
as a subprocess creates one token first and passes it in ``COLLECTUI_TOKEN``.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectui.clock import FixedClock, SystemClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.staff import tokens
from collectui.domain.staff.actor import system_actor
from collectui.domain.staff.permissions import PERMISSIONS
from collectui.storage.locate import database_at


def admin_token_env(path: Path | str, now: datetime | None = None, name: str = "bench") -> dict[str, str]:
    """Create an admin token on the database at ``path`` (a file or a PostgreSQL URL); the environment that
    presents it."""
    db = database_at(path)
    clock = FixedClock(now) if now is not None else SystemClock()
    ctx = Ctx(db=db, clock=clock, policy=Policy())
    try:
        secret = tokens.create(
            ctx, system_actor("bench"), name, "admin", None, list(PERMISSIONS), clock.now() + timedelta(days=3650)
        )
    finally:
        db.dispose()
    return {"COLLECTUI_TOKEN": secret}
