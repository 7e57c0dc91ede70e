"""`collectui whoami`: who the next command acts as, and until when."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import typer

from collectui.cli import lang
from collectui.cli.common import state
from collectui.cli.output import Format, emit_rows
from collectui.domain.staff import logins, token_auth
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import bound_branch


def local_minute(value: datetime, tz: ZoneInfo) -> str:
    """An aware time in the bank's zone, to the minute, with its offset: '2027-07-01 00:00 +08:00'."""
    local = value.astimezone(tz)
    offset = local.strftime("%z")  # '+0800' (Python 3.11 has no '%:z')
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


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
        "expires": local_minute(expires, st.ctx().clock.tz),
    }
    if fmt is not Format.json:  # JSON keeps the codes, for programs; a person reads their own language
        row.update(role=lang.t(f"role.{actor.role}"), branch=_branch_words(actor), via=lang.t(f"cli.via.{actor.via}"))
    emit_rows([row], list(row), fmt)


def _branch_words(actor: Actor) -> str:
    """The actor's branch, and whether it bounds what they see: an admin's home branch is not a limit."""
    bound, branch = bound_branch(actor)
    if bound:
        return branch or lang.t("cli.whoami.no_branch")
    if actor.branch:
        return lang.t("cli.whoami.home_all", branch=actor.branch)
    return lang.t("cli.whoami.all")


def register(app: typer.Typer) -> None:
    app.command("whoami")(whoami)
