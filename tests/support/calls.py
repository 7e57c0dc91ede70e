"""Seed data shared by the calls tests: one branch, three staff, a borrower with a loan and a contact.

Borrower C1 on 2026-11-28: loan L1, instalment 1 (5,000.00 + 100.00 interest) due 2026-10-01 unpaid,
instalment 2 (5,000.00 + 50.00) due 2026-12-01: outstanding = 10,000.00 principal + 100.00 interest due.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from collectui.clock import FixedClock
from collectui.domain.calls.record import CallInput, log_call
from collectui.storage.models import Contact, Customer, Instalment, Loan, StaffUser
from collectui.storage.models.core import Branch
from tests.support.certified import certify_all
from tests.support.cli import actor_of
from tests.support.clock import TZ

OUTSTANDING_FEN = 1_010_000
RPC_CHECKS = ["identified", "recorded_notice", "verified_identity", "stated_amount", "official_channels", "no_threats"]
TP_CHECKS = ["identified", "recorded_notice", "no_disclosure", "no_threats"]


def at(day: int, hh: int, mm: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=TZ)


def seed(ctx, customers: int = 1) -> None:
    with ctx.db.write() as s:
        branch = Branch(name="东城支行")
        s.add(branch)
        s.flush()
        for name, role in (("amy", "collector"), ("bob", "collector"), ("sue", "supervisor")):
            # A pre-computed hash keeps the tests fast; nobody logs in here.
            s.add(
                StaffUser(
                    username=name,
                    display_name=name,
                    role=role,
                    branch_id=branch.id,
                    password_hash="x",
                    created_at=ctx.clock.now(),
                )
            )
        for n in range(1, customers + 1):
            cid = f"C{n}"
            s.add(
                Customer(
                    customer_id=cid,
                    name="李四",
                    id_number="110101199003077777",
                    phone=f"1381234{n:04d}",
                    branch_id=branch.id,
                    created_at=ctx.clock.now(),
                )
            )
            s.flush()
            s.add(Contact(contact_id=f"K{n}", customer_id=cid, name="王五", relation="spouse", phone=f"1390000{n:04d}"))
            s.add(
                Loan(
                    loan_id=f"L{n}",
                    customer_id=cid,
                    product="农户贷",
                    principal_fen=1_000_000,
                    disbursed_on=date(2026, 1, 1),
                    maturity_date=date(2026, 12, 1),
                )
            )
            s.flush()
            s.add(
                Instalment(
                    loan_id=f"L{n}",
                    seq=1,
                    due_date=date(2026, 10, 1),
                    principal_due_fen=500_000,
                    interest_due_fen=10_000,
                )
            )
            s.add(
                Instalment(
                    loan_id=f"L{n}",
                    seq=2,
                    due_date=date(2026, 12, 1),
                    principal_due_fen=500_000,
                    interest_due_fen=5_000,
                )
            )
        certify_all(s, ctx.clock.today())  # amy, bob and sue stand for trained staff (the `certified` rule)


def log(ctx, user="amy", outcome="no_answer", when=None, customer="C1", contact="debtor", **kw):
    checks = kw.pop("checklist", None)
    if checks is None:
        checks = (
            []
            if outcome in ("no_answer", "busy", "unreachable", "invalid_number")
            else (
                TP_CHECKS
                if contact != "debtor" or outcome in ("wrong_number", "third_party", "deceased_reported")
                else RPC_CHECKS
            )
        )
    if checks and "recording_ref" not in kw:
        kw["recording_ref"] = "rec-001.wav"
    if outcome == "dispute" and "dispute_reason" not in kw:
        kw["dispute_reason"] = "amount_wrong"
    if outcome == "callback" and "callback_at" not in kw:
        # A callback names its time: 10:00 the next day, inside the window and the horizon.
        start = (when or ctx.clock.now()).astimezone(ctx.policy.tz)
        kw["callback_at"] = f"{start.date() + timedelta(days=1)} 10:00"
    clock = ctx.clock
    if when is not None and isinstance(clock, FixedClock) and when <= clock.now():
        # Logged as it happened (the clock at the call's start): these tests are about the gate and the
        # record; how far back `--at` may go is tests/domain/calls/test_late.py's.
        saved, clock.current = clock.current, when
        try:
            return log(ctx, user, outcome, None, customer, contact, checklist=checks, **kw)
        finally:
            clock.current = saved
    return log_call(
        ctx,
        actor_of(ctx, user),
        CallInput(customer_id=customer, outcome=outcome, contact=contact, checklist=list(checks), at=when, **kw),
    )


def calls_policy(rules: dict | None = None):
    """The default policy with the SMS-notice rule off: these tests are about the other rules (the SMS
    tests test their own rule); ``rules`` overrides more [rules.*] tables."""
    from collectui.domain.policy import policy_from_dict

    tables = {"sms_notice": {"enabled": False}}
    for key, value in (rules or {}).items():
        tables[key] = {**tables.get(key, {}), **value}
    return policy_from_dict({"rules": tables})


def set_customer(ctx, customer_id: str = "C1", **values) -> None:
    """Change fields of a seeded borrower (flags, consent hours) the way an import or a supervisor would."""
    with ctx.db.write() as s:
        customer = s.get(Customer, customer_id)
        for k, v in values.items():
            setattr(customer, k, v)
        s.add(customer)
