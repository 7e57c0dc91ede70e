"""Whether a person is certified to call borrowers, and the gate rule ``certified`` (level caller).

A certification row (``storage.models.training.Certification``) is earned by training (the quiz and every
mandatory practice scenario passed: ``domain.training.results``) or recorded by a trainer or admin for staff
trained before collectui. A person is certified on a local day when a row dated on or before that day is
less than ``[rules.certified] valid_days`` old: certified on D, valid from D through D + valid_days - 1,
expired on D + valid_days.

It lives in ``staff``, not ``training``, because the gate (``calls.gate``) reads it and ``calls`` must never
import ``training`` (training builds on calls). Plain SQL only: the gate's process never loads the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from collectui.domain.said import Said, said
from collectui.storage.raw import RawConnection

if TYPE_CHECKING:
    from collectui.domain.calls.gate import GateFacts
    from collectui.domain.context import Ctx

RULE_ID = "certified"
SOURCES = ("earned", "recorded")
NOT_CERTIFIED = (
    "not certified to call borrowers: pass the training quiz and the mandatory practice calls, "
    "or ask a trainer to record a certification"
)


def _latest_on(raw: RawConnection, user_id: int, day: date | None = None) -> date | None:
    """The latest ``certified_on`` of the person (only rows dated on or before ``day`` when given)."""
    if day is None:
        row = raw.execute("SELECT max(certified_on) FROM certification WHERE user_id = ?", (user_id,)).fetchone()
    else:
        row = raw.execute(
            "SELECT max(certified_on) FROM certification WHERE user_id = ? AND certified_on <= ?",
            (user_id, day.isoformat()),
        ).fetchone()
    return date.fromisoformat(str(row[0])) if row and row[0] else None


def certified_until(raw: RawConnection, user_id: int, valid_days: int) -> date | None:
    """The first day the person is no longer certified (their latest certification + ``valid_days``), or
    None when they were never certified."""
    latest = _latest_on(raw, user_id)
    return latest + timedelta(days=valid_days) if latest else None


@dataclass(frozen=True)
class Uncertified:
    """Why a person is not certified on a day: the gate's message, and the day it expired (None: never)."""

    message: str
    expired_on: date | None


def state(raw: RawConnection, user_id: int, day: date, valid_days: int) -> Uncertified | None:
    """Why the person is not certified on local ``day`` (never, or expired), or None when certified."""
    latest = _latest_on(raw, user_id, day)
    if latest is None:
        return Uncertified(NOT_CERTIFIED, None)
    ends = latest + timedelta(days=valid_days)
    if day >= ends:
        message = (
            f"certification expired on {ends.isoformat()}: pass the training again, "
            "or ask a trainer to record a certification"
        )
        return Uncertified(message, ends)
    return None


def refusal(raw: RawConnection, user_id: int, day: date, valid_days: int) -> str | None:
    """Why the person may not call on local ``day`` (never certified, or expired), or None when certified."""
    found = state(raw, user_id, day, valid_days)
    return found.message if found else None


def applies(cfg: dict[str, Any], user_id: int | None, role: str | None) -> bool:
    """Whether the rule judges this caller: a person (a machine's token is not trained) in a listed role."""
    return bool(cfg.get("enabled", True)) and user_id is not None and role in cfg["roles"]


def check_certified(f: GateFacts, cfg: dict[str, Any]) -> Said | None:
    """The gate rule: a person in one of ``cfg["roles"]`` must be certified on the call's local day."""
    if f.user_id is None or not applies(cfg, f.user_id, f.role):
        return None
    found = state(f.raw, f.user_id, f.at.date(), int(cfg["valid_days"]))
    if found is None:
        return None
    if found.expired_on is None:
        return said("gate.certified", found.message)
    return said("gate.certified.expired", found.message, on=found.expired_on.isoformat())


def caller_state(ctx: Ctx, user_id: int | None, role: str | None) -> Uncertified | None:
    """Why the gate's ``certified`` rule would refuse this person's calls today (None: it is off, does not
    apply to them, or they are certified): for the faces' notices (the work list)."""
    cfg = ctx.policy.table("rules").get(RULE_ID, {"enabled": True})
    if user_id is None or not applies(cfg, user_id, role):
        return None
    with ctx.db.raw_read() as raw:
        return state(raw, user_id, ctx.clock.now().astimezone(ctx.policy.tz).date(), int(cfg["valid_days"]))


def caller_refusal(ctx: Ctx, user_id: int | None, role: str | None) -> str | None:
    """``caller_state``'s message."""
    found = caller_state(ctx, user_id, role)
    return found.message if found else None
