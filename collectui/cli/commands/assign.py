"""`collectui assign`: who calls whom. By hand, by balancing a branch, or the load per collector."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.cli.output import Format, emit_json, emit_rows
from collectui.domain.errors import UsageError
from collectui.domain.said import said
from collectui.money import fmt_fen, fmt_fen_grouped

if TYPE_CHECKING:  # the service loads with the command, not with the CLI
    from collectui.domain.cases.assignment import BalanceResult

LOAD_COLUMNS = ["branch", "collector", "active", "borrowers", "overdue_borrowers", "overdue"]
BALANCE_COLUMNS = ["collector", "borrowers_before", "borrowers_after", "overdue_before", "overdue_after"]
BALANCE_HEADERS = {"borrowers_before": "borrowers", "borrowers_after": "→ after", "overdue_before": "overdue",
                   "overdue_after": "→ after"}  # fmt: skip


def _who(username: str | None) -> str:
    return username if username is not None else lang.t("rpt.value.(unassigned)")


def assign_cmd(
    ctx: typer.Context,
    customer_ids: list[str] | None = typer.Argument(None, help="Borrowers to assign (all their loans)."),
    to: str | None = typer.Option(None, "--to", help="The collector (username) who takes them."),
    balance: bool = typer.Option(False, "--balance", help="Spread a branch's unassigned borrowers evenly."),
    branch: str | None = typer.Option(None, "--branch", help="The branch to balance (or whose load to show)."),
    leaving: str | None = typer.Option(
        None, "--from", help="With --balance: spread this collector's borrowers instead (ill, leaving)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="With --balance: show the moves, write nothing."),
    show_load: bool = typer.Option(False, "--load", help="Show each collector's borrowers and overdue amount."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv (--load, --balance)"),
) -> None:
    """Assign borrowers to a collector of their branch (supervisor/admin). A hand assignment stands until
    changed here: later imports keep it.

    collectui assign C1 C2 --to wang.fang ·
    collectui assign --balance --branch 城关支行 [--from li.qiang] [--dry-run] ·
    collectui assign --load [--branch 城关支行] [--format json]
    """
    from collectui.domain.cases import assignment

    modes = [bool(customer_ids) or to is not None, balance, show_load]
    if sum(modes) != 1:
        english = "say one of: CUSTOMER_ID... --to USER, --balance --branch NAME, or --load"
        raise UsageError(said("cli.err.assign_what", english))
    if (leaving is not None or dry_run) and not balance:
        raise UsageError(said("cli.err.assign_balance_only", "--from and --dry-run go with --balance"))
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    if show_load:
        loads = assignment.load(c, actor, branch)
        rows: list[dict[str, object]] = [
            {
                "branch": e.branch,
                "collector": _who(e.username) if fmt is Format.table else e.username,
                "active": e.active,
                "borrowers": e.borrowers,
                "overdue_borrowers": e.overdue_borrowers,
                "overdue": fmt_fen(e.overdue_fen),
            }
            for e in loads
        ]
        emit_rows(
            rows,
            LOAD_COLUMNS,
            fmt,
            title=lang.t("cli.assign.load_title"),
            headers={"overdue_borrowers": "on list"},
            money=("overdue",),
        )
        return
    if balance:
        if branch is None:
            raise UsageError(said("cli.err.assign_balance_branch", "--balance needs --branch NAME"))
        result = assignment.balance(c, actor, branch, dry_run=dry_run, leaving=leaving)
        _balance_report(result, fmt)
        return
    if to is None or not customer_ids:
        english = "name the borrowers and the collector: CUSTOMER_ID... --to USER"
        raise UsageError(said("cli.err.assign_who", english))
    if branch is not None:
        raise UsageError(said("cli.err.assign_branch", "--branch goes with --balance or --load"))
    done = assignment.assign(c, actor, customer_ids, to)
    for m in done.moves:
        out.print(f"{m.customer_id}: {_who(m.from_user)} -> {m.to_user}")
    if done.confirmed:
        kept = lang.t("cli.list_sep").join(done.confirmed)
        out.print(lang.t("cli.assign.confirmed", to=to, ids=kept), markup=False)
    out.print(lang.t("cli.assign.done", n=len(done.moves), to=to), markup=False)


def _balance_report(result: BalanceResult, fmt: Format) -> None:
    before = {e.username: e for e in result.before}
    after = {e.username: e for e in result.after}
    rows: list[dict[str, object]] = []
    for name in dict.fromkeys([*before, *after]):
        b, a = before.get(name), after.get(name)
        rows.append(
            {
                "collector": _who(name) if fmt is Format.table else name,
                "borrowers_before": b.borrowers if b else 0,
                "borrowers_after": a.borrowers if a else 0,
                "overdue_before": fmt_fen(b.overdue_fen if b else 0),
                "overdue_after": fmt_fen(a.overdue_fen if a else 0),
            }
        )
    if fmt is Format.json:
        emit_json(
            {
                "branch": result.branch,
                "from": result.leaving,
                "dry_run": result.dry_run,
                "moved": len(result.moves),
                "moves": [{"customer_id": m.customer_id, "from": m.from_user, "to": m.to_user} for m in result.moves],
                "collectors": rows,
                "spread_before": {
                    "borrowers": result.spread_before.borrowers,
                    "overdue": fmt_fen(result.spread_before.overdue_fen),
                },
                "spread_after": {
                    "borrowers": result.spread_after.borrowers,
                    "overdue": fmt_fen(result.spread_after.overdue_fen),
                },
            }
        )
        return
    title = lang.t("cli.assign.balance_title", branch=result.branch)
    title += lang.t("cli.assign.dry_run") if result.dry_run else ""
    emit_rows(
        rows, BALANCE_COLUMNS, fmt, title=title, headers=BALANCE_HEADERS, money=("overdue_before", "overdue_after")
    )
    if fmt is Format.csv:
        return
    sb, sa = result.spread_before, result.spread_after
    whose = lang.t("cli.assign.whose", user=result.leaving) if result.leaving else lang.t("cli.assign.unassigned")
    moved = lang.t("cli.assign.would_move" if result.dry_run else "cli.assign.moved")
    words = lang.t(
        "cli.assign.spread",
        n=len(result.moves),
        whose=whose,
        moved=moved,
        before=sb.borrowers,
        after=sa.borrowers,
        overdue_before=fmt_fen_grouped(sb.overdue_fen),
        overdue_after=fmt_fen_grouped(sa.overdue_fen),
    )
    out.print(words, markup=False)


def register(app: typer.Typer) -> None:
    app.command("assign", help=assign_cmd.__doc__)(assign_cmd)
