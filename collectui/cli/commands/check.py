"""`collectui check`: ask the call gate whether a person may be called now (and how a gate verdict reads).

Exit codes: 0 allowed, 3 refused by the gate, 1 error.
"""

from __future__ import annotations

import typer
from rich.markup import escape

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.cli.output import Format, emit_json
from collectui.cli.values import parse_at
from collectui.domain.calls.checking import check_call
from collectui.domain.calls.gate import DEBTOR, GateResult
from collectui.tui.widgets.call.verdict import hit_text
from collectui.tui.wording import rule_name

EXIT_REFUSED = 3


def print_gate(result: GateResult, title: str) -> None:
    """The verdict and each reason in the run's language (cli.lang); rule ids stay as codes."""
    if result.allowed:
        out.print(f"[bold green]{escape(lang.t('cli.check.allowed', title=title))}[/]")
    else:
        out.print(f"[bold red]{escape(lang.t('cli.check.refused', title=title))}[/]")
    for r in result.reasons:
        out.print(f"  [red]✗ {escape(rule_label(r.rule))}[/]{escape(hit_text(r, lang.t))}", markup=True)
    for w in result.warnings:
        out.print(f"  [yellow]! {escape(rule_label(w.rule))}[/]{escape(hit_text(w, lang.t))}", markup=True)


def rule_label(rule: str) -> str:
    """'sms_notice: ' in English (the id names the policy key); the rule's name and '：' in Chinese."""
    return lang.t("cli.check.rule", rule=rule_name(lang.t, rule) if lang.lang() == "zh" else rule)


def check_cmd(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The borrower's customer_id."),
    contact: str = typer.Option(DEBTOR, "--contact", help="'debtor' (own numbers) or a contact_id."),
    at: str | None = typer.Option(None, "--at", help="ISO 8601 time; no offset = the policy time zone."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json"),
) -> None:
    """Ask the call gate whether this person may be called now, for you. Exit 0 allowed, 3 refused."""
    st = state(ctx)
    c = st.ctx()
    result = check_call(c, st.actor(), customer_id, contact, parse_at(at, c.policy.tz))
    if fmt is Format.json:
        emit_json({**result.to_json(), "policy": c.policy_version})  # the policy version that answered
    else:
        who = lang.t("cli.check.debtor") if contact == DEBTOR else contact  # a contact_id is a code
        print_gate(result, lang.t("cli.check.title", customer=customer_id, contact=who))
    raise typer.Exit(0 if result.allowed else EXIT_REFUSED)


def register(app: typer.Typer) -> None:
    app.command("check")(check_cmd)
