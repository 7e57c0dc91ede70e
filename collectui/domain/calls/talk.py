"""The talk scripts of a call: the file the policy puts in force, and the facts that choose the situation.

``conduct.scripts`` knows the file and picks situations; this module reads what a call adds: the
borrower's bucket and vulnerable flag, whether this is the first call of a collection cycle (as the
``sms_notice`` rule counts cycles: the first attempt after ``sms.cycle_gap_days`` days without one), and the
values the placeholders take (the bank and hotline of the policy, the collector's name, the overdue amount
and the oldest unpaid due date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from collectui.domain.conduct.scripts import Scripts, check_scripts, load_scripts, scripts_path
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize, authorize_customer
from collectui.money import fmt_fen_grouped
from collectui.storage.timefmt import utc_text


@dataclass(frozen=True)
class CallFacts:
    """What chooses a call's script and fills its placeholders."""

    bucket: str  # M0..M6+ of the work list ("" when the borrower is not on it)
    vulnerable: bool
    first_contact: bool  # no attempt (refused ones aside) in the sms.cycle_gap_days before this call
    reminder_sent: bool  # a reminder SMS went out (sent or delivered) in rules.sms_notice.max_age_days
    values: dict[str, str] = field(default_factory=dict)  # placeholder -> value ({bank}, {amount}, ...)

    @property
    def mention_reminder(self) -> bool:
        """The opening mentions the reminder SMS: on a cycle's first call, and only if one really went out
        (no reminder reaches a landline, an invalid number or a borrower who opted out)."""
        return self.first_contact and self.reminder_sent


def scripts_in_force(ctx: Ctx, actor: Actor) -> Scripts:
    """The scripts the policy names (``scripts.file``; the shipped file when empty), checked against its
    note-scan lists again: the file may have changed since the policy was applied. Anyone who may read the
    policy may read them (``policy.read``)."""
    authorize(ctx, actor, "policy.read")
    scripts = load_scripts(scripts_path(ctx.policy.text("scripts.file")))
    problems = check_scripts(scripts, ctx.policy)
    if problems:
        raise InvalidInput(
            said(
                "error.calls.script_banned",
                f"{scripts.path}: refused, it holds a banned phrase: {problems[0]}",
                path=str(scripts.path),
                problem=problems[0],
            ),
            problems=problems,
        )
    return scripts


def check_file(ctx: Ctx, actor: Actor, path: Path | None = None) -> tuple[Scripts | None, list[str]]:
    """(scripts, problems) of a scripts file (default: the one in force) under the policy in force: what
    ``policy apply`` would say of it, each problem on its own. ``policy.read``, like the scripts themselves."""
    authorize(ctx, actor, "policy.read")
    try:
        scripts = load_scripts(path or scripts_path(ctx.policy.text("scripts.file")))
    except InvalidInput as exc:
        return None, exc.problems
    return scripts, check_scripts(scripts, ctx.policy)


def call_facts(ctx: Ctx, actor: Actor, customer_id: str, before: datetime | None = None) -> CallFacts:
    """The facts of a call to ``customer_id`` made at ``before`` (default now): attempts from then on, the
    call's own among them, do not make it a repeat contact."""
    authorize_customer(ctx, actor, "profile.read", customer_id)
    tz = ctx.policy.tz
    at = (before or ctx.clock.now()).astimezone(tz)
    with ctx.db.raw_read() as raw:
        row = raw.execute("SELECT vulnerable FROM customer WHERE customer_id = ?", (customer_id,)).fetchone()
        if row is None:
            raise NotFound(said("error.calls.no_customer_plain", f"no customer {customer_id}", customer=customer_id))
        vulnerable = bool(row[0])
        item = raw.execute("SELECT bucket, overdue_fen FROM work_item WHERE customer_id = ?", (customer_id,)).fetchone()
        due = raw.execute(
            "SELECT min(oldest_unpaid_due) FROM loan_state WHERE customer_id = ? AND overdue_fen > 0", (customer_id,)
        ).fetchone()
        last = raw.execute(
            "SELECT max(started_at) FROM call_attempt WHERE customer_id = ? AND status != 'refused' AND started_at < ?",
            (customer_id, utc_text(at)),
        ).fetchone()
        reminded = raw.execute(
            "SELECT 1 FROM sms_message WHERE customer_id = ? AND state IN ('sent', 'delivered') "
            "AND sent_at >= ? AND sent_at <= ? LIMIT 1",
            (
                customer_id,
                utc_text(at - timedelta(days=ctx.policy.integer("rules.sms_notice.max_age_days"))),
                utc_text(at),
            ),
        ).fetchone()
        name = None
        if actor.user_id is not None:
            found = raw.execute("SELECT display_name FROM staff_user WHERE id = ?", (actor.user_id,)).fetchone()
            name = str(found[0]) if found else None
    first = True
    if last and last[0]:
        gap = (at.date() - datetime.fromisoformat(str(last[0])).astimezone(tz).date()).days
        first = gap >= ctx.policy.integer("sms.cycle_gap_days")
    values = {
        "bank": ctx.policy.text("bank_name"),
        "hotline": ctx.policy.text("hotline"),
        "collector": name or actor.name,
    }
    if item is not None:
        values["amount"] = fmt_fen_grouped(int(item[1]), symbol="")
    if due and due[0]:
        values["due_date"] = date.fromisoformat(str(due[0])).isoformat()
    return CallFacts(str(item[0]) if item else "", vulnerable, first, reminded is not None, values)
