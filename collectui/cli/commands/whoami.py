"""`collectui whoami`: who the next command acts as, and until when."""

from __future__ import annotations

import typer

from collectui.cli.common import state
from collectui.cli.output import Format, emit_rows
from collectui.domain.staff import logins, token_auth


def whoami(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """Who commands act as: the COLLECTUI_TOKEN token, else your login session (exit 4 when neither)."""
    st = state(ctx)
    actor = st.actor()
    if actor.via == "session":
        expires = logins.current(st.ctx()).expires
    else:
        expires = token_auth.expiry(st.ctx(), actor)
    row: dict[str, object] = {
        "name": actor.name,
        "role": actor.role,
        "branch": actor.branch,
        "via": actor.via,
        "scopes": ",".join(sorted(actor.scopes)) if actor.scopes is not None else "",
        "expires": f"{expires.astimezone(st.ctx().clock.tz):%Y-%m-%d %H:%M}",
    }
    emit_rows([row], list(row), fmt)


def register(app: typer.Typer) -> None:
    app.command("whoami")(whoami)
