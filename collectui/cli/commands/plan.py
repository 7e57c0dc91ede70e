"""`collectui plan ...`: payment plans (协商还款): propose, approve or reject, cancel, list."""

from __future__ import annotations

from collections.abc import Callable

import typer

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.cli.output import Format, emit_rows
from collectui.cli.values import MAX_ID
from collectui.domain.cases import plan_views
from collectui.domain.cases import plans as plans_svc
from collectui.domain.context import Ctx
from collectui.domain.errors import UsageError
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.money import fmt_fen, fmt_fen_grouped

plan_app = typer.Typer(
    help="Payment plans: dated instalments for a borrower who cannot pay at once.", no_args_is_help=True
)

TABLE_COLUMNS = ["id", "customer_id", "name", "status", "instalments", "total", "paid", "next", "proposed_by"]
CSV_COLUMNS = [*TABLE_COLUMNS[:-1], "proposed_on", "proposed_by", "decided_by", "reason"]
LIST_STATUSES = ("proposed", "active", "rejected", "kept", "broken", "cancelled")


@plan_app.command("propose")
def plan_propose(
    ctx: typer.Context,
    customer_id: str = typer.Argument(...),
    instalment: list[str] = typer.Option(
        ..., "--instalment", help="DATE:AMOUNT in yuan, e.g. 2026-12-15:500 (2 to 24 of them, one option each)."
    ),
    call: int | None = typer.Option(
        None, "--call", min=1, max=MAX_ID, help="The call the plan was agreed on: its day starts the plan."
    ),
) -> None:
    """Propose a plan. Within the policy's threshold it takes effect at once; above it, a supervisor other
    than you approves it (`plan approve`). An active plan holds collection calls while it is kept."""
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    result = plans_svc.propose_plan(c, actor, customer_id, list(instalment), call)
    what = lang.t("cli.plan.active" if result.status == "active" else "cli.plan.waits")
    total = fmt_fen_grouped(result.total_fen)
    words = lang.t("cli.plan.proposed", id=result.plan_id, n=len(instalment), total=total, day=result.plan_day)
    out.print(words + what, markup=False)


def _decision(name: str, fn: Callable[[Ctx, Actor, int, str | None], None], doc: str, done: str) -> None:
    def command(
        ctx: typer.Context,
        plan_id: int = typer.Argument(..., min=1, max=MAX_ID),
        reason: str | None = typer.Option(None, "--reason", help="Why (kept with the plan and in the audit trail)."),
    ) -> None:
        st = state(ctx)
        c = st.ctx()
        fn(c, st.actor(), plan_id, reason)
        out.print(lang.t(f"cli.plan.{done}", id=plan_id), markup=False)

    command.__doc__ = doc
    plan_app.command(name)(command)


_decision(
    "approve",
    plans_svc.approve_plan,
    "Approve a proposed plan (supervisor/admin; not your own): it takes effect now.",
    "approved",
)
_decision(
    "reject",
    plans_svc.reject_plan,
    "Reject a proposed plan (supervisor/admin; not your own); another plan may then be proposed.",
    "rejected",
)
_decision(
    "cancel",
    plans_svc.cancel_plan,
    "End a proposed or active plan (supervisor/admin), for example to agree a new one; calls may resume.",
    "cancelled",
)


@plan_app.command("list")
def plan_list(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--status", help=" | ".join(LIST_STATUSES)),
    customer: str | None = typer.Option(None, "--customer", help="Only this customer."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """Plans, newest first (your branch's for a collector or supervisor). A completed plan shows as kept."""
    if status is not None and status not in LIST_STATUSES:
        known = ", ".join(LIST_STATUSES)
        english = f"--status: expected one of {known}, got {status!r}"
        raise UsageError(said("cli.err.plan_status", english, known=known, value=repr(status)))
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    views = plan_views.list_plans(c, actor, status=status, customer_id=customer)
    if fmt is Format.json:
        emit_rows([v.to_json() for v in views], [], fmt)
        return
    rows: list[dict[str, object]] = []
    for v in views:
        nxt = v.next_open
        rows.append(
            {
                "id": v.id,
                "customer_id": v.customer_id,
                "name": v.name,
                "status": v.shown_status,
                "proposed_on": v.proposed_at.date().isoformat(),
                "proposed_by": v.proposed_by or "",
                "decided_by": v.decided_by or "",
                "instalments": len(v.instalments),
                "total": fmt_fen(v.total_fen),
                "paid": fmt_fen(v.paid_fen),
                "next": f"{nxt.due_date} {_amount(nxt.amount_fen, fmt)}" if nxt else "",
                "reason": v.decision_reason or "",
            }
        )
    # The table keeps what a supervisor scans for; CSV has every column, JSON the instalments too.
    cols = TABLE_COLUMNS if fmt is Format.table else CSV_COLUMNS
    emit_rows(rows, cols, fmt, title=lang.t("cli.plan.title"), money=("total", "paid"))


def _amount(fen: int, fmt: Format) -> str:
    """'¥1,234.50' in a table, as the app shows money; '1234.50' in CSV, for spreadsheets."""
    return fmt_fen_grouped(fen) if fmt is Format.table else fmt_fen(fen)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
