"""Unmasking one field of one borrower: supervisors and admins only, with a reason, always audited.

The refusal lives here, not in a face: a collector calling this service gets ``PermissionDenied`` and the
refusal itself is audited too. The audit event holds who, which field, which customer and the reason,
never the clear value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import select

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize, branch_of_customer
from collectui.storage.models import Contact, Customer

FIELDS = ("name", "phone", "id_number", "address")
CONTACT_FIELDS = ("contact_name", "contact_phone")
MIN_WORDS = 3  # Latin-script reasons: at least three words
MIN_CJK = 4  # Chinese reasons: at least four characters
MIN_CHARS = 8
SHOW_SECONDS = 30  # how long a face may show the clear value before masking it again

_WORD = re.compile(r"[A-Za-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Unmasked:
    customer_id: str
    field: str
    value: str
    show_seconds: int = SHOW_SECONDS


def reason_problem(reason: str) -> str | None:
    """None when the reason says enough; otherwise what is missing."""
    text = (reason or "").strip()
    words = len(_WORD.findall(text))
    cjk = len(_CJK.findall(text))
    if len(text) < MIN_CHARS and cjk < MIN_CJK:
        return f"give a reason of at least a few words ({MIN_WORDS} words or {MIN_CJK} Chinese characters)"
    if words < MIN_WORDS and cjk < MIN_CJK:
        return f"give a reason of at least a few words ({MIN_WORDS} words or {MIN_CJK} Chinese characters)"
    return None


def unmask(
    ctx: Ctx, actor: Actor, customer_id: str, field: str, reason: str, contact_id: str | None = None
) -> Unmasked:
    """The clear value of ``field`` for ``customer_id``; audited as ``profile.unmask``.

    ``unmask`` on the borrower's branch: a supervisor unmasks their own branch's borrowers only.
    """
    if field not in FIELDS + CONTACT_FIELDS:
        fields = ", ".join(FIELDS + CONTACT_FIELDS)
        raise InvalidInput(said("error.privacy.field_choice", f"field must be one of {fields}", fields=fields))
    # An unknown borrower has no branch to check: NotFound below.
    authorize(ctx, actor, "unmask", branch=branch_of_customer(ctx, customer_id))
    with ctx.db.write() as s:
        problem = reason_problem(reason)
        if problem:  # reason_problem has one answer: too short
            raise InvalidInput(said("error.privacy.reason_short", problem, words=MIN_WORDS, cjk=MIN_CJK))
        cust = s.get(Customer, customer_id)
        if cust is None:
            raise NotFound(said("error.privacy.no_customer", f"no customer {customer_id!r}", customer=customer_id))
        if field in CONTACT_FIELDS:
            contact = s.exec(
                select(Contact).where(Contact.contact_id == (contact_id or ""), Contact.customer_id == customer_id)
            ).first()
            if contact is None:
                raise NotFound(
                    said("error.privacy.no_contact", f"no contact {contact_id!r} for this customer", contact=contact_id)
                )
            value = contact.name if field == "contact_name" else contact.phone
        else:
            value = getattr(cust, field) or ""
        details = {"field": field, "reason": reason.strip(), "role": actor.role}
        if contact_id:
            details["contact_id"] = contact_id
        audit.record(s, ctx.clock, actor.name, "profile.unmask", "customer", customer_id, details)
    return Unmasked(customer_id, field, value)
