"""`collectui call log|refusals`: record a call made outside the TUI; the day's refused attempts.

Exit codes: 0 saved, 3 refused by the gate, 1 invalid (every problem listed) or error.
"""

from __future__ import annotations

import typer
from rich.markup import escape

from collectui.cli import lang
from collectui.cli.commands.check import rule_label
from collectui.cli.common import err, out, state
from collectui.cli.output import Format, emit_json, emit_rows
from collectui.cli.values import amount_option, parse_at, parse_day, split_items
from collectui.domain.calls.gate import DEBTOR
from collectui.domain.calls.outcomes import CHECK_ITEMS, OUTCOMES
from collectui.domain.calls.record import (
    DISPUTE_REASONS,
    CallInput,
    cancel_call,
    log_call,
    start_call,
    unfinished_calls,
)
from collectui.domain.calls.refusals import refusals_on
from collectui.tui.widgets.call.verdict import hit_text
from collectui.tui.wording import rule_name

CHECK_HELP = f"Checklist items, comma-separated, repeatable: {', '.join(CHECK_ITEMS)}."
call_app = typer.Typer(help="Call records: log a call made outside the TUI (diallers, scripts).", no_args_is_help=True)


@call_app.command("log")
def log_cmd(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The borrower's customer_id."),
    outcome: str = typer.Option(..., "--outcome", help=f"One of: {', '.join(OUTCOMES)}."),
    contact: str = typer.Option(DEBTOR, "--contact", help="'debtor' (own numbers) or a contact_id."),
    check: list[str] | None = typer.Option(None, "--check", help=CHECK_HELP),
    recording: str | None = typer.Option(None, "--recording", help="Recording reference (id or file name)."),
    notes: str | None = typer.Option(None, "--notes", help="Notes (scanned for forbidden phrases)."),
    promise_amount: str | None = typer.Option(None, "--promise-amount", help="Promised amount in yuan."),
    promise_date: str | None = typer.Option(None, "--promise-date", help="Promised date YYYY-MM-DD."),
    callback_at: str | None = typer.Option(
        None, "--callback-at", help="Outcome callback: when, 'YYYY-MM-DD HH:MM' or 'HH:MM' on the call's day."
    ),
    dispute_reason: str | None = typer.Option(
        None, "--dispute-reason", help=f"Outcome dispute: why, one of {', '.join(DISPUTE_REASONS)}."
    ),
    started: int | None = typer.Option(
        None, "--call", help="Record a call you started with `call start` (or left unrecorded in the TUI)."
    ),
    at: str | None = typer.Option(
        None,
        "--at",
        help="When the call started (ISO 8601); default now. At most calls.late_entry_minutes ago (policy, default 60), "
        "never before the borrower's latest recorded event.",
    ),
    late_reason: str | None = typer.Option(
        None,
        "--late-reason",
        help="A late entry (--at earlier than the policy allows): the supervisor's reason. Supervisors only; "
        "marked late and counted in `report compliance`.",
    ),
    collector: str | None = typer.Option(
        None,
        "--collector",
        help="Who made the call, when a machine logs it with an API token (COLLECTUI_TOKEN) or a supervisor "
        "makes a late entry for them.",
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json"),
) -> None:
    """Record a call you made. Exit 0 saved (prints the call id), 3 refused by the gate, 1 invalid."""
    st = state(ctx)
    c = st.ctx()
    actor = st.actor()
    data = CallInput(
        customer_id=customer_id,
        outcome=outcome,
        contact=contact,
        checklist=split_items(check),
        recording_ref=recording,
        notes=notes,
        promise_amount=amount_option(promise_amount, "--promise-amount"),
        promise_date=promise_date,
        at=parse_at(at, c.policy.tz),
        late_reason=late_reason,
        callback_at=callback_at,
        dispute_reason=dispute_reason,
    )
    if started is not None and (at is not None or collector is not None):
        raise typer.BadParameter("--call records a started call as it started: no --at or --collector with it")
    result = log_call(c, actor, data, started_call_id=started, source="cli", collector=collector)
    if fmt is Format.json:
        emit_json(result.to_json())
    elif result.saved:
        out.print(lang.t("cli.call.saved", id=result.call_id), markup=False)
        for w in result.warnings:
            out.print(f"  [yellow]! {escape(rule_label(w.rule))}[/]{escape(hit_text(w, lang.t))}", markup=True)
    else:
        if result.reasons:
            err.print(lang.t("cli.call.refused", attempt=result.refused_attempt_id), markup=False)
            for r in result.reasons:
                err.print(f"  {rule_label(r.rule)}{hit_text(r, lang.t)}", markup=False)
        if result.problems:
            err.print(lang.t("cli.call.not_saved" if not result.reasons else "cli.call.also"), markup=False)
            for p in result.problems:
                err.print(f"  {p.field}: {p.message}", markup=False)
    raise typer.Exit(result.exit_code)


@call_app.command("start")
def start_cmd(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The borrower's customer_id."),
    contact: str = typer.Option(DEBTOR, "--contact", help="'debtor' (own numbers) or a contact_id."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json"),
) -> None:
    """Start a call (a dialler's path): the gate, then the full number for this call only (audited).

    Exit 0 started (record it with `call log --call ID`, or `call cancel ID`), 3 refused by the gate."""
    st = state(ctx)
    result = start_call(st.ctx(), st.actor(), customer_id, contact, source="cli")
    allowed = result.gate.allowed
    if fmt is Format.json:
        emit_json({**result.gate.to_json(), "call_id": result.call_id, "phone": result.phone if allowed else None})
    elif allowed:
        out.print(lang.t("cli.call.started", id=result.call_id, phone=result.phone), markup=False)
        for w in result.gate.warnings:
            out.print(f"  ! {rule_label(w.rule)}{hit_text(w, lang.t)}", markup=False)
    else:
        err.print(lang.t("cli.call.refused", attempt=result.call_id), markup=False)
        for r in result.gate.reasons:
            err.print(f"  {rule_label(r.rule)}{hit_text(r, lang.t)}", markup=False)
    raise typer.Exit(0 if allowed else 3)


@call_app.command("cancel")
def cancel_cmd(
    ctx: typer.Context,
    call_id: int = typer.Argument(..., help="The started call's id (from `call start` or the TUI)."),
) -> None:
    """End a started call without a record: the borrower is free for others at once; the attempt counts as
    unanswered (the number was shown) until you record it with `call log --call ID`."""
    st = state(ctx)
    result = cancel_call(st.ctx(), st.actor(), call_id, source="cli")
    out.print(lang.t("cli.call.cancelled", id=result.call_id), markup=False)


@call_app.command("unfinished")
def unfinished_cmd(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """Your calls that ended without a record (open, abandoned or cancelled): record them with `call log --call ID`."""
    st = state(ctx)
    rows = [
        {
            "call_id": u.call_id,
            "customer_id": u.customer_id,
            "name": u.name_masked,
            "contact": u.contact,
            "started_at": u.started_at.isoformat(timespec="minutes"),
            "state": u.state,
        }
        for u in unfinished_calls(st.ctx(), st.actor())
    ]
    if fmt is Format.table:  # the state in the person's language; CSV and JSON keep the code
        for row in rows:
            row["state"] = lang.t(f"unf.state.{row['state']}")
            row["contact"] = lang.t("cli.check.debtor") if row["contact"] == DEBTOR else row["contact"]
    columns = ["call_id", "customer_id", "name", "contact", "started_at", "state"]
    emit_rows(rows, columns, fmt, title=lang.t("cli.call.unfinished_title"))


@call_app.command("refusals")
def refusals_cmd(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--day", help="Local day YYYY-MM-DD; default today."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """How many attempts the gate refused on a day, per rule."""
    st = state(ctx)
    summary = refusals_on(st.ctx(), st.actor(), parse_day(day, "--day"))
    rows: list[dict[str, object]] = [{"rule": rule, "count": count} for rule, count in summary.per_rule]
    if fmt is Format.table and lang.lang() == "zh":  # the rule's name; English shows the id (the policy key)
        rows = [{**row, "rule": rule_name(lang.t, str(row["rule"]))} for row in rows]
    title = lang.t("cli.call.refusals_title", day=summary.day, total=summary.total)
    emit_rows(rows, ["rule", "count"], fmt, title=title)


def register(app: typer.Typer) -> None:
    app.add_typer(call_app, name="call")
