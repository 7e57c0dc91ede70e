"""The `collectui` command: global options, then one module per top-level command registers it.

Each module in ``collectui.cli.commands`` is named after its command and defines ``register(app)``.
``main`` imports only the module of the command on the command line: importing every command pulls in
openpyxl, faker and textual, which costs seconds on a branch PC.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import typer

from collectui.cli.common import SafeGroup, State, default_db_path

Register = Callable[[typer.Typer], None]


def _demo(app: typer.Typer) -> None:
    from collectui.cli.commands import demo

    demo.register(app)


def _queue(app: typer.Typer) -> None:
    from collectui.cli.commands import queue

    queue.register(app)


def _import(app: typer.Typer) -> None:
    from collectui.cli.commands import import_

    import_.register(app)


def _check(app: typer.Typer) -> None:
    from collectui.cli.commands import check

    check.register(app)


def _call(app: typer.Typer) -> None:
    from collectui.cli.commands import call

    call.register(app)


def _policy(app: typer.Typer) -> None:
    from collectui.cli.commands import policy

    policy.register(app)


def _sms(app: typer.Typer) -> None:
    from collectui.cli.commands import sms

    sms.register(app)


def _feedback(app: typer.Typer) -> None:
    from collectui.cli.commands import feedback

    feedback.register(app)


def _complaint(app: typer.Typer) -> None:
    from collectui.cli.commands import complaint

    complaint.register(app)


def _plan(app: typer.Typer) -> None:
    from collectui.cli.commands import plan

    plan.register(app)


def _dispute(app: typer.Typer) -> None:
    from collectui.cli.commands import dispute

    dispute.register(app)


def _assign(app: typer.Typer) -> None:
    from collectui.cli.commands import assign

    assign.register(app)


def _contact(app: typer.Typer) -> None:
    from collectui.cli.commands import contact

    contact.register(app)


def _hours(app: typer.Typer) -> None:
    from collectui.cli.commands import hours

    hours.register(app)


def _report(app: typer.Typer) -> None:
    from collectui.cli.commands import report

    report.register(app)


def _users(app: typer.Typer) -> None:
    from collectui.cli.commands import users

    users.register(app)


def _audit(app: typer.Typer) -> None:
    from collectui.cli.commands import audit

    audit.register(app)


def _init(app: typer.Typer) -> None:
    from collectui.cli.commands import init

    init.register(app)


def _login(app: typer.Typer) -> None:
    from collectui.cli.commands import login

    login.register(app)


def _logout(app: typer.Typer) -> None:
    from collectui.cli.commands import logout

    logout.register(app)


def _whoami(app: typer.Typer) -> None:
    from collectui.cli.commands import whoami

    whoami.register(app)


def _training(app: typer.Typer) -> None:
    from collectui.cli.commands import training

    training.register(app)


def _token(app: typer.Typer) -> None:
    from collectui.cli.commands import token

    token.register(app)


def _scripts(app: typer.Typer) -> None:
    from collectui.cli.commands import scripts

    scripts.register(app)


def _tui(app: typer.Typer) -> None:
    from collectui.cli.commands import tui

    tui.register(app)


def _db(app: typer.Typer) -> None:
    from collectui.cli.commands import db

    db.register(app)


def _serve(app: typer.Typer) -> None:
    from collectui.cli.commands import serve

    serve.register(app)


# Top-level command -> the function that imports and registers its module; order is `collectui --help`'s.
COMMANDS: dict[str, Register] = {
    "init": _init,
    "login": _login,
    "logout": _logout,
    "whoami": _whoami,
    "demo": _demo,
    "queue": _queue,
    "import": _import,
    "check": _check,
    "call": _call,
    "policy": _policy,
    "scripts": _scripts,
    "sms": _sms,
    "feedback": _feedback,
    "complaint": _complaint,
    "contact": _contact,
    "hours": _hours,
    "plan": _plan,
    "dispute": _dispute,
    "assign": _assign,
    "report": _report,
    "training": _training,
    "users": _users,
    "token": _token,
    "audit": _audit,
    "db": _db,
    "tui": _tui,
    "serve": _serve,
}
_VALUE_OPTIONS = ("--db", "--policy", "--lang")
DB_HELP = (
    f"Database file, or a PostgreSQL URL postgresql://USER@HOST/NAME (env COLLECTUI_DB). Default: {default_db_path()}"
)


def _state(db: str | None, policy: Path | None, lang: str | None) -> State:
    from collectui.storage.locate import database_at, is_url

    if db and is_url(db):  # PostgreSQL (storage.locate); its db_path is its private folder of files
        return State(db_path=database_at(db).path, policy_path=policy, lang=lang, db_url=db)
    return State(db_path=Path(db) if db else default_db_path(), policy_path=policy, lang=lang)


def root(
    ctx: typer.Context,
    db: str | None = typer.Option(  # text, not a Path: a Path would fold the URL's "//"
        None,
        "--db",
        envvar="COLLECTUI_DB",
        help=DB_HELP,
    ),
    policy: Path | None = typer.Option(
        None,
        "--policy",
        envvar="COLLECTUI_POLICY",
        help=(
            "A policy file instead of the one stored in the database (env COLLECTUI_POLICY): for demo, practice "
            "and test databases only; refused on a production one except by `policy check`."
        ),
        dir_okay=False,
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        envvar="COLLECTUI_LANG",
        help="Language of the app and of what commands print: zh or en (default: from the locale); --help stays English.",
    ),
) -> None:
    from collectui.cli.lang import set_lang

    set_lang(lang)  # one language for every message of this run (cli.lang)
    ctx.obj = _state(db, policy, lang)
    if ctx.invoked_subcommand is None:
        from collectui.cli.commands import tui

        tui.launch(ctx.obj)


def build_app(commands: tuple[str, ...] | None = None) -> typer.Typer:
    """The application with ``commands`` registered (all of them when None)."""
    new_app = typer.Typer(
        cls=SafeGroup,
        name="collectui",
        help="collectui: lawful, humane collection phone work for a rural bank, over one SQLite file.",
        no_args_is_help=False,
        invoke_without_command=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    new_app.callback()(root)
    for name in commands if commands is not None else tuple(COMMANDS):
        COMMANDS[name](new_app)
    return new_app


def commands_for(argv: list[str]) -> tuple[str, ...] | None:
    """The commands a command line needs: its own, none for the bare TUI, all (None) for help or unknowns."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUE_OPTIONS:
            next(args, None)
        elif any(arg.startswith(opt + "=") for opt in _VALUE_OPTIONS):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return (arg,) if arg in COMMANDS else None
    return ("tui",)


def main() -> None:
    build_app(commands_for(sys.argv[1:]))(prog_name="collectui")
