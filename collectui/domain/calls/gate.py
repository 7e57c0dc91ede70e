"""The call gate: may this person be called now, on this number, by this user, and if not, why not.

One function per rule, each ``check(facts, cfg) -> message | None`` where ``cfg`` is the rule's policy
table ``[rules.RULE_ID]``. ``RULES`` is the registry; adding a rule is one ``register(...)`` line. A rule
that is enabled in the policy but has no registered check refuses the call: a compliance officer who
switches a rule on must never get silence.

"Today" is the local day of the call time in the policy's time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from collectui.domain.calls.outcomes import UNANSWERED
from collectui.domain.errors import NotFound
from collectui.domain.policy import Policy, PolicyTable
from collectui.domain.sms.notice import check_sms_notice
from collectui.storage.models import Contact, Customer
from collectui.storage.timefmt import utc_text

DEBTOR = "debtor"
# Policy tables under [rules] that are not gate rules.
NOT_GATE_RULES = ("note_scan",)


@dataclass
class GateFacts:
    """What a rule may look at. ``session`` is open (inside the caller's transaction when logging)."""

    session: Session
    policy: Policy
    customer: Customer
    contact: Contact | None  # None: the borrower's own number
    phone: str
    user_id: int | None  # None: a machine's API token asking (rules then judge its role)
    role: str | None
    at: datetime  # in the policy time zone

    @property
    def day_start(self) -> datetime:
        return datetime.combine(self.at.date(), time(0), tzinfo=self.at.tzinfo)

    @property
    def day_bounds(self) -> tuple[str, str]:
        start = self.day_start
        return utc_text(start), utc_text(start + timedelta(days=1))

    def scalar(self, sql: str, *params: object) -> object:
        """The first column of the first row, or None: a driver value (int, float, str, bytes or None)."""
        row = self.session.connection().exec_driver_sql(sql, tuple(params)).first()
        return row[0] if row else None

    def count(self, sql: str, *params: object) -> int:
        """A ``SELECT count(*) ...``."""
        value = self.scalar(sql, *params)
        assert isinstance(value, int), sql
        return value

    def text(self, sql: str, *params: object) -> str | None:
        """A query for one text value (a stored time or date), or None when no row or NULL."""
        value = self.scalar(sql, *params)
        assert value is None or isinstance(value, str), sql
        return value


@dataclass(frozen=True)
class RuleHit:
    rule: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message}


@dataclass
class GateResult:
    reasons: list[RuleHit] = field(default_factory=list)
    warnings: list[RuleHit] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.reasons

    def to_json(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "reasons": [r.to_json() for r in self.reasons],
            "warnings": [w.to_json() for w in self.warnings],
        }


Check = Callable[[GateFacts, PolicyTable], "str | None"]


@dataclass
class Rule:
    id: str
    check: Check
    warning: bool = False  # a warning never refuses


RULES: dict[str, Rule] = {}


def register(rule_id: str, check: Check, warning: bool = False) -> None:
    RULES[rule_id] = Rule(rule_id, check, warning)


# --- the rules --------------------------------------------------------------------------------------------


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.strip().split(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= value <= 24 * 60 and 0 <= int(minutes) < 60):
        raise ValueError(hhmm)
    return value


def consent_window(consent: str | None) -> tuple[str, str] | None:
    """The borrower's agreed hours "HH:MM-HH:MM", or None when absent or unreadable."""
    if not consent or "-" not in consent:
        return None
    start, _, end = consent.partition("-")
    try:
        _minutes(start), _minutes(end)
    except ValueError:
        return None
    return start.strip(), end.strip()


def call_window(f: GateFacts, cfg: PolicyTable) -> str | None:
    start, end = cfg["start"], cfg["end"]
    agreed = consent_window(f.customer.consent_hours)
    if agreed:
        start, end = agreed
    now = f.at.hour * 60 + f.at.minute
    s, e = _minutes(start), _minutes(end)
    inside = s <= now < e if s < e else (now >= s or now < e)  # a consent may run past midnight
    if inside:
        return None
    source = "the borrower's agreed hours" if agreed else "the permitted hours"
    return f"local time {f.at:%H:%M} is outside {source} {start}-{end} ({f.at.tzinfo})"


_UNANSWERED_SQL = ",".join(f"'{o}'" for o in UNANSWERED)


def daily_attempts(f: GateFacts, cfg: PolicyTable) -> str | None:
    lo, hi = f.day_bounds
    count = f.count(
        "SELECT count(*) FROM call_attempt WHERE phone = ? AND started_at >= ? AND started_at < ? "
        f"AND status = 'logged' AND outcome IN ({_UNANSWERED_SQL})",
        f.phone,
        lo,
        hi,
    )
    if count >= cfg["max"]:
        return f"already {count} unanswered attempts today to this number (at most {cfg['max']} a day)"
    return None


def daily_conversations(f: GateFacts, cfg: PolicyTable) -> str | None:
    if f.contact is not None:  # a third-party call is not a conversation with the borrower
        return None
    lo, hi = f.day_bounds
    count = f.count(
        "SELECT count(*) FROM call_attempt WHERE customer_id = ? AND started_at >= ? AND started_at < ? "
        "AND status = 'logged' AND right_party = 1",
        f.customer.customer_id,
        lo,
        hi,
    )
    if count >= cfg["max"]:
        return (
            f"already {count} conversations with this borrower today, all staff together (at most {cfg['max']} a day)"
        )
    return None


def do_not_call(f: GateFacts, cfg: PolicyTable) -> str | None:
    if f.customer.do_not_call:
        return "the borrower asked not to be called"
    if f.contact is not None and f.contact.refused_calls:
        return "this contact refused further calls"
    return None


