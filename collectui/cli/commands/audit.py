"""`collectui audit`: check the keyed audit trail, print an anchor to keep off the machine, create the key."""

from __future__ import annotations

import typer

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
        out.print(f"note: {note}")
    if result.ok:
        keyed = (
            f"keyed (HMAC) from event {result.keyed_from}"
            + (
                f"; events 1-{result.keyed_from - 1} from before the key are plain SHA-256"
                if result.keyed_from > 1
                else ""
            )
            if result.keyed_from is not None
            else "not keyed yet"
        )
        out.print(f"audit trail intact: {result.events} events, {keyed}; {result.rows_checked} rows vouched for")
        if anchor:
            out.print(f"anchor {anchor.split(':')[0]} holds: nothing up to it was removed or rewritten")
        return
    for problem in result.problems:
        err.print(f"audit: {problem}")
    if result.restored is not None:
        mark = result.restored
        err.print(
            f"audit: the database was restored from a backup on {mark.at.astimezone(c.clock.tz):%Y-%m-%d %H:%M}"
            f" (event {mark.event}): an anchor taken after that backup no longer matches; take a new anchor"
        )
    err.print(f"audit trail BROKEN: {len(result.problems)} problem(s) in {result.events} events")
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
            err.print(f"audit: {problem}")
        err.print("audit trail BROKEN: no anchor printed (an anchor of a broken trail proves nothing)")
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
    where = f"in {keys.KEY_ENV}" if path is None else f"in {path} (mode 0600)"
    out.print(f"audit key {where}; back it up with the database: without it old events cannot be verified")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
