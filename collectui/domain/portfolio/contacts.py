"""What was learned about a borrower's numbers: a new number or contact, agreed call hours, a number marked.

A collector hears a new number on a call ("call me on my wife's phone", "my new number is ..."): it is
recorded at once, marked unverified (learned by staff, not from core banking) and linked to the call
(``source`` "call", ``from_call_id``). Relation ``self`` is another number of the borrower herself; the others
are third parties (guarantor, spouse, relative, emergency, other), whom the gate lets collectors call only
when the borrower is unreachable. Numbers are normalised and checked like the imports'
(``privacy.identity``) and never shown or audited unmasked.

Agreed call hours and invalid numbers change whom the gate lets a collector call, so they are a
supervisor's, with a reason. Every change is audited in its transaction and refreshes the borrower's work
item there too, so the list never says "callable" against what the gate now decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from collectui.domain import audit
from collectui.domain.conduct.notescan import scan
from collectui.domain.consent_hours import HoursProblem, parse_consent_hours
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.portfolio.refresh import refresh_in
from collectui.domain.privacy.identity import normalise_phone
from collectui.domain.privacy.masking import mask_name, mask_phone
from collectui.domain.said import not_one_of, said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize_customer
from collectui.domain.textsafe import clean_line
from collectui.storage.models import CallAttempt, Contact, Customer, StaffUser

DEBTOR = "debtor"  # the borrower's own number on the customer row (as in calls.parties)
SELF = "self"  # relation of another number of the borrower herself (as in calls.parties)
THIRD_PARTY_RELATIONS = ("guarantor", "spouse", "relative", "emergency", "other")
SOURCES = ("import", "call", "staff")
MAX_NAME = 60  # as an imported contact name
MAX_REASON = 200
PHONE_EXPECTED = "a mobile (11 digits from 13-19, +86 allowed) or a landline with its area code"
# A run of 7 or more digits (spaces and dashes between them too, full-width digits too) in a reason: a phone,
# ID or account number, which a reason must not carry into the audit trail.
_LONG_NUMBER = re.compile(r"[0-9\uff10-\uff19](?:[\s\-]?[0-9\uff10-\uff19]){6,}")


@dataclass(frozen=True)
class NumberView:
    """One number of a borrower, masked: her own (``contact_id`` "debtor"), her other ones, her contacts."""

    contact_id: str
    relation: str | None  # None for the number on the customer row
    name: str  # masked
    phone: str  # masked
    refused_calls: bool
    phone_invalid: bool
    source: str  # import | call | staff
    from_call_id: int | None
    added_by: str | None  # username
    added_at: datetime | None

    @property
    def unverified(self) -> bool:
        """Learned by staff, not (yet) confirmed by core banking."""
        return self.source != "import"


# --- checks of what was typed -----------------------------------------------------------------------------


def _phone(text: str) -> str:
    try:
        return normalise_phone(text or "")
    except ValueError:
        raise InvalidInput(
            said("error.contacts.phone", f"phone: expected {PHONE_EXPECTED}", expected=PHONE_EXPECTED)
        ) from None


def _name(text: str) -> str:
    name = clean_line(text or "").strip()
    if not name:
        raise InvalidInput(
            said(
                "error.contacts.name_required",
                "name: required for a third party (leave it out for the borrower's own number)",
            )
        )
    if len(name) > MAX_NAME:
        raise InvalidInput(said("error.contacts.name_long", f"name: at most {MAX_NAME} characters", max=MAX_NAME))
    return name


def _relation(text: str) -> str:
    relation = (text or "").strip().lower()
    if relation == SELF:
        raise InvalidInput(
            said("error.contacts.relation_own", "relation: for the borrower's own number add a number without a name")
        )
    if relation not in THIRD_PARTY_RELATIONS:
        raise InvalidInput(not_one_of("relation", THIRD_PARTY_RELATIONS, text))
    return relation


def _reason(ctx: Ctx, text: str | None) -> str:
    """One line, required, without a forbidden phrase (the note scan) or a long number.

    A number in a reason is refused rather than masked: the masking of free text lives with customer
    feedback (``voice``), which refreshes the work list through this package, and a reason says why, which
    needs no number."""
    value = clean_line(text or "").strip()
    if not value:
        raise InvalidInput(said("error.contacts.reason_required", "reason: required (why the change is made)"))
    if len(value) > MAX_REASON:
        raise InvalidInput(
            said("error.contacts.reason_long", f"reason: at most {MAX_REASON} characters", max=MAX_REASON)
        )
    hits = scan(value, ctx.policy.table("rules.note_scan"))
    if hits:
        found = ", ".join(f"{h.phrase!r} ({h.category.replace('_', ' ')})" for h in hits)
        raise InvalidInput(said("error.contacts.reason_banned", f"reason: not allowed: {found}", found=found))
    if _LONG_NUMBER.search(value):
        raise InvalidInput(
            said(
                "error.contacts.reason_personal",
                "reason: leave phone, ID and account numbers out of the reason (personal data)",
            )
        )
    return value


def _customer(session: Session, customer_id: str) -> Customer:
    row = session.get(Customer, customer_id)
    if row is None:
        raise NotFound(
            said("error.contacts.no_customer", f"no customer {customer_id!r}", customer_id=repr(customer_id))
        )
    return row


def _check_call(session: Session, customer_id: str, call_id: int | None) -> None:
    if call_id is None:
        return
    call = session.get(CallAttempt, call_id)
    if call is None:
        raise NotFound(said("error.contacts.no_call", f"no call {call_id}", call_id=call_id))
    if call.customer_id != customer_id:
        raise InvalidInput(
            said(
                "error.contacts.call_other_customer",
                f"call: call {call_id} was not about customer {customer_id}",
                call_id=call_id,
                customer_id=customer_id,
            )
        )
    if call.status == "refused":
        raise InvalidInput(
            said(
                "error.contacts.call_refused",
                f"call: call {call_id} was refused by the gate: nothing was learned on it",
                call_id=call_id,
            )
        )


def _refuse_duplicate(session: Session, customer: Customer, phone: str) -> None:
    if customer.phone == phone:
        raise InvalidInput(
            said(
                "error.contacts.own_number",
                f"phone: {mask_phone(phone)} is already the borrower's own number",
                phone=mask_phone(phone),
            )
        )
    known = session.exec(
        select(Contact.contact_id).where(Contact.customer_id == customer.customer_id, Contact.phone == phone)
    ).first()
    if known is not None:
        raise InvalidInput(
            said(
                "error.contacts.duplicate",
                f"phone: {mask_phone(phone)} is already recorded for this borrower (contact {known})",
                phone=mask_phone(phone),
                known=known,
            )
        )


def _new_contact_id(session: Session, customer_id: str) -> str:
    """The id "N-<customer>-<n>": n one more than the numbers added so far, skipping an id an import uses."""
    prefix = f"N-{customer_id}-"
    taken = set(
        session.exec(
            select(Contact.contact_id).where(col(Contact.contact_id).startswith(prefix, autoescape=True))
        ).all()
    )
    n = len(taken) + 1
    while f"{prefix}{n}" in taken or session.get(Contact, f"{prefix}{n}") is not None:
        n += 1
    return f"{prefix}{n}"


# --- services ---------------------------------------------------------------------------------------------


def add_number(ctx: Ctx, actor: Actor, customer_id: str, phone: str, call_id: int | None = None) -> str:
    """Another number of the borrower herself (relation "self"); returns its contact_id."""
    return _add(ctx, actor, customer_id, None, SELF, phone, call_id)


def add_contact(
    ctx: Ctx, actor: Actor, customer_id: str, name: str, relation: str, phone: str, call_id: int | None = None
) -> str:
    """A third party of the borrower (guarantor, spouse, relative, emergency, other); returns its contact_id."""
    return _add(ctx, actor, customer_id, _name(name), _relation(relation), phone, call_id)


def _add(
    ctx: Ctx, actor: Actor, customer_id: str, name: str | None, relation: str, phone: str, call_id: int | None
) -> str:
    authorize_customer(ctx, actor, "contact.add", customer_id)
    number = _phone(phone)
    with ctx.db.write() as s:
        customer = _customer(s, customer_id)
        _check_call(s, customer_id, call_id)
        _refuse_duplicate(s, customer, number)
        contact_id = _new_contact_id(s, customer_id)
        source = "call" if call_id is not None else "staff"
        s.add(
            Contact(
                contact_id=contact_id,
                customer_id=customer_id,
                name=name if name is not None else customer.name,
                relation=relation,
                phone=number,
                source=source,
                from_call_id=call_id,
                added_by=actor.user_id,
                added_at=ctx.clock.now(),
            )
        )
        s.flush()
        details: dict[str, object] = {
            "customer_id": customer_id,
            "relation": relation,
            "phone": mask_phone(number, ctx.policy),
            "source": source,
            "from_call_id": call_id,
        }
        if relation != SELF:
            details["name"] = mask_name(name or "", ctx.policy)
        audit.record(s, ctx.clock, actor.name, "contact.add", "contact", contact_id, details)
        refresh_in(s, ctx, [customer_id], actor=actor.name)
    return contact_id


def set_consent_hours(ctx: Ctx, actor: Actor, customer_id: str, hours: str | None, reason: str) -> str | None:
    """Set ("HH:MM-HH:MM", see ``consent_hours``) or clear (None or empty) the borrower's agreed call hours;
    returns what is stored. A supervisor's, with a reason."""
    authorize_customer(ctx, actor, "customer.hours", customer_id)
    value: str | None = None
    if hours is not None and hours.strip():
        try:
            value = parse_consent_hours(hours)
        except HoursProblem as exc:
            raise InvalidInput(said("error.contacts.hours", f"hours: expected {exc}", exc=exc.said)) from None
    why = _reason(ctx, reason)
    with ctx.db.write() as s:
        customer = _customer(s, customer_id)
        old = customer.consent_hours
        if old == value:
            now = (
                said("error.contacts.hours_now", f"the agreed hours are {old}", hours=old)
                if old
                else said("error.contacts.hours_none", "there are no agreed hours")
            )
            raise InvalidInput(said("error.contacts.hours_unchanged", f"hours: nothing to change: {now}", now=now))
        customer.consent_hours = value
        s.add(customer)
        s.flush()
        details: dict[str, object] = {"from": old, "to": value, "reason": why}
        audit.record(s, ctx.clock, actor.name, "customer.hours", "customer", customer_id, details)
        refresh_in(s, ctx, [customer_id], actor=actor.name)
    return value


