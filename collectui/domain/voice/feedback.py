"""Customer feedback: what a borrower says about a call or the bank, linked to the call and the collector.

Free text written down from a customer (feedback and complaints) often repeats a phone or ID number. We
mask such numbers before storing the text instead of refusing it: refusing would lose the customer's
words, which is worse than the risk a masked number carries. The abusive-phrase scan of collectors' call
notes is not applied here: a customer quoting a threat ("他说要让我坐牢") is exactly what must be recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, overload

from sqlmodel import Session, col, select

from collectui.domain import audit
from collectui.domain.conduct.notescan import scan
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.policy import Policy
from collectui.domain.said import Said, not_one_of, said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize_customer
from collectui.domain.staff.users import find_user
from collectui.domain.textsafe import clean
from collectui.domain.voice.vocabulary import (
    CATEGORIES,
    CHANNELS,
    MAX_TEXT,
    SENTIMENTS,
    Scrubbed,
    scrub_personal_data,
)
from collectui.storage.models import CallAttempt, Customer, Feedback, saved_id


@overload
def clean_text(text: str | None, policy: Policy | None, what: str, required: Literal[True]) -> Scrubbed: ...
@overload
def clean_text(text: str | None, policy: Policy | None, what: str, required: bool = False) -> Scrubbed | None: ...
def clean_text(text: str | None, policy: Policy | None, what: str, required: bool = False) -> Scrubbed | None:
    """Trimmed, length-checked and scrubbed free text (control characters removed); None when empty and not
    required."""
    value = clean(text or "", newlines=True).strip()
    if not value:
        if required:
            raise InvalidInput(said("error.voice.text_required", f"{what}: text is required", what=what))
        return None
    if len(value) > MAX_TEXT:
        raise InvalidInput(
            said(
                "error.voice.text_long",
                f"{what}: at most {MAX_TEXT} characters (got {len(value)})",
                what=what,
                max=MAX_TEXT,
                got=len(value),
            )
        )
    return scrub_personal_data(value, policy)


@dataclass(frozen=True)
class FeedbackInput:
    customer_id: str
    sentiment: str
    channel: str
    categories: tuple[str, ...] = ()
    satisfaction: int | None = None
    recommend: int | None = None
    text: str | None = None
    call_id: int | None = None
    collector: str | None = None  # username
    at: datetime | None = None


def _range(field: str, lo: int, hi: int, got: int) -> Said:
    return said("error.voice.fb_range", f"{field}: expected {lo}-{hi}, got {got}", field=field, lo=lo, hi=hi, got=got)


def validate_fields(inp: FeedbackInput) -> list[Said]:
    """Problems, each naming its field, without touching the database."""
    problems: list[Said] = []
    if not inp.customer_id or not inp.customer_id.strip():
        problems.append(said("error.voice.fb_customer_required", "customer_id: required"))
    if inp.sentiment not in SENTIMENTS:
        problems.append(not_one_of("sentiment", SENTIMENTS, inp.sentiment))
    if inp.channel not in CHANNELS:
        problems.append(not_one_of("channel", CHANNELS, inp.channel))
    for cat in inp.categories:
        if cat not in CATEGORIES:
            problems.append(not_one_of("category", CATEGORIES, cat))
    if len(set(inp.categories)) != len(inp.categories):
        problems.append(said("error.voice.fb_category_twice", "category: a category is given twice"))
    if inp.satisfaction is not None and not 1 <= inp.satisfaction <= 5:
        problems.append(_range("satisfaction", 1, 5, inp.satisfaction))
    if inp.recommend is not None and not 0 <= inp.recommend <= 10:
        problems.append(_range("recommend", 0, 10, inp.recommend))
    if inp.at is not None and inp.at.tzinfo is None:
        problems.append(said("error.voice.at_needs_zone", "at: needs a time zone"))
    return problems


def resolve_call_link(session: Session, customer_id: str, collector: str | None, call_id: int | None) -> int | None:
    """The collector a customer's feedback or complaint is about: the one named, or the one who made the
    linked call (which must be with this customer, and by the named collector if one is named)."""
    if session.get(Customer, customer_id) is None:
        raise NotFound(said("error.voice.no_customer", f"no customer {customer_id!r}", customer_id=repr(customer_id)))
    collector_id = find_user(session, collector).id if collector else None
    if call_id is None:
        return collector_id
    call = session.get(CallAttempt, call_id)
    if call is None:
        raise NotFound(said("error.voice.no_call", f"no call {call_id}", call_id=call_id))
    if call.customer_id != customer_id:
        raise InvalidInput(
            said(
                "error.voice.call_other_customer",
                f"call {call_id} was not with customer {customer_id}",
                call_id=call_id,
                customer_id=customer_id,
            )
        )
    if collector_id is not None and collector_id != call.user_id:
        raise InvalidInput(
            said(
                "error.voice.not_their_call",
                f"collector {collector!r} did not make call {call_id}",
                collector=repr(collector),
                call_id=call_id,
            )
        )
    return call.user_id


def build_feedback(session: Session, ctx: Ctx, inp: FeedbackInput) -> tuple[Feedback, dict[str, int]]:
    """Check references and build the row (not added). Raises InvalidInput / NotFound."""
    problems = validate_fields(inp)
    if problems:
        raise InvalidInput(said("error.voice.fb_problems", "; ".join(map(str, problems)), problems=problems), problems)
    customer_id = inp.customer_id.strip()
    collector_id = resolve_call_link(session, customer_id, inp.collector, inp.call_id)
    at = inp.at or ctx.clock.now()
    if at > ctx.clock.now():
        raise InvalidInput(said("error.voice.feedback_future", "at: feedback cannot be in the future"))
    scrubbed = clean_text(inp.text, ctx.policy, "text")
    row = Feedback(
        customer_id=customer_id,
        call_id=inp.call_id,
        collector_id=collector_id,
        channel=inp.channel,
        sentiment=inp.sentiment,
        categories=list(inp.categories),
        satisfaction=inp.satisfaction,
        recommend=inp.recommend,
        text=scrubbed.text if scrubbed else None,
        at=at,
    )
    return row, (scrubbed.masked if scrubbed else {})


def add_feedback(ctx: Ctx, actor: Actor, inp: FeedbackInput, session: Session | None = None) -> int:
    """Record one piece of feedback; returns its id. Audited (without the text).

    Checked (``feedback.add`` on the borrower's branch) before the transaction: with ``session`` the
    caller's open transaction is used, so only pass one for an actor whose check cannot fail (a system one).
    """
    authorize_customer(ctx, actor, "feedback.add", inp.customer_id)

    def _add(s: Session) -> int:
        row, masked = build_feedback(s, ctx, inp)
        flagged = sorted({hit.category for hit in scan(row.text, ctx.policy.table("rules.note_scan"))})
        s.add(row)
        s.flush()
        audit.record(
            s,
            ctx.clock,
            actor.name,
            "feedback.add",
            "customer",
            row.customer_id,
            {
                "feedback_id": row.id,
                "sentiment": row.sentiment,
                "channel": row.channel,
                "categories": row.categories,
                "call_id": row.call_id,
                "masked_numbers": masked,
                # The note scan runs on the customer's words too, but only flags: a customer quoting a
                # collector's threat must be kept word for word, and a supervisor sees what was flagged.
                **({"phrases_flagged": flagged} if flagged else {}),
            },
        )
        return saved_id(row.id)

    if session is not None:
        return _add(session)
    with ctx.db.write() as s:
        return _add(s)


def list_feedback(ctx: Ctx, customer_id: str) -> list[Feedback]:
    with ctx.db.read() as s:
        return list(
            s.exec(
                select(Feedback)
                .where(Feedback.customer_id == customer_id)
                .order_by(col(Feedback.at).desc(), col(Feedback.id).desc())
            ).all()
        )
