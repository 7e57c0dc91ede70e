"""The people a call is about, read with plain SQL: the borrower and her contacts.

The call path (``check``, ``call log``, a dialler asking once per dial) must start fast, so it never loads
the ORM models: these dataclasses carry the same field names as ``Customer`` and ``Contact``.

A contact whose relation is ``self`` is another number of the borrower herself (learned on a call): dialling
it reaches the borrower, so the gate and the call form treat it like her own number, not a third party.
"""

from __future__ import annotations

from dataclasses import dataclass

from collectui.domain.attempts import SELF
from collectui.domain.errors import NotFound
from collectui.domain.said import said
from collectui.storage.raw import RawConnection

DEBTOR = "debtor"


@dataclass(frozen=True)
class Borrower:
    customer_id: str
    name: str
    phone: str
    branch_id: int
    do_not_call: bool
    vulnerable: bool
    consent_hours: str | None
    phone_invalid: bool
    sms_opt_out: bool
    hardship: bool


@dataclass(frozen=True)
class ThirdParty:
    """A contact row: a third party, or (relation ``self``) another number of the borrower."""

    contact_id: str
    customer_id: str
    name: str
    relation: str
    phone: str
    refused_calls: bool
    phone_invalid: bool

    @property
    def is_third_party(self) -> bool:
        return self.relation != SELF


_BORROWER_COLS = (
    "customer_id, name, phone, branch_id, do_not_call, vulnerable, consent_hours, phone_invalid, sms_opt_out, hardship"
)
_CONTACT_COLS = "contact_id, customer_id, name, relation, phone, refused_calls, phone_invalid"


def _borrower(row: tuple[object, ...]) -> Borrower:
    cid, name, phone, branch, dnc, vulnerable, consent, invalid, opt_out, hardship = row
    return Borrower(
        str(cid),
        str(name),
        str(phone),
        int(branch),  # type: ignore[call-overload]
        bool(dnc),
        bool(vulnerable),
        str(consent) if consent else None,
        bool(invalid),
        bool(opt_out),
        bool(hardship),
    )


def _contact(row: tuple[object, ...]) -> ThirdParty:
    contact_id, cid, name, relation, phone, refused, invalid = row
    return ThirdParty(str(contact_id), str(cid), str(name), str(relation), str(phone), bool(refused), bool(invalid))


def load_borrower(raw: RawConnection, customer_id: str) -> Borrower:
    row = raw.execute(f"SELECT {_BORROWER_COLS} FROM customer WHERE customer_id = ?", (customer_id,)).fetchone()
    if row is None:
        raise NotFound(said("error.calls.no_customer", f"no customer {customer_id!r}", customer=customer_id))
    return _borrower(tuple(row))


def resolve_target(
    raw: RawConnection, customer_id: str, contact: str | None
) -> tuple[Borrower, ThirdParty | None, str]:
    """The borrower, the contact dialled (None for her own number) and the number to dial."""
    borrower = load_borrower(raw, customer_id)
    if not contact or contact == DEBTOR:
        return borrower, None, borrower.phone
    row = raw.execute(f"SELECT {_CONTACT_COLS} FROM contact WHERE contact_id = ?", (contact,)).fetchone()
    if row is None or row[1] != customer_id:
        raise NotFound(
            said(
                "error.calls.no_contact",
                f"no contact {contact!r} for customer {customer_id!r} "
                "(use 'debtor' or a contact_id from `collectui contact list`)",
                contact=contact,
                customer=customer_id,
            )
        )
    found = _contact(tuple(row))
    return borrower, found, found.phone


def third_party(contact: ThirdParty | None) -> bool:
    """Whether the number dialled reaches someone other than the borrower."""
    return contact is not None and contact.is_third_party