def mark_number(ctx: Ctx, actor: Actor, customer_id: str, contact: str | None, invalid: bool, reason: str) -> None:
    """Mark the borrower's own number (``contact`` None or "debtor") or one of her contacts invalid, or valid
    again. The gate refuses an invalid number until an import brings another one or this clears it."""
    authorize_customer(ctx, actor, "number.mark", customer_id)
    why = _reason(ctx, reason)
    with ctx.db.write() as s:
        customer = _customer(s, customer_id)
        row: Customer | Contact = customer
        if contact and contact != DEBTOR:
            found = s.get(Contact, contact)
            if found is None or found.customer_id != customer_id:
                raise NotFound(
                    said(
                        "error.contacts.no_contact",
                        f"no contact {contact!r} for customer {customer_id!r} (see `collectui contact list`)",
                        contact=repr(contact),
                        customer_id=repr(customer_id),
                    )
                )
            row = found
        if row.phone_invalid == invalid:
            state = "invalid" if invalid else "valid"
            raise InvalidInput(
                said(
                    "error.contacts.already_marked",
                    f"{'--invalid' if invalid else '--valid'}: the number is already marked {state}",
                    flag="--invalid" if invalid else "--valid",
                    state=state,
                )
            )
        row.phone_invalid = invalid
        s.add(row)
        s.flush()
        target = ("contact", row.contact_id) if isinstance(row, Contact) else ("customer", customer_id)
        details: dict[str, object] = {
            "customer_id": customer_id,
            "contact": row.contact_id if isinstance(row, Contact) else DEBTOR,
            "phone": mask_phone(row.phone, ctx.policy),
            "invalid": invalid,
            "reason": why,
        }
        audit.record(s, ctx.clock, actor.name, "number.mark", target[0], target[1], details)
        refresh_in(s, ctx, [customer_id], actor=actor.name)


