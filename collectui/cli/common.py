"""Shared CLI plumbing: global options, the service context, errors as one line with an exit code."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer._click.exceptions import NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from collectui.cli import lang
from collectui.clock import Clock, ClockOverrideRefused, clock_from_env
from collectui.domain.context import Ctx
from collectui.domain.errors import CollectError, InvalidInput, UsageError
from collectui.domain.policy import Policy, load_policy
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.textsafe import clean, show
from collectui.storage.engine import Database
from collectui.storage.raw import OperationalError

TOKEN_ENV = "COLLECTUI_TOKEN"


class SafeConsole(Console):
    """A console that never writes a control character, escape sequence or bidi override it was given in a
    string (stored text from imports and older databases, echoed option values); its own styling stays."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(clean(o, newlines=True, tabs=True) if isinstance(o, str) else o for o in objects), **kwargs)


out = SafeConsole(highlight=False, soft_wrap=True)
err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("collectui", appauthor=False)) / "collectui.db"


@dataclass
class State:
    db_path: Path  # the file; for a PostgreSQL database, the private folder of what SQLite keeps beside its file
    policy_path: Path | None
    lang: str | None
    db_url: str | None = None  # --db postgresql://... (storage.locate)
    _ctx: Ctx | None = field(default=None, repr=False)
    _actor: Actor | None = field(default=None, repr=False)

    # `policy apply|show|history` set this: they must work while the stored version fails today's checks.
    policy_fallback: bool = field(default=False, repr=False)

    def policy_file(self) -> Policy | None:
        """The --policy file, read and checked (a missing or invalid file is an error), or None."""
        if self.policy_path is None:
            return None
        if not self.policy_path.exists():
            english = f"--policy {self.policy_path}: no such file"
            raise UsageError(said("cli.err.policy_missing", english, path=str(self.policy_path)))
        try:
            return load_policy(self.policy_path)
        except InvalidInput as exc:  # a bad option value: one line, exit 2 (`policy check` lists each problem)
            problem = lang.translator().error(exc)  # the file's problem in the run's language
            raise UsageError(said("cli.err.policy_invalid", f"--policy {exc}", problem=problem)) from None

    def policy_for(self, db: Database | None) -> tuple[Policy, int]:
        """(policy, version) for this run: the --policy file on a database whose rules may bend (demo,
        practice, test, or none yet), refused on a production one; else the version stored in the database."""
        from collectui.domain import policy_store
        from collectui.storage.kind import rules_may_bend

        if self.policy_path is not None:
            if db is not None and db.exists and not rules_may_bend(db.kind()):
                english = (
                    "--policy: refused on a production database (its policy is stored in it: "
                    "`collectui policy apply FILE --reason ...`; `collectui policy check FILE` checks a file)"
                )
                raise UsageError(said("cli.err.policy_production", english))
            file_policy = self.policy_file()
            assert file_policy is not None
            return file_policy, policy_store.FILE_VERSION
        if db is None or not db.exists:
            return Policy(), policy_store.DEFAULTS_VERSION
        try:
            return policy_store.active_policy(db)
        except policy_store.StoredPolicyInvalid:
            if not self.policy_fallback:
                raise
            return Policy(), policy_store.DEFAULTS_VERSION

    def ctx(self, create: bool = False) -> Ctx:
        """The service context. The database must be an existing collectui one (a missing or foreign file
        is refused untouched: ``cli.opening``) unless ``create``; an older one is upgraded here."""
        if self._ctx is None:
            from collectui.cli.opening import open_database

            say = partial(err.print, markup=False, highlight=False)
            db = self.database() if create else open_database(self.db_url or self.db_path, say)
            db.create_schema()
            policy, version = self.policy_for(db)
            db.write_wait.limit_s = float(policy["storage.write_wait_seconds"])
            self._ctx = Ctx(db=db, clock=self.clock_for(db, policy), policy=policy, policy_version=version)
        return self._ctx

    def database(self) -> Database:
        """The database --db names, trusted as it is (a file, or a PostgreSQL URL): ``ctx`` opens it checked."""
        from collectui.storage.locate import database_at

        return database_at(self.db_url or self.db_path)

    @staticmethod
    def clock_for(db: Database, policy: Policy) -> Clock:
        """The system clock; ``COLLECTUI_NOW`` only on a demo, practice or test database (one line otherwise)."""
        from collectui.storage.kind import rules_may_bend

        try:
            return clock_from_env(policy["timezone"], allow_override=rules_may_bend(db.kind()))
        except ClockOverrideRefused as exc:
            raise clock_refused(exc) from None

    def actor(self) -> Actor:
        """Who is acting: the API token in ``COLLECTUI_TOKEN`` if set, else this OS user's `collectui login`
        session on this database; NotSignedIn (exit 4, one line) otherwise. Services check its rights."""
        if self._actor is None:
            from collectui.domain.staff import logins, token_auth

            secret = os.environ.get(TOKEN_ENV, "").strip()
            self._actor = token_auth.actor_for(self.ctx(), secret) if secret else logins.current(self.ctx()).actor
        return self._actor


def clock_refused(exc: ClockOverrideRefused) -> UsageError:
    """``COLLECTUI_NOW`` on a production database, as a usage error in the person's language."""
    return UsageError(said("cli.clock.override_refused", str(exc)))


def state(ctx: typer.Context) -> State:
    return ctx.find_root().obj


def os_user() -> str:
    """The OS login name, for audit events of commands that act on their own authority (`demo`)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "?"


def _database_error(exc: Exception) -> bool:
    """The driver's OperationalError, or SQLAlchemy's wrapping of it (only possible once SQLAlchemy is loaded)."""
    if isinstance(exc, OperationalError):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.OperationalError)


def _error_mark() -> str:
    """'error: ' in red, in the run's language ('错误：' in Chinese, with its full-width colon)."""
    return f"[bold red]{escape(lang.t('cli.error_mark'))}[/]"


class SafeGroup(TyperGroup):
    """Turns service errors into one line on stderr and an exit code, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CollectError as exc:
            words = lang.translator().error(exc)
            err.print(f"{_error_mark()}{escape(show(words))}", markup=True, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except ClickUsageError as exc:
            if isinstance(exc, NoArgsIsHelpError):
                raise
            # One line, like every other error (not the boxed panel), with the command to ask for help.
            # click's own message stays English this session, like --help; the rest is in the run's language.
            where = lang.t("cli.see_help", command=exc.ctx.command_path) if exc.ctx is not None else ""
            words = escape(show(exc.format_message())) + escape(where)
            err.print(f"{_error_mark()}{words}", markup=True, highlight=False)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            # typer >= 0.29 vendors click: its usage errors derive from TyperException (exit 2).
            raise
        except Exception as exc:
            if os.environ.get("COLLECTUI_DEBUG"):
                raise
            from collectui.storage.locate import EngineMissing  # here: the CLI's start stays light

            if isinstance(exc, EngineMissing):  # a PostgreSQL URL, and the driver is an extra not installed
                words = lang.t("cli.open.pg_driver", install=EngineMissing.INSTALL)
                err.print(f"{_error_mark()}{escape(words)}", markup=True, highlight=False)
                raise typer.Exit(1) from None
            if _database_error(exc):
                words = lang.t("cli.database_error", error=show(getattr(exc, "orig", exc)))
                err.print(f"{_error_mark()}{escape(words)}", markup=True)
                raise typer.Exit(1) from None
            err.print(f"{_error_mark()}{type(exc).__name__}: {escape(show(str(exc)))}", markup=True)
            raise typer.Exit(1) from None
