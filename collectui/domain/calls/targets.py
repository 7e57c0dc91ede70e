"""Whom a call can go to: the borrower's own number or a third-party contact, masked for display."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from collectui.domain.calls.gate import DEBTOR
from collectui.domain.context import Ctx
from collectui.domain.errors import NotFound
from collectui.domain.privacy.masking import mask_name, mask_phone
from collectui.storage.models import Contact, Customer


@dataclass(frozen=True)
class CallTarget:
    value: str  # "debtor" or a contact_id
    relation: str | None  # None for the borrower
    name_masked: str
    phone_masked: str
    refused_calls: bool = False
    phone_invalid: bool = False

    @property
    def third_party(self) -> bool:
        return self.value != DEBTOR


@dataclass(frozen=True)
class CallTargets:
    customer_id: str
    name_masked: str
    targets: list[CallTarget]


def call_targets(ctx: Ctx, customer_id: str) -> CallTargets:
    with ctx.db.read() as s:
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id!r}")
        contacts = s.exec(select(Contact).where(Contact.customer_id == customer_id).order_by(Contact.contact_id)).all()
    p = ctx.policy
    targets = [
        CallTarget(
            DEBTOR,
            None,
            mask_name(customer.name, p),
            mask_phone(customer.phone, p),
            customer.do_not_call,
            customer.phone_invalid,
        )
    ]
    targets += [
        CallTarget(
            c.contact_id, c.relation, mask_name(c.name, p), mask_phone(c.phone, p), c.refused_calls, c.phone_invalid
        )
        for c in contacts
    ]
    return CallTargets(customer_id, mask_name(customer.name, p), targets)