def agreed_hours(ctx: Ctx, actor: Actor, customer_id: str) -> str | None:
    """The borrower's agreed call hours as stored ("HH:MM-HH:MM"), None when the policy's window applies."""
    authorize_customer(ctx, actor, "profile.read", customer_id)
    with ctx.db.read() as s:
        return _customer(s, customer_id).consent_hours


def list_numbers(ctx: Ctx, actor: Actor, customer_id: str) -> list[NumberView]:
    """The borrower's own number, then her other numbers, then her contacts, all masked."""
    authorize_customer(ctx, actor, "profile.read", customer_id)
    with ctx.db.read() as s:
        customer = _customer(s, customer_id)
        rows = s.exec(
            select(Contact, StaffUser.username)
            .join(StaffUser, col(StaffUser.id) == col(Contact.added_by), isouter=True)
            .where(Contact.customer_id == customer_id)
        ).all()
        own = NumberView(
            DEBTOR,
            None,
            mask_name(customer.name, ctx.policy),
            mask_phone(customer.phone, ctx.policy),
            customer.do_not_call,
            customer.phone_invalid,
            "import",
            None,
            None,
            None,
        )
        views = [
            NumberView(
                c.contact_id,
                c.relation,
                mask_name(c.name, ctx.policy),
                mask_phone(c.phone, ctx.policy),
                c.refused_calls,
                c.phone_invalid,
                c.source,
                c.from_call_id,
                username,
                c.added_at,
            )
            for c, username in rows
        ]
    views.sort(key=lambda v: (v.relation != SELF, v.contact_id))
    return [own, *views]
