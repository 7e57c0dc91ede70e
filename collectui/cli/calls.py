"""`collectui check`, `collectui call log`, `collectui policy show|check`: the call gate and the call record.

Exit codes: 0 allowed / saved / valid; 3 refused by the gate; 1 invalid (every problem listed) or error.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Optional

import typer

from collectui.cli.common import err, out, state
from collectui.cli.output import Format, emit_json, emit_rows
from collectui.clock import parse_datetime
from collectui.domain.calls.gate import DEBTOR, GateResult
from collectui.domain.calls.outcomes import CHECK_ITEMS, OUTCOMES
from collectui.domain.calls.record import CallInput, check_call, log_call
from collectui.domain.calls.refusals import refusals_on
from collectui.domain.errors import InvalidInput, UsageError
from collectui.domain.policy import load_policy, policy_from_dict

call_app = typer.Typer(help="Call records: log a call made outside the TUI (diallers, scripts).",
                       no_args_is_help=True)
policy_app = typer.Typer(help="The policy file: show the effective policy, check a file.", no_args_is_help=True)

EXIT_REFUSED = 3


def _at(text: str | None, tz) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_datetime(text, tz)
    except ValueError:
        raise UsageError(f"--at: expected an ISO 8601 time like 2026-11-28T21:59:00+08:00, got {text!r}") from None


def _checks(values: list[str] | None) -> list[str]:
    items: list[str] = []
    for value in values or []:
        items += [v.strip() for v in value.split(",") if v.strip()]
    return items


def _print_gate(result: GateResult, title: str) -> None:
    out.print(f"[bold green]{title}: allowed[/]" if result.allowed else f"[bold red]{title}: refused[/]")
    for r in result.reasons:
        out.print(f"  [red]✗ {r.rule}[/]: {r.message}", markup=True)
    for w in result.warnings:
        out.print(f"  [yellow]! {w.rule}[/]: {w.message}", markup=True)


def check_cmd(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The borrower's customer_id."),
    contact: str = typer.Option(DEBTOR, "--contact", help="'debtor' (own numbers) or a contact_id."),
    at: Optional[str] = typer.Option(None, "--at", help="ISO 8601 time; no offset = the policy time zone."),
    user: Optional[str] = typer.Option(None, "--user", help="The caller (role rules judge as a collector "
                                                              "without it)."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json"),
) -> None:
    """Ask the call gate whether this person may be called now. Exit 0 allowed, 3 refused."""
    c = state(ctx).ctx()
    result = check_call(c, customer_id, contact, _at(at, c.policy.tz), user)
    if fmt is Format.json:
        emit_json(result.to_json())
    else:
        _print_gate(result, f"call {customer_id} ({contact})")
    raise typer.Exit(0 if result.allowed else EXIT_REFUSED)


@call_app.command("log")
def log_cmd(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The borrower's customer_id."),
    user: str = typer.Option(..., "--user", help="The collector who made the call."),
    outcome: str = typer.Option(..., "--outcome", help=f"One of: {', '.join(OUTCOMES)}."),
    contact: str = typer.Option(DEBTOR, "--contact", help="'debtor' (own numbers) or a contact_id."),
    check: Optional[list[str]] = typer.Option(None, "--check", help="Checklist items, comma-separated, "
                                                                    f"repeatable: {', '.join(CHECK_ITEMS)}."),
    recording: Optional[str] = typer.Option(None, "--recording", help="Recording reference (id or file name)."),
    notes: Optional[str] = typer.Option(None, "--notes", help="Notes (scanned for forbidden phrases)."),
    promise_amount: Optional[str] = typer.Option(None, "--promise-amount", help="Promised amount in yuan."),
    promise_date: Optional[str] = typer.Option(None, "--promise-date", help="Promised date YYYY-MM-DD."),
    at: Optional[str] = typer.Option(None, "--at", help="When the call started (ISO 8601); default now."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json"),
) -> None:
    """Record a call. Exit 0 saved (prints the call id), 3 refused by the gate, 1 invalid."""
    c = state(ctx).ctx()
    data = CallInput(customer_id=customer_id, outcome=outcome, contact=contact, checklist=_checks(check),
                     recording_ref=recording, notes=notes, promise_amount=promise_amount,
                     promise_date=promise_date, at=_at(at, c.policy.tz))
    result = log_call(c, user, data, source="cli")
    if fmt is Format.json:
        emit_json(result.to_json())
    elif result.saved:
        out.print(f"saved call {result.call_id}")
        for w in result.warnings:
            out.print(f"  [yellow]! {w.rule}[/]: {w.message}", markup=True)
    else:
        if result.reasons:
            err.print(f"refused by the gate (attempt {result.refused_attempt_id} recorded):")
            for r in result.reasons:
                err.print(f"  {r.rule}: {r.message}", markup=False)
        if result.problems:
            err.print("not saved:" if not result.reasons else "also:")
            for p in result.problems:
                err.print(f"  {p.field}: {p.message}", markup=False)
    raise typer.Exit(result.exit_code)


@call_app.command("refusals")
def refusals_cmd(
    ctx: typer.Context,
    day: Optional[str] = typer.Option(None, "--day", help="Local day YYYY-MM-DD; default today."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """How many attempts the gate refused on a day, per rule."""
    c = state(ctx).ctx()
    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        raise UsageError(f"--day: expected YYYY-MM-DD, got {day!r}") from None
    summary = refusals_on(c, when)
    rows = [{"rule": rule, "count": count} for rule, count in summary.per_rule]
    emit_rows(rows, ["rule", "count"], fmt, title=f"refused attempts on {summary.day} ({summary.total})")


@policy_app.command("show")
def policy_show(ctx: typer.Context) -> None:
    """Print the effective policy as TOML (save it, edit it, use it with --policy)."""
    st = state(ctx)
    policy = load_policy(st.effective_policy_path)
    source = st.effective_policy_path if st.effective_policy_path.exists() else "built-in defaults"
    typer.echo(f"# collectui effective policy ({source})")
    typer.echo(policy.to_toml(), nl=False)


@policy_app.command("check")
def policy_check(file: Path = typer.Argument(..., dir_okay=False, help="The policy file to validate.")) -> None:
    """Validate a policy file: exit 0 when valid, 1 with every problem (unknown key, type, value)."""
    try:
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise InvalidInput(f"{file}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{file}: not valid TOML: {exc}") from None
    try:
        policy_from_dict(data, file)
    except InvalidInput as exc:
        problems = getattr(exc, "problems", [str(exc)])
        err.print(f"{file}: {len(problems)} problem(s)", markup=False)
        for problem in problems:
            err.print(f"  {problem}", markup=False)
        raise typer.Exit(1) from None
    out.print(f"{file}: valid")


def register(app: typer.Typer) -> None:
    app.command("check")(check_cmd)
    app.add_typer(call_app, name="call")
    app.add_typer(policy_app, name="policy")
