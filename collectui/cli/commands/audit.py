"""`collectui audit`: check the keyed audit trail, print an anchor to keep off the machine, create the key."""

from __future__ import annotations

import typer

from collectui.cli import lang
from collectui.cli.common import err, os_user, out, state
from collectui.domain import audit, dbcare
from collectui.domain.audit import keys
from collectui.domain.audit.verify import parse_anchor
from collectui.domain.errors import InvalidInput

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    anchor: str | None = typer.Option(
        None,
        "--anchor",
        metavar="SEQ:DIGEST",
        help="An anchor printed by `audit anchor`: prove nothing up to it changed.",
    ),
) -> None:
    """Check every event against the keyed chain and every business row against the events that vouch
    for it; exit 1 on any break (supervisors and admins)."""
    if anchor is not None:
        try:
            parse_anchor(anchor)
        except InvalidInput as exc:
            raise typer.BadParameter(str(exc), param_hint="--anchor") from None
    st = state(ctx)
    c = st.ctx()
    result = dbcare.verify_trail(c, st.actor(), anchor)
    for note in result.notes:
        out.print(lang.t("cli.audit.note", note=note), markup=False)
    if result.ok:
        if result.keyed_from is None:
            keyed = lang.t("cli.audit.not_keyed")
        elif result.keyed_from > 1:
            keyed = lang.t("cli.audit.keyed_after", first=result.keyed_from, last=result.keyed_from - 1)
        else:
            keyed = lang.t("cli.audit.keyed", first=result.keyed_from)
        words = lang.t("cli.audit.intact", events=result.events, keyed=keyed, rows=result.rows_checked)
        out.print(words, markup=False)
        if anchor:
            out.print(lang.t("cli.audit.anchor_holds", seq=anchor.split(":")[0]), markup=False)
        return
    for problem in result.problems:
        err.print(lang.t("cli.audit.problem", problem=problem), markup=False)
    if result.restored is not None:
        mark = result.restored
        at = f"{mark.at.astimezone(c.clock.tz):%Y-%m-%d %H:%M}"
        err.print(lang.t("cli.audit.restored", at=at, event=mark.event), markup=False)
    err.print(lang.t("cli.audit.broken", n=len(result.problems), events=result.events), markup=False)
    raise typer.Exit(1)


@audit_app.command("anchor")
def anchor(ctx: typer.Context) -> None:
    """Print the head of the trail as SEQ:DIGEST, after verifying it, for the supervisor to keep off the
    machine (paper, e-mail, the head office); `audit verify --anchor SEQ:DIGEST` checks it later."""
    st = state(ctx)
    c = st.ctx()
    result, head = dbcare.anchor_trail(c, st.actor())
    if head is None:
        for problem in result.problems:
            err.print(lang.t("cli.audit.problem", problem=problem), markup=False)
        err.print(lang.t("cli.audit.no_anchor"), markup=False)
        raise typer.Exit(1)
    out.print(head)


@audit_app.command("key")
def key(ctx: typer.Context) -> None:
    """Create this database's audit key if it has none (never replaced) and key the chain; no sign-in."""
    # Run as the account that runs collectui: the key goes to that account's state directory. No sign-in,
    # because on an older database nothing can be written (not even a sign-in) until the key exists; an
    # older trail continues keyed from a marked event.
    c = state(ctx).ctx()
    path = audit.provision_key(c.db)
    with c.db.raw_write() as raw:
        audit.record_raw(raw, c.clock, f"cli:{os_user()}", "audit.key", "audit", None, {"from_env": path is None})
    where = lang.t("cli.audit.key_env", env=keys.KEY_ENV) if path is None else lang.t("cli.audit.key_file", path=path)
    out.print(lang.t("cli.audit.key", where=where), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
