"""The call gate: may this person be called now, on this number, by this user, and if not, why not.

One function per rule, each ``check(facts, cfg) -> message | None`` where ``cfg`` is the rule's policy
table ``[rules.RULE_ID]``. ``RULES`` is the registry; adding a rule is one ``register(...)`` line. A rule
that is enabled in the policy but has no registered check refuses the call: a compliance officer who
switches a rule on must never get silence.

"Today" is the local day of the call time in the policy's time zone.

Each rule has a level: ``customer`` (about the borrower, whoever calls on whatever number: the work list
mirrors every such rule in ``calls.availability``, so what the list calls callable the gate allows),
``number`` (about the number dialled), ``caller`` (about who calls) and ``moment`` (the time of day).

The rules read plain SQL on the caller's connection (``GateFacts.raw``), never the ORM, so a process that only
asks the gate (a dialler, once per dial) starts quickly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from collectui.domain.attempts import UNANSWERED_ATTEMPT, day_bounds, expiry_cutoff, own_numbers_sql
from collectui.domain.calls.parties import DEBTOR, Borrower, ThirdParty, resolve_target, third_party
from collectui.domain.policy import Policy, PolicyTable
from collectui.domain.portfolio.plan_hold import check_plan_active
from collectui.domain.said import Said, said
from collectui.domain.sms.notice import check_sms_notice
from collectui.domain.staff.certification import check_certified
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

__all__ = ["DEBTOR", "GateFacts", "GateResult", "RuleHit", "evaluate", "resolve_target"]
# Policy tables under [rules] that are not gate rules.
NOT_GATE_RULES = ("note_scan",)


@dataclass
class GateFacts:
    """What a rule may look at. ``raw`` is open (inside the caller's transaction when logging)."""

    raw: RawConnection
    policy: Policy
    customer: Borrower
    contact: ThirdParty | None  # None: the borrower's own number; relation "self": another of her numbers
    phone: str
    user_id: int | None  # None: a machine's API token asking (rules then judge its role)
    role: str | None
    at: datetime  # in the policy time zone

    @property
    def third_party(self) -> bool:
        """The number dialled reaches someone other than the borrower."""
        return third_party(self.contact)

    @property
    def expired_before(self) -> str:
        """Started attempts older than this (UTC text) were abandoned: they count as unanswered."""
        return expiry_cutoff(self.policy, self.at)

    @property
    def day_bounds(self) -> tuple[str, str]:
        return day_bounds(self.at)

    def scalar(self, sql: str, *params: object) -> object:
        """The first column of the first row, or None: a driver value (int, float, str, bytes or None)."""
        row = self.raw.execute(sql, tuple(params)).fetchone()
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
    """A rule's verdict: ``message`` in English (JSON, logs, the audit trail); ``key`` and ``values`` for the
    faces to say it in the reader's language (``domain.said``; an empty key: only the English exists)."""

    rule: str
    message: str
    key: str = field(default="", compare=False)
    values: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

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


# A rule's reason: a ``Said`` (key, values, English) or, for a rule not yet translated, English text.
Check = Callable[[GateFacts, PolicyTable], "Said | str | None"]


LEVELS = ("customer", "number", "caller", "moment")


@dataclass
class Rule:
    id: str
    check: Check
    level: str  # one of LEVELS
    warning: bool = False  # a warning never refuses


RULES: dict[str, Rule] = {}


def register(rule_id: str, check: Check, level: str, warning: bool = False) -> None:
    if level not in LEVELS:
        raise ValueError(f"rule {rule_id}: level {level!r} is not one of {LEVELS}")
    RULES[rule_id] = Rule(rule_id, check, level, warning)


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


def call_window(f: GateFacts, cfg: PolicyTable) -> Said | None:
    return outside_window(f.customer.consent_hours, f.at, cfg)


def outside_window(consent_hours: str | None, at: datetime, cfg: PolicyTable) -> Said | None:
    """Why a call at ``at`` (policy zone) falls outside the window (the agreed hours if any), or None."""
    start, end = cfg["start"], cfg["end"]
    agreed = consent_window(consent_hours)
    if agreed:
        start, end = agreed
    now = at.hour * 60 + at.minute
    s, e = _minutes(start), _minutes(end)
    inside = s <= now < e if s < e else (now >= s or now < e)  # a consent may run past midnight
    if inside:
        return None
    source = "the borrower's agreed hours" if agreed else "the permitted hours"
    return said(
        "gate.call_window.agreed" if agreed else "gate.call_window",
        f"local time {at:%H:%M} is outside {source} {start}-{end} ({at.tzinfo})",
        time=f"{at:%H:%M}",
        start=start,
        end=end,
        zone=str(at.tzinfo),
    )


def invalid_number(f: GateFacts, cfg: PolicyTable) -> Said | None:
    if f.contact is None and f.customer.phone_invalid:
        return said(
            "gate.invalid_number.own",
            "the borrower's number is marked invalid (an import or a supervisor can change that)",
        )
    if f.contact is not None and f.contact.phone_invalid:
        return said("gate.invalid_number", "this number is marked invalid (an import or a supervisor can change that)")
    return None


def daily_attempts(f: GateFacts, cfg: PolicyTable) -> Said | None:
    lo, hi = f.day_bounds
    # Unanswered: logged so, cancelled after the number was shown, or started and abandoned (domain.attempts).
    count = f.count(
        f"SELECT count(*) FROM call_attempt WHERE phone = ? AND started_at >= ? AND started_at < ? "
        f"AND {UNANSWERED_ATTEMPT}",
        f.phone,
        lo,
        hi,
        f.expired_before,
    )
    if count >= cfg["max"]:
        return said(
            "gate.daily_attempts",
            f"already {count} unanswered attempts today to this number (at most {cfg['max']} a day)",
            count=count,
            max=cfg["max"],
        )
    return None


def daily_conversations(f: GateFacts, cfg: PolicyTable) -> Said | None:
    if f.third_party:  # a third-party call is not a conversation with the borrower
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
        return said(
            "gate.daily_conversations",
            f"already {count} conversations with this borrower today, all staff together (at most {cfg['max']} a day)",
            count=count,
            max=cfg["max"],
        )
    return None


def do_not_call(f: GateFacts, cfg: PolicyTable) -> Said | None:
    if f.customer.do_not_call:
        return said("gate.do_not_call", "the borrower asked not to be called")
    if f.contact is not None and f.contact.refused_calls:
        return said("gate.do_not_call.contact", "this contact refused further calls")
    return None


def dispute_hold(f: GateFacts, cfg: PolicyTable) -> Said | None:
    found = f.scalar("SELECT id FROM dispute WHERE customer_id = ? AND status = 'open' LIMIT 1", f.customer.customer_id)
    if not found:
        return None
    return said("gate.dispute_hold", f"open dispute #{found}: no collection calls until it is resolved", id=found)


def complaint_hold(f: GateFacts, cfg: PolicyTable) -> Said | None:
    found = f.scalar(
        "SELECT id FROM complaint WHERE customer_id = ? AND hold_active = 1 LIMIT 1", f.customer.customer_id
    )
    if not found:
        return None
    return said(
        "gate.complaint_hold",
        f"open collection complaint #{found}: calls on hold until a supervisor clears it",
        id=found,
    )


def promise_pending(f: GateFacts, cfg: PolicyTable) -> Said | None:
    due = f.scalar(
        "SELECT min(due_date) FROM promise WHERE customer_id = ? AND status = 'open' AND due_date >= ?",
        f.customer.customer_id,
        f.at.date().isoformat(),
    )
    if not due:
        return None
    return said("gate.promise_pending", f"an open promise to pay is due {due}; wait until its date has passed", due=due)


def third_party_not_allowed(f: GateFacts, cfg: PolicyTable) -> Said | None:
    if not f.third_party or f.customer.phone_invalid:
        return None
    need = cfg["failed_attempts"]
    # The latest attempts on the borrower's own numbers: logged, cancelled after the number was shown, or
    # abandoned; the run of failures ends at the last one that reached her.
    rows = f.raw.execute(
        "SELECT right_party FROM call_attempt WHERE customer_id = ? "
        f"AND {own_numbers_sql()} AND (status IN ('logged', 'cancelled') OR (status = 'started' AND started_at <= ?)) "
        "AND started_at <= ? ORDER BY started_at DESC LIMIT ?",
        (f.customer.customer_id, f.expired_before, utc_text(f.at), need),
    ).fetchall()
    failed = 0
    for (right_party,) in rows:
        if right_party:
            break
        failed += 1
    if failed >= need:
        return None
    return said(
        "gate.third_party_not_allowed",
        f"the borrower is still reachable ({failed} failed attempts in a row on their own number; "
        f"third parties only after {need}, or when the number is invalid)",
        failed=failed,
        need=need,
    )


def vulnerable_senior_only(f: GateFacts, cfg: PolicyTable) -> Said | None:
    if f.customer.vulnerable and f.role not in cfg["roles"]:
        roles = " or ".join(cfg["roles"])
        return said("gate.vulnerable_senior_only", f"a vulnerable borrower: only {roles} may call", roles=roles)
    return None


def in_call(f: GateFacts, cfg: PolicyTable) -> Said | None:
    since = utc_text(f.at - timedelta(minutes=cfg["minutes"]))
    row = f.raw.execute(
        "SELECT started_at FROM call_attempt WHERE customer_id = ? AND status = 'started' "
        "AND started_at > ? AND started_at <= ? AND user_id != ? ORDER BY started_at DESC LIMIT 1",
        (f.customer.customer_id, since, utc_text(f.at), f.user_id if f.user_id is not None else -1),
    ).fetchone()
    if row is None:
        return None
    ago = max(0, int((f.at - datetime.fromisoformat(row[0])).total_seconds() // 60))
    return said("gate.in_call", f"another collector started a call with this borrower {ago} min ago", minutes=ago)


def cycle_interval(f: GateFacts, cfg: PolicyTable) -> Said | None:
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
        return said(
            "gate.cycle_interval",
            f"a new collection cycle {gap} days after the last call (the policy asks for {cfg['days']})",
            gap=gap,
            days=cfg["days"],
        )
    return None


register("call_window", call_window, "moment")
register("invalid_number", invalid_number, "number")
# Per number; the list mirrors it as "every number the borrower has is used up for today".
register("daily_attempts", daily_attempts, "number")
register("daily_conversations", daily_conversations, "customer")
register("do_not_call", do_not_call, "customer")  # the borrower's own request; a contact's refusal rides along
register("dispute_hold", dispute_hold, "customer")
register("complaint_hold", complaint_hold, "customer")
register("promise_pending", promise_pending, "customer")
register("plan_active", check_plan_active, "customer")  # an active payment plan being kept (portfolio.plan_hold)
register("third_party_not_allowed", third_party_not_allowed, "number")
register("vulnerable_senior_only", vulnerable_senior_only, "caller")
# The collector who started the call may go on; everyone else waits: about the caller.
register("in_call", in_call, "caller")
# Only staff certified by training call real borrowers (staff.certification).
register("certified", check_certified, "caller")
register("cycle_interval", cycle_interval, "customer", warning=True)
# A reminder SMS before the first call of a collection cycle.
register("sms_notice", check_sms_notice, "customer")


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
                    "gate.unknown_rule",
                )
            )
            continue
        found = rule.check(facts, cfg)
        if found:
            hit = (
                RuleHit(rule_id, found.text, found.key, found.values)
                if isinstance(found, Said)
                else RuleHit(rule_id, found)
            )
            (result.warnings if rule.warning else result.reasons).append(hit)
    return result
