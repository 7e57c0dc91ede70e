"""The call-gate rule ``sms_notice``: no first call of a collection cycle without a reminder SMS before it.

A collection cycle starts with the first attempt after ``sms.cycle_gap_days`` calendar days without one
(refused attempts do not count: nobody was dialled). That first attempt at time T is allowed only if a
reminder in state ``sent`` or ``delivered`` has ``T - max_age_days <= sent_at <= T - min_lead_hours``;
pending and failed reminders do not count. The rule does not apply when the borrower's number is invalid,
cannot take an SMS (a landline), or the borrower opted out of SMS: they could never get the reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from collectui.domain.policy import Policy, PolicyTable
from collectui.domain.privacy.identity import is_mobile
from collectui.domain.said import Said, said
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

if TYPE_CHECKING:
    from collectui.domain.calls.gate import GateFacts


class NoticeParty(Protocol):
    """What the rule reads of a borrower (``calls.parties.Borrower`` or the ``Customer`` model)."""

    @property
    def customer_id(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def phone_invalid(self) -> bool: ...
    @property
    def sms_opt_out(self) -> bool: ...


@dataclass(frozen=True)
class NoticeStatus:
    applies: bool  # False: invalid number, landline or opted out
    first_of_cycle: bool
    satisfied: bool  # the attempt may go ahead as far as this rule is concerned
    earliest: datetime  # T - max_age_days
    latest: datetime  # T - min_lead_hours
    why: Said | None  # when not satisfied: what is missing


def _q(raw: RawConnection, sql: str, *params: object) -> tuple[object, ...] | None:
    row = raw.execute(sql, tuple(params)).fetchone()
    return tuple(row) if row is not None else None


def opted_out(raw: RawConnection, customer: NoticeParty) -> bool:
    """The borrower opted out of SMS, herself or by her number (an STOP reply recorded in sms_opt_out)."""
    if customer.sms_opt_out:
        return True
    return raw.execute("SELECT 1 FROM sms_opt_out WHERE phone = ?", (customer.phone,)).fetchone() is not None


def notice_status(
    raw: RawConnection, policy: Policy, customer: NoticeParty, at: datetime, cfg: PolicyTable | None = None
) -> NoticeStatus:
    cfg = cfg or policy.table("rules.sms_notice")
    tz = policy.tz
    at = at.astimezone(tz)
    earliest = at - timedelta(days=cfg["max_age_days"])
    latest = at - timedelta(hours=cfg["min_lead_hours"])
    if customer.phone_invalid or not is_mobile(customer.phone) or opted_out(raw, customer):
        return NoticeStatus(False, False, True, earliest, latest, None)
    last = _q(
        raw,
        "SELECT max(started_at) FROM call_attempt WHERE customer_id = ? AND status != 'refused' AND started_at < ?",
        customer.customer_id,
        utc_text(at),
    )
    if last and last[0]:
        gap = (at.date() - datetime.fromisoformat(str(last[0])).astimezone(tz).date()).days
        if gap < policy["sms.cycle_gap_days"]:
            return NoticeStatus(True, False, True, earliest, latest, None)
    found = _q(
        raw,
        "SELECT 1 FROM sms_message WHERE customer_id = ? AND state IN ('sent', 'delivered') "
        "AND sent_at >= ? AND sent_at <= ? LIMIT 1",
        customer.customer_id,
        utc_text(earliest),
        utc_text(latest),
    )
    if found:
        return NoticeStatus(True, True, True, earliest, latest, None)
    return NoticeStatus(True, True, False, earliest, latest, _why(raw, customer, at, earliest, latest, cfg))


def _why(
    raw: RawConnection, customer: NoticeParty, at: datetime, earliest: datetime, latest: datetime, cfg: PolicyTable
) -> Said:
    window = {"earliest": f"{earliest:%Y-%m-%d %H:%M}", "latest": f"{latest:%Y-%m-%d %H:%M}"}
    base = f"first call of a new collection cycle: it needs a reminder SMS sent between {window['earliest']} and {window['latest']}"
    too_new = _q(
        raw,
        "SELECT min(sent_at) FROM sms_message WHERE customer_id = ? AND state IN ('sent', 'delivered') AND sent_at > ?",
        customer.customer_id,
        utc_text(latest),
    )
    if too_new and too_new[0]:
        sent = datetime.fromisoformat(str(too_new[0])).astimezone(at.tzinfo)
        ready = sent + timedelta(hours=cfg["min_lead_hours"])
        return said(
            "gate.sms_notice.too_new",
            f"{base}; the reminder went out at {sent:%H:%M}, calls may start from {ready:%Y-%m-%d %H:%M}",
            sent=f"{sent:%H:%M}",
            ready=f"{ready:%Y-%m-%d %H:%M}",
            **window,
        )
    waiting = _q(
        raw,
        "SELECT state, sent_at FROM sms_message WHERE customer_id = ? "
        "AND state IN ('pending', 'failed') ORDER BY created_at DESC, id DESC LIMIT 1",
        customer.customer_id,
    )
    if waiting and waiting[0] == "failed" and waiting[1]:
        text = f"{base}; the latest reminder was not delivered (plan a new one: `collectui sms plan`)"
        return said("gate.sms_notice.failed", text, **window)
    if waiting:
        text = f"{base}; the latest reminder is {waiting[0]}, not sent (`collectui sms send`)"
        return said("gate.sms_notice.waiting", text, state=waiting[0], **window)
    return said("gate.sms_notice", f"{base}; none was sent (`collectui sms plan`, then `collectui sms send`)", **window)


def check_sms_notice(facts: GateFacts, cfg: PolicyTable) -> Said | None:
    """The gate's entry point (registered in ``domain.calls.gate``)."""
    status = notice_status(facts.raw, facts.policy, facts.customer, facts.at, cfg)
    return None if status.satisfied else status.why
