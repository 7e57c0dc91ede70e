"""`collectui hours`: set or clear the hours a borrower agreed to be called in (supervisor/admin)."""

from __future__ import annotations

import typer

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.domain.errors import UsageError
from collectui.domain.portfolio import contacts as contacts_svc
from collectui.domain.said import said


def hours(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The borrower."),
    set_: str | None = typer.Option(
        None, "--set", help="Agreed hours HH:MM-HH:MM (20:00-09:00 runs past midnight); they replace the call window."
    ),
    clear: bool = typer.Option(False, "--clear", help="Remove the agreed hours: the policy's call window applies."),
    reason: str = typer.Option(..., "--reason", help="Why (no numbers in it)."),
) -> None:
    """Set or clear a borrower's agreed call hours (supervisor/admin); audited."""
    if (set_ is None) == (not clear) or (set_ is not None and not set_.strip()):
        raise UsageError(said("cli.err.set_or_clear", "say one of --set HH:MM-HH:MM or --clear"))
    st = state(ctx)
    stored = contacts_svc.set_consent_hours(st.ctx(), st.actor(), customer_id, set_ if not clear else None, reason)
    if stored:
        out.print(lang.t("cli.hours.set", customer=customer_id, hours=stored), markup=False)
    else:
        out.print(lang.t("cli.hours.cleared", customer=customer_id), markup=False)


def register(app: typer.Typer) -> None:
    app.command("hours")(hours)
