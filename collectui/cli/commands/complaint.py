"""`collectui complaint ...`: complaints with deadlines, decisions and collection holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import typer
from rich.text import Text

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.cli.output import Format, emit_rows
from collectui.cli.values import MAX_ID, parse_at
from collectui.domain.context import Ctx
from collectui.domain.staff.actor import Actor
from collectui.domain.voice import complaints as complaints_svc

complaint_app = typer.Typer(help="Complaints: deadlines, decisions, collection holds.", no_args_is_help=True)


@complaint_app.command("open")
def complaint_open(
    ctx: typer.Context,
    customer_id: str = typer.Argument(...),
    about: str = typer.Option(..., "--about", help="collection | service | other"),
    text: str = typer.Option(..., "--text", help="The complaint in the customer's words."),
    call: int | None = typer.Option(None, "--call", min=1, max=MAX_ID, help="The call complained about."),
    collector: str | None = typer.Option(None, "--collector", help="The collector complained about."),
    at: str | None = typer.Option(None, "--at", help="When it was made (ISO 8601; default now)."),
) -> None:
    """Open a complaint; one about collection puts the borrower on complaint_hold at once."""
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    cid = complaints_svc.open_complaint(c, actor, customer_id, about, text, call, collector, parse_at(at, c.clock.tz))
    view = complaints_svc.list_complaints(c, customer_id=customer_id, actor=actor)
    due = next((v.due_on for v in view if v.id == cid), None)
    hold = lang.t("cli.complaint.on_hold") if about in c.policy["complaints.hold_about"] else ""
    out.print(lang.t("cli.complaint.opened", id=cid, due=due, hold=hold), markup=False)


def _step(
    name: str,
    fn: Callable[[Ctx, Actor, int, str | None, datetime | None], None],
    doc: str,
    reason_help: str = "Why / what was decided.",
) -> None:
    def command(
        ctx: typer.Context,
        complaint_id: int = typer.Argument(..., min=1, max=MAX_ID),
        reason: str | None = typer.Option(None, "--reason", help=reason_help),
        at: str | None = typer.Option(None, "--at", help="When (ISO 8601; default now)."),
    ) -> None:
        st = state(ctx)
        c = st.ctx()
        fn(c, st.actor(), complaint_id, reason, parse_at(at, c.clock.tz))
        out.print(lang.t(f"cli.complaint.{name}", id=complaint_id), markup=False)

    command.__doc__ = doc
    complaint_app.command(name)(command)


_step("ack", complaints_svc.acknowledge, "Acknowledge receipt of a complaint.")


_step("resolve", complaints_svc.resolve, "Decide: resolved (supervisor/admin). Does not clear a hold.")


_step("reject", complaints_svc.reject, "Decide: rejected, with --reason (supervisor/admin). Does not clear a hold.")


_step("close", complaints_svc.close, "Close a decided complaint (supervisor/admin).")


@complaint_app.command("extend")
def complaint_extend(
    ctx: typer.Context,
    complaint_id: int = typer.Argument(..., min=1, max=MAX_ID),
    reason: str = typer.Option(..., "--reason", help="Why the case needs longer."),
) -> None:
    """Extend the decision deadline once, to 30 days after opening (complex case; supervisor/admin)."""
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    complaints_svc.extend(c, actor, complaint_id, reason)
    due = next(v.due_on for v in complaints_svc.list_complaints(c, actor=actor) if v.id == complaint_id)
    out.print(lang.t("cli.complaint.extended", id=complaint_id, due=due), markup=False)


@complaint_app.command("clear-hold")
def complaint_clear_hold(
    ctx: typer.Context,
    complaint_id: int = typer.Argument(..., min=1, max=MAX_ID),
    reason: str = typer.Option(..., "--reason", help="Why calls may resume."),
    at: str | None = typer.Option(None, "--at", help="When (ISO 8601; default now)."),
) -> None:
    """Lift the collection hold of a complaint (supervisor/admin only; collectors are refused)."""
    st = state(ctx)
    c = st.ctx()
    complaints_svc.clear_hold(c, st.actor(), complaint_id, reason, parse_at(at, c.clock.tz))
    out.print(lang.t("cli.complaint.hold_cleared", id=complaint_id), markup=False)


@complaint_app.command("list")
def complaint_list(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--status", help="open | acknowledged | resolved | rejected | closed"),
    customer: str | None = typer.Option(None, "--customer", help="Only this customer."),
    open_only: bool = typer.Option(False, "--open", help="Only undecided complaints or active holds."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """Complaints ordered by deadline; overdue ones are flagged."""
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    views = complaints_svc.list_complaints(c, status=status, customer_id=customer, open_only=open_only, actor=actor)
    rows: list[dict[str, object]] = [
        {
            "id": v.id,
            "customer_id": v.customer_id,
            "name": v.name,
            "about": v.about,
            "status": v.status,
            "opened_on": v.opened_on.isoformat(),
            "due_on": v.due_on.isoformat(),
            "days_left": v.days_left,
            "overdue": v.overdue,
            "extended": v.extended,
            "hold": v.hold_active,
            "collector": v.collector,
            "text": v.text,
        }
        for v in views
    ]
    if fmt is Format.table:  # CSV cells are made spreadsheet-safe by emit_rows (domain/exporting.py)
        for r in rows:
            if r["overdue"]:
                r["due_on"] = Text(f"{r['due_on']} {lang.t('rpt.value.OVERDUE')}", style="bold red")
            if lang.lang() == "zh":  # the subject (as the dashboard names it) and the status by name
                about, status = lang.t(f"db.about.{r['about']}"), lang.t(f"cli.complaint.status.{r['status']}")
                r["about"] = r["about"] if about.startswith("db.about.") else about
                r["status"] = r["status"] if status.startswith("cli.complaint.") else status
    cols = [
        "id",
        "customer_id",
        "name",
        "about",
        "status",
        "opened_on",
        "due_on",
        "days_left",
        "overdue",
        "extended",
        "hold",
        "collector",
    ]
    # "overdue" here is past the answer deadline, not an overdue amount (field.overdue): its own header.
    headers = {"overdue": lang.t("cli.complaint.overdue")}
    title = lang.t("cli.complaint.title")
    emit_rows(rows, cols + (["text"] if fmt is not Format.table else []), fmt, title=title, headers=headers)


def register(app: typer.Typer) -> None:
    app.add_typer(complaint_app, name="complaint")
