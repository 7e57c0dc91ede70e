"""`collectui policy show|check`: the effective policy as TOML; validate a policy file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import typer

from collectui.cli.common import err, out, state
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import load_policy, policy_from_dict

policy_app = typer.Typer(help="The policy file: show the effective policy, check a file.", no_args_is_help=True)


@policy_app.command("show")
def policy_show(ctx: typer.Context) -> None:
    """Print the effective policy as TOML (save it, edit it, use it with --policy)."""
    st = state(ctx)
    policy = load_policy(st.effective_policy_path)
    source = st.effective_policy_path if st.effective_policy_path.exists() else "built-in defaults"
    typer.echo(f"# collectui effective policy ({source})")
    typer.echo(policy.to_toml(), nl=False)


@policy_app.command("check")
def policy_check(file: Path = typer.Argument(..., dir_okay=False, help="The policy file to validate.")) -> None:
    """Validate a policy file: exit 0 when valid, 1 with every problem (unknown key, type, value)."""
    try:
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise InvalidInput(f"{file}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{file}: not valid TOML: {exc}") from None
    try:
        policy_from_dict(data, file)
    except InvalidInput as exc:
        problems = getattr(exc, "problems", [str(exc)])
        err.print(f"{file}: {len(problems)} problem(s)", markup=False)
        for problem in problems:
            err.print(f"  {problem}", markup=False)
        raise typer.Exit(1) from None
    out.print(f"{file}: valid")


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")
