"""`collectui dispute ...`: disputes with a due day for the bank's answer, resolved by a supervisor."""

from __future__ import annotations

import typer
from rich.text import Text

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.cli.output import Format, emit_rows
from collectui.cli.values import MAX_ID, parse_at
from collectui.domain.errors import UsageError
from collectui.domain.said import said

dispute_app = typer.Typer(help="Disputes: the borrower says the debt is wrong; the bank checks and answers.")

# The table fits a branch PC's 80 columns; JSON and CSV carry every field.
TABLE_COLUMNS = ["id", "customer_id", "name", "reason_code", "status", "due_on", "days_left"]
COLUMNS = [
    "id",
    "customer_id",
    "name",
    "branch",
    "reason_code",
    "status",
    "opened_on",
    "due_on",
    "days_left",
    "overdue",
    "opened_by",
    "call_id",
    "resolved_on",
    "resolved_by",
    "in_time",
    "told_by",
    "resolution",
]


@dispute_app.command("list")
def dispute_list(
    ctx: typer.Context,
    status: str | None = typer.Option(
        None, "--status", help="open | overdue | resolved | resolved_upheld | resolved_rejected"
    ),
    customer: str | None = typer.Option(None, "--customer", help="Only this borrower."),
    branch: str | None = typer.Option(None, "--branch", help="Only this branch (yours, if you are bound to one)."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """Disputes: open ones by due day (overdue ones flagged), then resolved ones, latest first."""
    from collectui.domain.cases import disputes

    if status is not None and status not in disputes.STATUS_FILTERS:
        known = ", ".join(disputes.STATUS_FILTERS)
        english = f"--status {status}: expected one of {known}"
        raise UsageError(said("cli.err.status", english, option="--status", value=status, known=known))
    st = state(ctx)
    c = st.ctx()
    views = disputes.list_disputes(c, st.actor(), status=status, branch=branch, customer_id=customer)
    tz = c.clock.tz
    rows: list[dict[str, object]] = [
        {
            "id": v.id,
            "customer_id": v.customer_id,
            "name": v.name,
            "branch": v.branch,
            "reason_code": v.reason_code,
            "status": v.status,
            "opened_on": v.opened_on.isoformat(),
            "due_on": v.due_on.isoformat(),
            "days_left": v.days_left,
            "overdue": v.overdue,
            "opened_by": v.opened_by,
            "call_id": v.call_id,
            "resolved_on": v.resolved_at.astimezone(tz).date().isoformat() if v.resolved_at else None,
            "resolved_by": v.resolved_by,
            "in_time": v.in_time,
            "told_by": v.told_by,
            "resolution": v.resolution,
        }
        for v in views
    ]
    if fmt is Format.table:  # CSV cells are made spreadsheet-safe by emit_rows
        for r in rows:
            if r["overdue"]:
                r["due_on"] = Text(f"{r['due_on']} {lang.t('rpt.value.OVERDUE')}", style="bold red")
            if lang.lang() == "zh":  # the codes by name, as the app's dispute screen shows them
                r["reason_code"] = lang.t(f"dsp.reason.{r['reason_code'] or 'none'}")
                r["status"] = lang.t(f"dsp.status.{r['status']}")
    headers = {"reason_code": lang.t("field.reason")} if fmt is Format.table and lang.lang() == "zh" else None
    title = lang.t("cli.dispute.title")
    emit_rows(rows, TABLE_COLUMNS if fmt is Format.table else COLUMNS, fmt, title=title, headers=headers)


@dispute_app.command("resolve")
def dispute_resolve(
    ctx: typer.Context,
    dispute_id: int = typer.Argument(..., min=1, max=MAX_ID),
    upheld: bool = typer.Option(False, "--upheld", help="The borrower was right: say what was corrected."),
    rejected: bool = typer.Option(False, "--rejected", help="The debt stands: say why."),
    reason: str = typer.Option(..., "--reason", help="What was corrected, or why the debt stands."),
    at: str | None = typer.Option(None, "--at", help="When it was decided (ISO 8601; default now)."),
    told_by: str = typer.Option("letter", "--told-by", help="How the borrower is told: letter | sms."),
) -> None:
    """Resolve an open dispute (supervisor/admin); the dispute_hold lifts at once.

    --rejected --told-by sms queues the dispute_answer SMS (no name in it; `collectui sms send` sends it).
    """
    from collectui.domain.cases import disputes

    if upheld == rejected:
        raise UsageError(said("cli.err.upheld_or_rejected", "say either --upheld or --rejected"))
    if told_by not in disputes.TOLD_BY:
        english = f"--told-by {told_by}: expected letter or sms"
        raise UsageError(said("cli.err.told_by", english, value=told_by))
    st = state(ctx)
    c = st.ctx()
    result = disputes.resolve_dispute(c, st.actor(), dispute_id, upheld, reason, parse_at(at, c.clock.tz), told_by)
    late = lang.t("cli.dispute.late") if result.late else ""
    status = lang.t(f"dsp.status.{result.status}") if lang.lang() == "zh" else result.status
    words = lang.t("cli.dispute.resolved", id=dispute_id, status=status, late=late, customer=result.customer_id)
    out.print(words, markup=False)
    if result.sms_message_id:
        out.print(lang.t("cli.dispute.sms", id=result.sms_message_id, text=result.sms_text), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(dispute_app, name="dispute", no_args_is_help=True)
