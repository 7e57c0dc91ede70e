"""`collectui sms`: reminder SMS before the first call: templates, plan, send, status, receipts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from collectui.cli import lang
from collectui.cli.common import err, out, state
from collectui.cli.output import Format, emit_json, emit_rows
from collectui.cli.values import MAX_COUNT, parse_at, parse_day
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, UsageError
from collectui.domain.said import Said, said
from collectui.domain.sms import messages
from collectui.domain.sms import plan as plan_svc
from collectui.domain.sms import receipts as receipts_svc
from collectui.domain.sms import send as send_svc
from collectui.domain.sms.templates import check_templates, samples_left
from collectui.domain.textsafe import show

sms_app = typer.Typer(
    help="Friendly reminder SMS (温馨提示短信) before the first call of a collection cycle.", no_args_is_help=True
)
templates_app = typer.Typer(help="The reminder templates of the policy file.", no_args_is_help=True)
sms_app.add_typer(templates_app, name="templates")

BRANCH_HELP = "Only this branch (name). A branch supervisor: always their own branch; another is refused."


def _scope_note(branch: str | None) -> str:
    """`` (BRANCH)`` after a heading when the run was limited to one branch; nothing for every branch."""
    if branch is None:
        return ""
    return lang.t("smscli.scope", branch=show(branch) or lang.t("smscli.no_branch"))


def _code(prefix: str, code: str) -> str:
    """A reason or state code: as it is in English (scripts read it), its word in Chinese."""
    if lang.lang() == "en":
        return code
    text = lang.t(f"{prefix}.{code}")
    return code if text == f"{prefix}.{code}" else text


def _at(c: Ctx, text: str | None, what: Said) -> datetime | None:
    """--at parsed and held to the clock (``send.checked_at``): out of range is a bad option value, exit 2."""
    at = parse_at(text, c.clock.tz)
    if at is not None:
        try:
            send_svc.checked_at(c, at, what)
        except InvalidInput as exc:
            raise UsageError(exc.said or str(exc)) from None  # in the person's language, exit 2
    return at


@templates_app.command("check")
def templates_check(ctx: typer.Context) -> None:
    """Refuse threats and insults, personal-data placeholders and text too long for the SMS limit.

    The reminder templates and the dispute_answer templates (which may not name the borrower at all).
    Exit 0 when every template is fine, 1 when any is refused (each problem named). A warning on stderr
    while bank_name or hotline is still the shipped sample (示例村镇银行, 0000-00000000).
    """
    st = state(ctx)
    # The policy in force, or a --policy file (refused on a production database: `policy check` checks a file).
    policy, _ = st.policy_for(st.database())
    from collectui.domain.cases.dispute_answer import check_answer_template, template_key

    refused = False
    reports = [(f"sms.templates.{r.lang}", r) for r in check_templates(policy)]
    # The dispute_answer SMS (`dispute resolve --rejected --told-by sms`) is checked alike.
    reports += [(template_key(lang), check_answer_template(policy, lang)) for lang in ("zh", "en")]
    for key, report in reports:
        if report.problems:
            refused = True
            out.print(lang.t("smscli.tpl.refused", name=key), markup=False)
            for problem in report.problems:
                text = lang.translator().said(problem.said) if problem.said else problem.message  # run's language
                out.print(f"  - [{problem.code}] {text}", markup=False)
        else:
            out.print(
                lang.t("smscli.tpl.ok", name=key, longest=report.longest_chars, limit=report.limit_chars),
                markup=False,
            )
    for key, value, placeholder in samples_left(policy):
        warning = lang.t("smscli.sample", name=key, value=value, placeholder=placeholder)
        err.print(lang.t("smscli.warning", text=warning), markup=False)
    if refused:
        raise typer.Exit(1)


@sms_app.command("plan")
def plan(
    ctx: typer.Context,
    for_day: str | None = typer.Option(None, "--for", help="The day whose work list is planned (default: today)."),
    at: str | None = typer.Option(
        None, "--at", help="Planning time, ISO 8601 (default: now); within 5 minutes of now."
    ),
    limit: int | None = typer.Option(
        None, "--limit", min=0, max=MAX_COUNT, help="Queue at most N reminders (after skips)."
    ),
    branch: str | None = typer.Option(None, "--branch", help=BRANCH_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """Queue one reminder for each borrower of the day's list who may get one; print a masked preview.

    Borrowers not queued are listed with a reason code: do_not_call, opted_out, invalid_number,
    not_mobile, dispute_hold, complaint_hold, promise_pending, recent_reminder, limit. A branch
    supervisor plans their own branch's list only; an admin every branch's (or --branch).
    """
    st = state(ctx)
    c = st.ctx()
    result = plan_svc.plan(
        c,
        st.actor(),
        for_date=parse_day(for_day, "--for"),
        at=_at(c, at, send_svc.PLAN_AT),
        limit=limit,
        branch=branch,
    )
    queued = [q.__dict__ for q in result.queued]
    skipped = [k.__dict__ for k in result.skipped]
    # Reminders that name the sample bank or hotline would reach real borrowers: say so where they are made.
    if queued:
        for key, value, placeholder in samples_left(c.policy):
            warning = lang.t("smscli.sample", name=key, value=value, placeholder=placeholder)
            err.print(lang.t("smscli.warning", text=warning), markup=False)
    if fmt is Format.json:
        emit_json({"for": result.for_date.isoformat(), "branch": result.branch, "queued": queued, "skipped": skipped})
        return
    if fmt is Format.csv:
        emit_rows(
            [{**q, "reason": ""} for q in queued] + skipped,
            ["customer_id", "message_id", "phone", "reason", "text"],
            fmt,
        )
        return
    scope = _scope_note(result.branch)
    out.print(lang.t("smscli.preview", day=result.for_date, scope=scope), markup=False)
    for q in result.queued:  # the text is the template's, in the borrower's language
        out.print(
            lang.t("smscli.queued", id=q.message_id, customer=q.customer_id, phone=q.phone, text=q.text), markup=False
        )
    for skip in result.skipped:
        out.print(lang.t("smscli.skipped", customer=skip.customer_id, reason=_code("sms.reason", skip.reason)))
    counts = lang.t("smscli.none")
    if result.skipped:
        counts = lang.t("cli.list_sep").join(  # "、" between Chinese items
            lang.t("smscli.count", reason=_code("sms.reason", k), n=v)
            for k, v in sorted(result.reason_counts().items())
        )
    out.print(lang.t("smscli.planned", queued=len(queued), skipped=len(skipped), counts=counts))


@sms_app.command("send")
def send(
    ctx: typer.Context,
    at: str | None = typer.Option(None, "--at", help="Sending time, ISO 8601 (default: now); within 5 minutes of now."),
    retry_failed: bool = typer.Option(
        False, "--retry-failed", help="Queue failed messages (never accepted) again, same key."
    ),
    branch: str | None = typer.Option(None, "--branch", help=BRANCH_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json"),
) -> None:
    """Hand the due reminders to the SMS platform (policy sms.gateway: file or http), inside the window only.

    A branch supervisor sends their own branch's due reminders only (the others stay pending); an admin
    every branch's (or --branch). Exit 0 when every due message was accepted, 1 when some remain pending
    or failed.
    """
    st = state(ctx)
    c = st.ctx()
    result = send_svc.send(c, st.actor(), at=_at(c, at, send_svc.SEND_AT), retry_failed=retry_failed, branch=branch)
    if fmt is Format.json:
        emit_json(
            {
                "at": result.at.isoformat(),
                "branch": result.branch,
                "gateway": result.gateway,
                "in_window": result.in_window,
                "opens_at": result.opens_at.isoformat() if result.opens_at else None,
                "due": result.due,
                "accepted": result.accepted,
                "pending": [{"message_id": m, "error": e} for m, e in result.pending],
                "failed": [{"message_id": m, "error": e} for m, e in result.failed],
                "cancelled": [{"message_id": m, "reason": r} for m, r in result.cancelled],
                "requeued": result.requeued,
                "files": [str(p) for p in result.files],
                "stopped_early": result.stopped_early,
            }
        )
    else:
        _print_send(c, result)
    if not result.ok:
        raise typer.Exit(1)


def _print_send(c: Ctx, result: send_svc.SendResult) -> None:
    if result.requeued:
        out.print(lang.t("smscli.requeued", n=result.requeued))
    for mid, reason in result.cancelled:
        out.print(lang.t("smscli.cancelled", id=mid, reason=_code("sms.reason", reason)), markup=False)
    if not result.in_window:
        opens = f"{result.opens_at:%Y-%m-%d %H:%M}"
        out.print(
            lang.t("smscli.outside", window=c.policy["sms.window"], tz=c.clock.tz, opens=opens, due=result.due),
            markup=False,
        )
        return
    for path in result.files:
        out.print(lang.t("smscli.wrote", path=path), markup=False)
    for mid, error in result.pending:
        out.print(lang.t("smscli.pending", id=mid, error=error or lang.t("smscli.not_tried")), markup=False)
    for mid, error in result.failed:
        out.print(lang.t("smscli.failed", id=mid, error=error), markup=False)
    if result.stopped_early:
        out.print(lang.t("smscli.stopped", n=send_svc.STOP_AFTER_FAILURES_IN_A_ROW))
    sent = {"accepted": len(result.accepted), "due": result.due, "pending": len(result.pending)}
    out.print(
        lang.t(
            "smscli.sent", gateway=result.gateway, scope=_scope_note(result.branch), failed=len(result.failed), **sent
        ),
        markup=False,  # the branch name is data
    )


@sms_app.command("status")
def status(
    ctx: typer.Context,
    state_: str | None = typer.Option(None, "--state", help="pending | sent | delivered | failed | cancelled"),
    customer: str | None = typer.Option(None, "--customer", help="Only this customer_id."),
    limit: int | None = typer.Option(None, "--limit", min=1, max=MAX_COUNT, help="At most N, newest first."),
    branch: str | None = typer.Option(None, "--branch", help=BRANCH_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """List reminders (phones masked), newest first: a branch supervisor's branch only."""
    if state_ and state_ not in messages.STATES:
        known = ", ".join(messages.STATES)
        english = f"--state {state_!r}: must be one of {known}"
        raise UsageError(said("cli.err.sms_state", english, value=repr(state_), known=known))
    st = state(ctx)
    views = messages.list_messages(st.ctx(), state_, customer, limit, actor=st.actor(), branch=branch)
    if fmt is not Format.table:
        emit_rows(
            [v.as_dict() for v in views],
            ["message_id", "customer_id", "phone", "state", "sent_at", "planned_for", "attempts", "last_error"],
            fmt,
        )
        return
    rows = [
        {
            "message_id": v.message_id,
            "customer_id": v.customer_id,
            "phone": v.phone,
            "state": _code("sms.state", v.state),
            "sent_at": f"{v.sent_at:%Y-%m-%d %H:%M}" if v.sent_at else "",
            "note": v.last_error
            or (lang.t("smscli.tries", n=v.attempts) if v.state == "pending" and v.attempts else ""),
        }
        for v in views
    ]
    emit_rows(
        rows,
        ["message_id", "customer_id", "phone", "state", "sent_at", "note"],
        fmt,
        title=lang.t("smscli.status_title", n=len(rows)),
    )


@sms_app.command("receipts")
def receipts(
    ctx: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV: message_id,phone,event,text,at"),
) -> None:
    """Import delivery reports and replies; a reply TD or 退订 opts the phone out of SMS.

    Any bad row is reported with its line number and nothing is imported.
    """
    st = state(ctx)
    result = receipts_svc.import_receipts(st.ctx(), st.actor(), file)
    counts = {"delivered": result.delivered, "failed": result.failed, "replies": result.replies}
    out.print(
        lang.t("smscli.receipts", rows=result.rows, opted=len(result.opted_out), unchanged=result.unchanged, **counts)
    )
    for phone in result.opted_out:
        out.print(lang.t("smscli.opted_out", phone=phone), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(sms_app, name="sms")
