"""`collectui queue`: the ranked list of overdue borrowers to call, as a table, JSON or CSV."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import typer
from rich import box
from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from collectui.cli import lang
from collectui.cli.common import err, out, state
from collectui.cli.output import Format, emit_rows, money_text
from collectui.cli.values import parse_count, parse_day
from collectui.domain.cases import plan_views
from collectui.domain.errors import UsageError
from collectui.domain.portfolio import refresh
from collectui.domain.portfolio.overdue import CATEGORY_ZH
from collectui.domain.said import said
from collectui.domain.staff.permissions import reading_scope
from collectui.domain.textsafe import show
from collectui.domain.worklist import queries as worklist
from collectui.domain.worklist.rows import WorkRow
from collectui.money import fmt_fen
from collectui.tui.i18n import said_text
from collectui.tui.wording import rule_name, tr

JSON_FIELDS = (
    "rank",
    "customer_id",
    "name",
    "phone",
    "branch",
    "dpd",
    "bucket",
    "category",
    "overdue_amount",
    "outstanding",
    "score",
    "reasons",
    "callable",
    "blocked_reason",
    "last_contact_at",
    "promise",
    "plan",
    "loans",
    "collector",
    "broken_promises",
)
CSV_FIELDS = (
    "rank",
    "customer_id",
    "name",
    "phone",
    "branch",
    "dpd",
    "bucket",
    "category",
    "overdue_amount",
    "outstanding",
    "score",
    "reasons",
    "callable",
    "blocked_reason",
    "last_contact_at",
    "promise_amount",
    "promise_date",
    "promise_status",
    "loans",
    "collector",
)
TABLE_COLUMNS: tuple[tuple[str, str, JustifyMethod], ...] = (  # (header key, field, justify)
    ("cli.queue.col.rank", "rank", "right"),
    ("cli.queue.col.customer", "customer_id", "left"),
    ("cli.queue.col.name", "name", "left"),
    ("cli.queue.col.phone", "phone", "left"),
    ("cli.queue.col.dpd", "dpd", "right"),
    ("cli.queue.col.bucket", "bucket", "left"),
    ("cli.queue.col.category", "category", "left"),
    ("cli.queue.col.overdue", "overdue_amount", "right"),
    ("cli.queue.col.score", "score", "right"),
    ("cli.queue.col.callable", "status", "left"),
    ("cli.queue.col.promise", "promise", "left"),
    ("cli.queue.col.reason", "top_reason", "left"),
)


def _score_text(hundredths: int) -> str:
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def _record(row: WorkRow, tz: ZoneInfo) -> dict[str, Any]:
    promise = None
    if row.promise:
        promise = {
            "amount": fmt_fen(row.promise["amount_fen"]),
            "date": str(row.promise["date"]),
            "status": row.promise["status"],
            "paid": fmt_fen(row.promise["paid_fen"] or 0),
        }
    return {
        "rank": row.rank,
        "customer_id": row.customer_id,
        "name": row.name,
        "phone": row.phone,
        "branch": row.branch,
        "dpd": row.dpd,
        "bucket": row.bucket,
        "category": row.category,
        "overdue_amount": fmt_fen(row.overdue_fen),
        "outstanding": fmt_fen(row.outstanding_fen),
        "score": float(_score_text(row.score)),
        "reasons": row.reasons,  # Said: JSON keeps their English (queue), CSV and the table translate them
        "callable": row.callable,
        "blocked_reason": row.blocked_reason,
        "last_contact_at": row.last_contact_at.astimezone(tz).isoformat(timespec="seconds")
        if row.last_contact_at
        else None,
        "promise": promise,
        "loans": row.loan_ids,
        "collector": row.collector,
        "broken_promises": row.broken_promises,
    }


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    flat = dict(rec)
    promise = rec["promise"] or {}
    flat.update(
        promise_amount=promise.get("amount"), promise_date=promise.get("date"), promise_status=promise.get("status")
    )
    # The reasons are for people: in their language (codes such as the bucket and the status stay as they are).
    flat["reasons"] = [said_text(lang.t, r) for r in rec["reasons"]]
    return flat


def _table_row(rec: dict[str, Any]) -> dict[str, Any]:
    row = dict(rec)
    row["category"] = CATEGORY_ZH.get(rec["category"], rec["category"])
    row["score"] = f"{rec['score']:.2f}"
    row["overdue_amount"] = money_text(rec["overdue_amount"])  # '¥1,234.50', as the app shows money
    # The rule's name, the promise state and the ranking reason in the run's language (cli.lang).
    why = rule_name(lang.t, rec["blocked_reason"])
    row["status"] = lang.t("cli.queue.yes") if rec["callable"] else lang.t("cli.queue.no", why=why)
    promise = rec["promise"]
    state = tr(lang.t, "wl.promise", promise["status"]) if promise else ""
    row["promise"] = f"{money_text(promise['amount'])} {promise['date']} {state}" if promise else ""
    row["top_reason"] = said_text(lang.t, rec["reasons"][0]) if rec["reasons"] else ""
    return row


def _print_table(records: list[dict[str, Any]], title: str) -> None:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for key, field, justify in TABLE_COLUMNS:
        table.add_column(lang.t(key), justify=justify, no_wrap=field != "top_reason", overflow="fold")
    for rec in records:
        row = _table_row(rec)
        table.add_row(*[escape(show(row[f])) for _, f, _ in TABLE_COLUMNS])  # stored text: shown literally
    # Never squeeze the figures: a table wider than the terminal is easier to read than truncated cells (up to
    # 200 columns: Chinese reasons are twice as wide as their English).
    needed = Measurement.get(out, out.options.update_width(200), table).maximum
    Console(highlight=False, width=max(out.width, min(needed, 200))).print(table)


def queue(
    ctx: typer.Context,
    as_of: str | None = typer.Option(
        None, "--as-of", help="Compute the list for this day (YYYY-MM-DD) without changing the stored state."
    ),
    limit_text: str = typer.Option("50", "--limit", help="Show at most N borrowers (0: all)."),
    branch: str | None = typer.Option(None, "--branch", help="Only this branch (name)."),
    bucket: str | None = typer.Option(None, "--bucket", help="Only this bucket: M1..M6 or M6+."),
    show_all: bool = typer.Option(False, "--all", help="Include borrowers who may not be called today, flagged."),
    branch_wide: bool = typer.Option(
        False,
        "--branch-wide",
        help="A collector: the whole branch's list (default: your own borrowers first, then the unassigned ones).",
    ),
    fmt_text: str = typer.Option("table", "--format", help="table | json | csv"),
) -> None:
    """The ranked list of overdue borrowers to call, highest priority first, with the reasons.

    Borrowers who may not be called now (the gate's rules about the borrower: do-not-call, a dispute or complaint hold, a promise whose date has not passed, no reminder SMS yet, today's limits reached) are left out unless --all. A collector sees their own borrowers first, then the branch's unassigned ones. Names and phones are masked. Money in yuan; JSON and CSV fields are listed in docs/worklist.md.
    """
    try:
        fmt = Format(fmt_text.strip().lower())
    except ValueError:
        english = f"--format: expected table, json or csv, got {fmt_text!r}"
        raise UsageError(said("cli.err.format", english, value=repr(fmt_text))) from None
    limit = parse_count(limit_text, "--limit", zero="all")
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    day = parse_day(as_of, "--as-of")
    # A collector or supervisor sees their own branch; asking for another one is refused (and audited).
    branch = reading_scope(c, actor, "queue.read", branch)
    own = actor.user_id if actor.role == "collector" and not branch_wide else None
    flt = worklist.WorkFilter(
        branch=branch, bucket=worklist.normalise_bucket(bucket), include_blocked=show_all, own_first=own
    )
    today = c.clock.today()
    page_limit = None if limit == 0 else limit
    if (day is None or day == today) and c.db.read_only and not refresh.is_current(c):
        total, rows = worklist.rows_as_of(c, flt, today, 0, page_limit)  # read-only: computed in memory
        day = today
    elif day is None or day == today:
        refresh.ensure_current(c, actor=actor.name)
        total = worklist.count(c, flt)
        rows = worklist.fetch_page(c, flt, 0, total if page_limit is None else page_limit)
        day = today
    else:
        total, rows = worklist.rows_as_of(c, flt, day, 0, page_limit)
    tz = c.policy.tz
    records = [_record(r, tz) for r in rows]
    if fmt is Format.json:
        with c.db.raw_read() as raw:  # the borrower's payment plan next to the promise (cases.plan_views)
            shown = plan_views.queue_plans(raw, [r["customer_id"] for r in records])
        for rec in records:
            rec["plan"] = shown.get(rec["customer_id"])
            rec["reasons"] = [r.text for r in rec["reasons"]]  # JSON stays English
        emit_rows(records, JSON_FIELDS, fmt)
    elif fmt is Format.csv:
        emit_rows([_flat(r) for r in records], CSV_FIELDS, fmt)
    else:
        who = lang.t("cli.queue.who_all" if show_all else "cli.queue.who_callable")
        title = lang.t("cli.queue.title", day=day.isoformat(), shown=len(records), total=total, who=who)
        _print_table(records, title)
        if not records:
            err.print(lang.t("cli.queue.none") + ("" if show_all else lang.t("cli.queue.try_all")))


def register(app: typer.Typer) -> None:
    app.command("queue")(queue)
