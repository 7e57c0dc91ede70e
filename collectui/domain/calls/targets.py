"""Whom a call can go to: the borrower's numbers and her third-party contacts, masked, each with its state.

The call screen's picker shows these before anything is checked or dialled: the collector sees at once that
a number is invalid, refused, unverified or used up for today, and picks another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from collectui.domain.attempts import SELF, UNANSWERED_ATTEMPT, day_bounds, expiry_cutoff
from collectui.domain.calls.parties import DEBTOR, load_borrower
from collectui.domain.context import Ctx
from collectui.domain.privacy.masking import mask_name, mask_phone
from collectui.storage.raw import RawConnection


@dataclass(frozen=True)
class CallTarget:
    value: str  # "debtor" or a contact_id
    relation: str | None  # None for the borrower's main number; "self" for another of her numbers
    name_masked: str
    phone_masked: str
    refused_calls: bool = False  # the borrower asked not to be called, or this contact refused calls
    phone_invalid: bool = False
    attempts_today: int = 0  # unanswered attempts to this number today (logged, cancelled or abandoned)
    max_attempts: int = 0  # the policy's daily_attempts.max (0: the rule is off)
    unverified: bool = False  # learned on a call or added by staff; core banking has not confirmed it
    from_call_id: int | None = None

    @property
    def third_party(self) -> bool:
        return self.value != DEBTOR and self.relation != SELF

    @property
    def exhausted(self) -> bool:
        return self.max_attempts > 0 and self.attempts_today >= self.max_attempts


@dataclass(frozen=True)
class CallTargets:
    customer_id: str
    name_masked: str
    targets: list[CallTarget]


def _attempts_today(raw: RawConnection, ctx: Ctx, phones: list[str], at: datetime) -> dict[str, int]:
    """Unanswered attempts today per number, whichever borrower they were for: the gate's ``daily_attempts``
    counts per number (two borrowers sharing a phone share its limit), so the picker counts the same way."""
    lo, hi = day_bounds(at.astimezone(ctx.policy.tz))
    marks = ",".join("?" * len(phones))
    rows = raw.execute(
        f"SELECT phone, count(*) FROM call_attempt WHERE phone IN ({marks}) AND started_at >= ? AND started_at < ? "
        f"AND {UNANSWERED_ATTEMPT} GROUP BY phone",
        (*phones, lo, hi, expiry_cutoff(ctx.policy, at)),
    ).fetchall()
    return {str(phone): int(n) for phone, n in rows}


def _daily_max(ctx: Ctx) -> int:
    cfg = ctx.policy.table("rules").get("daily_attempts", {})
    return int(cfg.get("max", 0)) if cfg.get("enabled", True) else 0


def call_targets(ctx: Ctx, customer_id: str, at: datetime | None = None) -> CallTargets:
    """Every number of the borrower, her own first, then her contacts (by contact_id)."""
    moment = (at or ctx.clock.now()).astimezone(ctx.policy.tz)
    p = ctx.policy
    with ctx.db.raw_read() as raw:
        borrower = load_borrower(raw, customer_id)
        contacts = raw.execute(
            "SELECT contact_id, name, relation, phone, refused_calls, phone_invalid, source, from_call_id "
            "FROM contact WHERE customer_id = ? ORDER BY CASE WHEN relation = ? THEN 0 ELSE 1 END, contact_id",
            (customer_id, SELF),
        ).fetchall()
        used = _attempts_today(raw, ctx, [borrower.phone, *(str(c[3]) for c in contacts)], moment)
    most = _daily_max(ctx)
    targets = [
        CallTarget(
            DEBTOR,
            None,
            mask_name(borrower.name, p),
            mask_phone(borrower.phone, p),
            borrower.do_not_call,
            borrower.phone_invalid,
            used.get(borrower.phone, 0),
            most,
        )
    ]
    for contact_id, name, relation, phone, refused, invalid, source, from_call in contacts:
        targets.append(
            CallTarget(
                str(contact_id),
                str(relation),
                mask_name(str(name), p),
                mask_phone(str(phone), p),
                bool(refused) or (borrower.do_not_call and relation == SELF),
                bool(invalid),
                used.get(str(phone), 0),
                most,
                unverified=(source or "import") != "import",
                from_call_id=int(from_call) if from_call is not None else None,
            )
        )
    return CallTargets(customer_id, mask_name(borrower.name, p), targets)
