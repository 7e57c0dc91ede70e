"""`collectui token`: API tokens for machines (a dialler, the nightly import); admins only."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import typer

from collectui.cli import lang
from collectui.cli.commands.whoami import local_minute
from collectui.cli.common import TOKEN_ENV, err, out, state
from collectui.cli.output import Format, emit_rows
from collectui.cli.values import parse_day
from collectui.domain.staff import tokens as tokens_svc

token_app = typer.Typer(help="API tokens for machines: create, list, revoke (admins).", no_args_is_help=True)


@token_app.command("create")
def create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The token's name (audited as token:NAME)."),
    role: str = typer.Option(..., "--role", help="collector | supervisor | admin | trainer"),
    branch: str | None = typer.Option(None, "--branch", help="Bind the token to one branch."),
    scope: str = typer.Option(
        ..., "--scope", help="Comma-separated permissions or families, e.g. check,call.log or import."
    ),
    expires: str = typer.Option(..., "--expires", help="Last day the token works, YYYY-MM-DD."),
) -> None:
    """Create a token and print its secret once (it is stored only as a hash)."""
    st = state(ctx)
    c = st.ctx()
    actor = st.actor()
    day = parse_day(expires, "--expires")
    assert day is not None
    # The token works through its last day, in the bank's time zone.
    until = datetime.combine(day + timedelta(days=1), time(0), tzinfo=c.clock.tz)
    secret = tokens_svc.create(c, actor, name, role, branch, tokens_svc.parse_scopes(scope), until)
    err.print(lang.t("cli.token.created", name=name, env=TOKEN_ENV), markup=False)
    out.print(secret)


@token_app.command("list")
def list_(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """List tokens (never their secrets)."""
    st = state(ctx)
    c = st.ctx()
    tz = c.clock.tz
    rows: list[dict[str, object]] = []
    for t in tokens_svc.list_tokens(c, st.actor()):
        row: dict[str, object] = dict(t.__dict__)
        for key in ("created_at", "expires_at", "last_used_at"):
            value = row[key]
            if isinstance(value, datetime):
                # The bank's local time: ISO with its offset in JSON, to the minute in a table or CSV.
                local = value.astimezone(tz)
                row[key] = local.isoformat(timespec="seconds") if fmt is Format.json else local_minute(local, tz)
        rows.append(row)
    columns = ["name", "role", "branch", "scopes", "created_by", "created_at", "expires_at", "revoked", "last_used_at"]
    emit_rows(rows, columns, fmt)


@token_app.command("revoke")
def revoke(ctx: typer.Context, name: str = typer.Argument(..., help="The token's name.")) -> None:
    """Revoke a token: it stops working at once."""
    st = state(ctx)
    tokens_svc.revoke(st.ctx(), st.actor(), name)
    out.print(lang.t("cli.token.revoked", name=name), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")
