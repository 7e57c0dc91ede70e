"""`collectui policy check|apply|show|history`: the policy is stored in the database, in versions.

`check` validates a file (and is the one command a production database lets `--policy` name); `apply`
stores it as the next version (admins); `show` prints the policy in force (or a version) as TOML; `history`
lists every version with who applied it, when and why.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from collectui.cli import lang
from collectui.cli.common import State, err, out, state
from collectui.cli.output import Format, emit_json
from collectui.domain import policy_store
from collectui.domain.errors import InvalidInput, NotFound, UsageError
from collectui.domain.policy import Policy, policy_from_dict
from collectui.domain.policy_text import load_policy_text
from collectui.storage.engine import Database

policy_app = typer.Typer(
    help="The policy: check a file, apply it as a new version (admins), show the one in force, its history.",
    no_args_is_help=True,
)
FILE_HELP = "The policy file (TOML: only the keys that differ from the defaults)."


def _print_problems(source: object, exc: InvalidInput) -> None:
    """Every problem on its own line, in the person's language (the domain gives each as a Said)."""
    err.print(lang.t("cli.policy.problems", source=source, n=len(exc.problems)), markup=False)
    for problem in lang.translator().problems(exc):
        err.print(f"  {problem}", markup=False)


def _file_or_root(st: State, file: Path | None) -> Path:
    chosen = file or st.policy_path
    if chosen is None:
        raise UsageError("policy check: name the file (`collectui policy check FILE`)")
    return chosen


@policy_app.command("check")
def policy_check(
    ctx: typer.Context, file: Path | None = typer.Argument(None, dir_okay=False, help=FILE_HELP + " Default: --policy.")
) -> None:
    """Validate a policy file: exit 0 when valid, 1 naming every problem (unknown key, type, range, floor)."""
    path = _file_or_root(state(ctx), file)
    _, table = load_policy_text(path)  # unreadable, binary, not UTF-8, not TOML: one line, exit 1
    try:
        policy_from_dict(table, path)
    except InvalidInput as exc:
        _print_problems(path, exc)
        raise typer.Exit(1) from None
    out.print(f"{path}: valid", markup=False)


@policy_app.command("apply")
def policy_apply(
    ctx: typer.Context,
    file: Path = typer.Argument(..., dir_okay=False, help=FILE_HELP),
    reason: str = typer.Option(..., "--reason", help="Why the policy changes (kept with the version)."),
) -> None:
    """Store a policy file as the next version, in force at once (admins). Refused unless `check` passes."""
    st = state(ctx)
    st.policy_fallback = True  # a stored version that fails today's checks must still be replaceable
    c = st.ctx()
    actor = st.actor()
    content, _ = load_policy_text(file)
    try:
        stored = policy_store.apply_policy(c, actor, content, reason, str(file))
    except InvalidInput as exc:
        if len(exc.problems) == 1:
            raise
        _print_problems(file, exc)
        raise typer.Exit(1) from None
    out.print(
        f"policy version {stored.version} applied by {stored.applied_by} (sha256 {stored.sha256[: policy_store.SHORT_HASH]})"
    )


def _tz_of(db: Database) -> ZoneInfo:
    """The zone of the policy in force, for showing when versions were applied."""
    try:
        return policy_store.active_policy(db)[0].tz if db.exists else Policy().tz
    except policy_store.StoredPolicyInvalid:
        return Policy().tz


def _header(st: State, number: int | None) -> tuple[str, Policy]:
    """A comment saying which policy is shown, and the policy."""
    db = st.database()
    if number is None:
        st.policy_fallback = True
        policy, number = st.policy_for(db)
        if number == policy_store.FILE_VERSION:
            return f"--policy {st.policy_path} (not stored; demo, practice and test databases only)", policy
    if number == policy_store.DEFAULTS_VERSION:
        return "version 0: the built-in defaults (no policy applied)", Policy()
    stored = policy_store.version(db, number) if db.exists else None
    if stored is None:
        raise NotFound(f"no policy version {number} (see `collectui policy history`)")
    when = stored.applied_at.astimezone(_tz_of(db)).strftime("%Y-%m-%d %H:%M")
    return f"version {stored.version}, applied {when} by {stored.applied_by}", policy_store.policy_of(stored)


@policy_app.command("show")
def policy_show(
    ctx: typer.Context,
    number: int | None = typer.Option(
        None, "--version", min=0, max=2**63 - 1, help="A stored version (default: the one in force)."
    ),
) -> None:
    """Print the policy in force (or a stored version), merged over the defaults, as TOML."""
    title, policy = _header(state(ctx), number)
    typer.echo(f"# collectui policy: {title}")
    typer.echo(policy.to_toml(), nl=False)


@policy_app.command("history")
def policy_history(
    ctx: typer.Context, fmt: Format = typer.Option(Format.table, "--format", help="table | json")
) -> None:
    """Every applied version, oldest first: version, when, who, why, SHA-256 of the text."""
    db = state(ctx).database()
    rows = policy_store.history(db) if db.exists else []
    if fmt is Format.json:
        emit_json(
            [
                {
                    "version": r.version,
                    "applied_at": r.applied_at.isoformat(),
                    "applied_by": r.applied_by,
                    "reason": r.reason,
                    "sha256": r.sha256,
                }
                for r in rows
            ]
        )
        return
    if not rows:
        out.print("no policy applied: the built-in defaults are in force (version 0)")
        return
    tz = _tz_of(db)
    short = policy_store.SHORT_HASH
    by = max(len("applied by"), *(len(r.applied_by) for r in rows))
    out.print(f"{'version':>7}  {'applied':<16}  {'applied by':<{by}}  {'sha256':<{short}}  reason", markup=False)
    for r in rows:
        when = r.applied_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        line = f"{r.version:>7}  {when}  {r.applied_by:<{by}}  {r.sha256[:short]}  {r.reason}"
        out.print(line, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")
