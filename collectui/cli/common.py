"""Shared CLI plumbing: global options, the service context, errors as one line with an exit code."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from typer._click.exceptions import NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from collectui.clock import clock_from_env
from collectui.domain.context import Ctx
from collectui.domain.errors import CollectError
from collectui.domain.policy import load_policy
from collectui.domain.staff.actor import Actor
from collectui.domain.textsafe import show
from collectui.storage.engine import Database
from collectui.storage.raw import OperationalError

TOKEN_ENV = "COLLECTUI_TOKEN"
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("collectui", appauthor=False)) / "collectui.db"


@dataclass
class State:
    db_path: Path
    policy_path: Path | None
    lang: str | None
    _ctx: Ctx | None = field(default=None, repr=False)
    _actor: Actor | None = field(default=None, repr=False)

    @property
    def effective_policy_path(self) -> Path:
        return self.policy_path or self.db_path.parent / "policy.toml"

    def ctx(self, create: bool = False) -> Ctx:
        """The service context; the database must exist unless ``create``."""
        if self._ctx is None:
            db = Database(self.db_path)
            if not db.exists and not create:
                raise CollectError(
                    f"no database at {self.db_path}; create one with `collectui --db {self.db_path} demo` "
                    "or import data with `collectui import`"
                )
            db.create_schema()
            policy = load_policy(self.effective_policy_path)
            self._ctx = Ctx(db=db, clock=clock_from_env(policy["timezone"]), policy=policy)
        return self._ctx

    def actor(self) -> Actor:
        """Who is acting: the API token in ``COLLECTUI_TOKEN`` if set, else this OS user's `collectui login`
        session on this database; NotSignedIn (exit 4, one line) otherwise. Services check its rights."""
        if self._actor is None:
            from collectui.domain.staff import logins, tokens

            secret = os.environ.get(TOKEN_ENV, "").strip()
            self._actor = tokens.actor_for(self.ctx(), secret) if secret else logins.current(self.ctx()).actor
        return self._actor


def state(ctx: typer.Context) -> State:
    return ctx.find_root().obj


def cli_actor(user: str | None = None) -> str:
    if user:
        return user
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


def _database_error(exc: Exception) -> bool:
    """The driver's OperationalError, or SQLAlchemy's wrapping of it (only possible once SQLAlchemy is loaded)."""
    if isinstance(exc, OperationalError):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.OperationalError)


class SafeGroup(TyperGroup):
    """Turns service errors into one line on stderr and an exit code, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CollectError as exc:
            err.print(f"[bold red]error:[/] {escape(show(str(exc)))}", markup=True, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except ClickUsageError as exc:
            if isinstance(exc, NoArgsIsHelpError):
                raise
            # One line, like every other error (not the boxed panel), with the command to ask for help.
            where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
            err.print(f"[bold red]error:[/] {escape(show(exc.format_message()))}{where}", markup=True, highlight=False)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            # typer >= 0.29 vendors click: its usage errors derive from TyperException (exit 2).
            raise
        except Exception as exc:
            if os.environ.get("COLLECTUI_DEBUG"):
                raise
            if _database_error(exc):
                err.print(f"[bold red]error:[/] database: {getattr(exc, 'orig', exc)}", markup=True)
                raise typer.Exit(1) from None
            err.print(f"[bold red]error:[/] {type(exc).__name__}: {escape(show(str(exc)))}", markup=True)
            raise typer.Exit(1) from None
