"""`collectui logout`: end this OS user's login session on this database."""

from __future__ import annotations

import typer

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.domain.staff import logins


def logout(ctx: typer.Context) -> None:
    """Sign out: end this OS user's session on this database."""
    name = logins.end(state(ctx).ctx())
    out.print(lang.t("cli.logout.done", name=name) if name else lang.t("cli.logout.none"), markup=False)


def register(app: typer.Typer) -> None:
    app.command("logout")(logout)
