"""One borrower's profile, assembled for a screen: everything a call needs and nothing clear-text.

Names, phones, ID numbers and addresses are masked here (docs/domain.md section 3), before any face sees
them; the clear value is only available through ``domain.unmask`` (supervisors and admins, audited).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, text

from collectui.domain.context import Ctx
from collectui.domain.errors import NotFound
from collectui.domain.portfolio.overdue import bucket_for
from collectui.domain.portfolio.reasons import decode as decode_reasons
from collectui.domain.privacy.masking import mask_address, mask_id_number, mask_name, mask_phone
from collectui.domain.said import Said, said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import NO_BRANCH, authorize

# Calls to the borrower that count as "failed contacts" for the third-party rule (docs/domain.md section 2).
NOT_CONNECTED = ("no_answer", "busy", "unreachable", "switched_off", "invalid_number")
THIRD_PARTY_AFTER_FAILED = 3
HISTORY_LIMIT = 30


@dataclass(frozen=True)
class InstalmentView:
    seq: int
    due_date: date
    due_fen: int
    paid_fen: int
    status: str  # paid | partial | unpaid | overdue


@dataclass(frozen=True)
class LoanView:
    loan_id: str
    product: str
    principal_fen: int
    status: str
    disbursed_on: date
    maturity_date: date
    dpd: int
    bucket: str
    category: str
    overdue_fen: int
    outstanding_fen: int
    next_due_date: date | None
    next_due_fen: int
    instalments: list[InstalmentView] = field(default_factory=list)


@dataclass(frozen=True)
class PaymentView:
    loan_id: str
    paid_on: date
    amount_fen: int
    channel: str | None


@dataclass(frozen=True)
class PromiseView:
    made_at: datetime
    amount_fen: int
    due_date: date
    status: str
    paid_fen: int


@dataclass(frozen=True)
class EventView:
    """One line of contact history: a call, an SMS, a feedback or a complaint."""

    at: datetime
    kind: str  # call | sms | feedback | complaint
    status: str  # outcome code, SMS state, sentiment, complaint status
    party: str | None = None  # call: borrower | contact
    phone: str | None = None  # masked number dialled / texted
    on: date | None = None  # SMS: planned for; complaint: decision due
    note: str | None = None  # feedback channel, complaint subject, refused rule ids
    rating: int | None = None  # feedback satisfaction 1-5
    hold: bool = False  # complaint puts calls on hold


@dataclass(frozen=True)
class ContactView:
    contact_id: str
    relation: str
    name: str  # masked
    phone: str  # masked
    refused_calls: bool
    phone_invalid: bool
    source: str = "import"  # import | call (learned on call from_call_id: unverified) | staff
    from_call_id: int | None = None


@dataclass(frozen=True)
class ProfileView:
    customer_id: str
    name: str  # masked
    phone: str  # masked
    id_number: str  # masked
    address: str  # masked down to the county
    branch: str | None
    as_of: date | None
    loans: list[LoanView]
    payments: list[PaymentView]
    promises: list[PromiseView]
    history: list[EventView]
    contacts: list[ContactView]
    score: int | None  # hundredths of a point
    reasons: list[Said]  # the ranking's explanation, as stored by the work-list refresh (portfolio/reasons.py)
    callable: bool | None
    blocked_reason: str | None
    flags: dict[str, bool]
    third_party_allowed: bool
    third_party_why: str  # rule id: phone_invalid | failed_contacts | borrower_reachable
    max_dpd: int = 0
    overdue_fen: int = 0
    bucket: str = "M0"
    consent_hours: str | None = None  # the borrower's agreed call hours "HH:MM-HH:MM"
    next_callback: datetime | None = None  # the callback the latest call agreed (policy zone)
    blocked_until: datetime | None = None  # when the list's block lifts by time alone, where known


def _instalments(rows: Iterable[tuple[int, date, int, int]], payments_total: int, as_of: date) -> list[InstalmentView]:
    """``rows``: (seq, due date, principal fen, interest fen) in due order."""
    # Same allocation as domain.overdue: pooled payments, oldest instalment first.
    pool = payments_total
    out: list[InstalmentView] = []
    for seq, due, principal, interest in rows:
        due_fen = principal + interest
        paid = min(pool, due_fen)
        pool -= paid
        if paid >= due_fen:
            status = "paid"
        elif due < as_of:
            status = "overdue"
        else:
            status = "partial" if paid else "unpaid"
        out.append(InstalmentView(seq, due, due_fen, paid, status))
    return out


def customer_profile(ctx: Ctx, actor: Actor, customer_id: str) -> ProfileView:
    """The masked profile of one borrower. Branch-bound staff see only their own branch's borrowers
    (``profile.read``; a refusal is audited as ``access.denied``)."""
    pol = ctx.policy
    as_of = ctx.clock.today()
    with ctx.db.read() as session:
        conn = session.connection()

        def q(sql: str, **kw: object) -> Sequence[Row[*tuple[Any, ...]]]:
            return conn.execute(text(sql), kw).all()

        cust = q(
            "SELECT c.customer_id, c.name, c.phone, c.id_number, c.address, b.name, c.do_not_call,"
            " c.vulnerable, c.phone_invalid, c.sms_opt_out, c.hardship, c.consent_hours"
            " FROM customer c LEFT JOIN branch b ON b.id = c.branch_id WHERE c.customer_id = :cid",
            cid=customer_id,
        )
        if not cust:
            raise NotFound(said("error.worklist.no_customer", f"no customer {customer_id!r}", customer=customer_id))
        (
            cid,
            name,
            phone,
            id_number,
            address,
            branch,
            dnc,
            vulnerable,
            phone_invalid,
            sms_opt_out,
            hardship,
            consent_hours,
        ) = cust[0]
        authorize(ctx, actor, "profile.read", branch=branch or NO_BRANCH)

        loans: list[LoanView] = []
        for (
            loan_id,
            product,
            principal,
            status,
            disbursed,
            maturity,
            dpd,
            bucket,
            category,
            overdue,
            outstanding,
            next_due,
            next_due_fen,
        ) in q(
            "SELECT l.loan_id, l.product, l.principal_fen, l.status, l.disbursed_on, l.maturity_date,"
            " s.dpd, s.bucket, s.category, s.overdue_fen, s.outstanding_fen, s.next_due_date, s.next_due_fen"
            " FROM loan l LEFT JOIN loan_state s ON s.loan_id = l.loan_id"
            " WHERE l.customer_id = :cid ORDER BY COALESCE(s.dpd, 0) DESC, l.loan_id",
            cid=customer_id,
        ):
            paid_total = q(
                "SELECT COALESCE(SUM(amount_fen), 0) FROM payment WHERE loan_id = :l AND paid_on <= :d",
                l=loan_id,
                d=as_of.isoformat(),
            )[0][0]
            inst_rows = [
                (s, date.fromisoformat(d), p, i)
                for s, d, p, i in q(
                    "SELECT seq, due_date, principal_due_fen, interest_due_fen FROM instalment"
                    " WHERE loan_id = :l ORDER BY due_date, seq",
                    l=loan_id,
                )
            ]
            dpd = dpd or 0
            loans.append(
                LoanView(
                    loan_id,
                    product,
                    principal,
                    status,
                    date.fromisoformat(disbursed),
                    date.fromisoformat(maturity),
                    dpd,
                    bucket or bucket_for(dpd),
                    category or "normal",
                    overdue or 0,
                    outstanding or 0,
                    date.fromisoformat(next_due) if next_due else None,
                    next_due_fen or 0,
                    _instalments(inst_rows, paid_total, as_of),
                )
            )

        payments = [
            PaymentView(loan, date.fromisoformat(d), a, ch)
            for loan, d, a, ch in q(
                "SELECT p.loan_id, p.paid_on, p.amount_fen, p.channel"
                " FROM payment p JOIN loan l ON l.loan_id = p.loan_id"
                " WHERE l.customer_id = :cid ORDER BY p.paid_on DESC, p.payment_id LIMIT :n",
                cid=customer_id,
                n=HISTORY_LIMIT,
            )
        ]
        promises = [
            PromiseView(datetime.fromisoformat(m), a, date.fromisoformat(d), s, p)
            for m, a, d, s, p in q(
                "SELECT made_at, amount_fen, due_date, status, paid_fen FROM promise WHERE customer_id = :cid"
                " ORDER BY made_at DESC LIMIT :n",
                cid=customer_id,
                n=HISTORY_LIMIT,
            )
        ]

        history: list[EventView] = []
        calls = q(
            "SELECT started_at, status, outcome, phone, contact_id, refused_rules FROM call_attempt"
            " WHERE customer_id = :cid ORDER BY started_at DESC LIMIT :n",
            cid=customer_id,
            n=HISTORY_LIMIT,
        )
        for at, status, outcome, dialled, contact_id, refused in calls:
            rules = ", ".join(json.loads(refused)) if status == "refused" and refused else None
            history.append(
                EventView(
                    datetime.fromisoformat(at),
                    "call",
                    outcome or status,
                    party="contact" if contact_id else "borrower",
                    phone=mask_phone(dialled, pol),
                    note=rules,
                )
            )
        for at, state, planned, texted in q(
            "SELECT created_at, state, planned_for, phone FROM sms_message WHERE customer_id = :cid"
            " ORDER BY created_at DESC LIMIT :n",
            cid=customer_id,
            n=HISTORY_LIMIT,
        ):
            history.append(
                EventView(
                    datetime.fromisoformat(at),
                    "sms",
                    state,
                    phone=mask_phone(texted, pol),
                    on=date.fromisoformat(planned),
                )
            )
        for at, channel, sentiment, sat in q(
            "SELECT at, channel, sentiment, satisfaction FROM feedback WHERE customer_id = :cid"
            " ORDER BY at DESC LIMIT :n",
            cid=customer_id,
            n=HISTORY_LIMIT,
        ):
            history.append(EventView(datetime.fromisoformat(at), "feedback", sentiment, note=channel, rating=sat))
        complaints = q(
            "SELECT opened_at, status, about, hold_active, due_on FROM complaint WHERE customer_id = :cid"
            " ORDER BY opened_at DESC LIMIT :n",
            cid=customer_id,
            n=HISTORY_LIMIT,
        )
        for at, status, about, hold, due_on in complaints:
            history.append(
                EventView(
                    datetime.fromisoformat(at),
                    "complaint",
                    status,
                    note=about,
                    on=date.fromisoformat(due_on),
                    hold=bool(hold),
                )
            )
        history.sort(key=lambda e: e.at, reverse=True)

        contacts = [
            ContactView(k, rel, mask_name(n, pol), mask_phone(p, pol), bool(r), bool(inv), src or "import", from_call)
            for k, rel, n, p, r, inv, src, from_call in q(
                "SELECT contact_id, relation, name, phone, refused_calls, phone_invalid, source, from_call_id"
                " FROM contact WHERE customer_id = :cid ORDER BY contact_id",
                cid=customer_id,
            )
        ]

        dispute_open = bool(
            q("SELECT 1 FROM dispute WHERE customer_id = :cid AND status = 'open' LIMIT 1", cid=customer_id)
        )
        complaint_hold = any(bool(c[3]) for c in complaints) or bool(
            q("SELECT 1 FROM complaint WHERE customer_id = :cid AND hold_active = 1 LIMIT 1", cid=customer_id)
        )
        work = q(
            "SELECT score, reasons, callable, blocked_reason, max_dpd, overdue_fen, bucket, blocked_until,"
            " callback_at FROM work_item WHERE customer_id = :cid",
            cid=customer_id,
        )

    borrower_calls = [c for c in calls if not c[4] and c[1] != "refused"]
    failed_in_row = 0
    for c in borrower_calls:  # newest first
        if c[2] in NOT_CONNECTED:
            failed_in_row += 1
        else:
            break
    if phone_invalid:
        third_allowed, third_why = True, "phone_invalid"
    elif failed_in_row >= THIRD_PARTY_AFTER_FAILED:
        third_allowed, third_why = True, "failed_contacts"
    else:
        third_allowed, third_why = False, "borrower_reachable"

    score: int | None = None
    reasons: list[Said] = []
    is_callable: bool | None = None
    blocked: str | None = None
    max_dpd = max((ln.dpd for ln in loans), default=0)
    overdue_total = sum(ln.overdue_fen for ln in loans)
    bucket = bucket_for(max_dpd)
    until: datetime | None = None
    callback: datetime | None = None
    if work:
        score, reasons_json, is_callable, blocked, max_dpd, overdue_total, bucket, until_text, callback_text = work[0]
        until = datetime.fromisoformat(until_text).astimezone(pol.tz) if until_text else None
        callback = datetime.fromisoformat(callback_text).astimezone(pol.tz) if callback_text else None
        reasons = decode_reasons(reasons_json)
        is_callable = bool(is_callable)

    return ProfileView(
        customer_id=cid,
        name=mask_name(name, pol),
        phone=mask_phone(phone, pol),
        id_number=mask_id_number(id_number, pol),
        address=mask_address(address, pol),
        branch=branch,
        as_of=as_of,
        loans=loans,
        payments=payments,
        promises=promises,
        history=history[:HISTORY_LIMIT],
        contacts=contacts,
        score=score,
        reasons=reasons,
        callable=is_callable,
        blocked_reason=blocked,
        flags={
            "do_not_call": bool(dnc),
            "vulnerable": bool(vulnerable),
            "dispute": dispute_open,
            "complaint_hold": complaint_hold,
            "phone_invalid": bool(phone_invalid),
            "sms_opt_out": bool(sms_opt_out),
            "hardship": bool(hardship),
            "consent_hours": bool(consent_hours),
        },
        third_party_allowed=third_allowed,
        third_party_why=third_why,
        max_dpd=max_dpd,
        overdue_fen=overdue_total,
        bucket=bucket,
        consent_hours=consent_hours or None,
        next_callback=callback,
        blocked_until=until,
    )