def dispute_hold(f: GateFacts, cfg: PolicyTable) -> str | None:
    found = f.scalar("SELECT id FROM dispute WHERE customer_id = ? AND status = 'open' LIMIT 1", f.customer.customer_id)
    return f"open dispute #{found}: no collection calls until it is resolved" if found else None


def complaint_hold(f: GateFacts, cfg: PolicyTable) -> str | None:
    found = f.scalar(
        "SELECT id FROM complaint WHERE customer_id = ? AND hold_active = 1 LIMIT 1", f.customer.customer_id
    )
    return f"open collection complaint #{found}: calls on hold until a supervisor clears it" if found else None


def promise_pending(f: GateFacts, cfg: PolicyTable) -> str | None:
    due = f.scalar(
        "SELECT min(due_date) FROM promise WHERE customer_id = ? AND status = 'open' AND due_date >= ?",
        f.customer.customer_id,
        f.at.date().isoformat(),
    )
    return f"an open promise to pay is due {due}; wait until its date has passed" if due else None


def third_party_not_allowed(f: GateFacts, cfg: PolicyTable) -> str | None:
    if f.contact is None or f.customer.phone_invalid:
        return None
    need = cfg["failed_attempts"]
    rows = (
        f.session.connection()
        .exec_driver_sql(
            "SELECT right_party FROM call_attempt WHERE customer_id = ? AND contact_id IS NULL "
            "AND status = 'logged' AND started_at <= ? ORDER BY started_at DESC LIMIT ?",
            (f.customer.customer_id, utc_text(f.at), need),
        )
        .all()
    )
    failed = 0
    for (right_party,) in rows:
        if right_party:
            break
        failed += 1
    if failed >= need:
        return None
    return (
        f"the borrower is still reachable ({failed} failed attempts in a row on their own number; "
        f"third parties only after {need}, or when the number is invalid)"
    )


def vulnerable_senior_only(f: GateFacts, cfg: PolicyTable) -> str | None:
    if f.customer.vulnerable and f.role not in cfg["roles"]:
        return f"a vulnerable borrower: only {' or '.join(cfg['roles'])} may call"
    return None


def in_call(f: GateFacts, cfg: PolicyTable) -> str | None:
    since = utc_text(f.at - timedelta(minutes=cfg["minutes"]))
    row = (
        f.session.connection()
        .exec_driver_sql(
            "SELECT started_at FROM call_attempt WHERE customer_id = ? AND status = 'started' "
            "AND started_at > ? AND started_at <= ? AND user_id != ? ORDER BY started_at DESC LIMIT 1",
            (f.customer.customer_id, since, utc_text(f.at), f.user_id if f.user_id is not None else -1),
        )
        .first()
    )
    if row is None:
        return None
    ago = max(0, int((f.at - datetime.fromisoformat(row[0])).total_seconds() // 60))
    return f"another collector started a call with this borrower {ago} min ago"


def cycle_interval(f: GateFacts, cfg: PolicyTable) -> str | None:
    last = f.text(
        "SELECT max(started_at) FROM call_attempt WHERE customer_id = ? AND status = 'logged' AND started_at < ?",
        f.customer.customer_id,
        f.day_bounds[1],
    )
    if last is None:
        return None
    gap = (f.at.date() - datetime.fromisoformat(last).astimezone(f.at.tzinfo).date()).days
    # A call today: the cycle has begun (warned at its first call). The day after a call continues the same
    # cycle; a gap of a quiet day or more starts a new one.
    if 2 <= gap < cfg["days"]:
        return f"a new collection cycle {gap} days after the last call (the policy asks for {cfg['days']})"
    return None


register("call_window", call_window)
register("daily_attempts", daily_attempts)
register("daily_conversations", daily_conversations)
register("do_not_call", do_not_call)
register("dispute_hold", dispute_hold)
register("complaint_hold", complaint_hold)
register("promise_pending", promise_pending)
register("third_party_not_allowed", third_party_not_allowed)
register("vulnerable_senior_only", vulnerable_senior_only)
register("in_call", in_call)
register("cycle_interval", cycle_interval, warning=True)
# A reminder SMS before the first call of a collection cycle.
register("sms_notice", check_sms_notice)


# --- evaluation -------------------------------------------------------------------------------------------


def evaluate(facts: GateFacts) -> GateResult:
    """Every enabled rule, in registry order, then rules the policy enables that nobody registered."""
    result = GateResult()
    tables = facts.policy.table("rules")
    ids = list(RULES) + [r for r in tables if r not in RULES and r not in NOT_GATE_RULES]
    for rule_id in ids:
        cfg: PolicyTable = tables.get(rule_id, {"enabled": True})
        if not cfg.get("enabled", True):
            continue
        rule = RULES.get(rule_id)
        if rule is None:
            result.reasons.append(
                RuleHit(
                    rule_id,
                    "enabled in the policy, but this version has no check for it; disable it or upgrade collectui",
                )
            )
            continue
        message = rule.check(facts, cfg)
        if message:
            (result.warnings if rule.warning else result.reasons).append(RuleHit(rule_id, message))
    return result


def resolve_target(session: Session, customer_id: str, contact: str | None) -> tuple[Customer, Contact | None, str]:
    """The customer, the third-party contact (None for the borrower) and the number to dial."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"no customer {customer_id!r}")
    if not contact or contact == DEBTOR:
        return customer, None, customer.phone
    found = session.get(Contact, contact)
    if found is None or found.customer_id != customer_id:
        raise NotFound(
            f"no contact {contact!r} for customer {customer_id!r} "
            "(use 'debtor' or a contact_id from the contacts import)"
        )
    return customer, found, found.phone
