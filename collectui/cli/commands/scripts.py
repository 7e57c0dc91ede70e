"""`collectui scripts check|show`: the talk scripts (话术) shown during calls.

`check` says whether a scripts file (default: the one the policy puts in force) loads and holds no phrase of
the policy's note-scan lists, the same check `policy apply` makes of `scripts.file`; `show` prints the
scripts, one situation or all, with the bank's name and hotline filled in. Anyone who may read the policy.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from collectui.cli import lang as run_lang  # `lang` is the --lang option of `scripts show`
from collectui.cli.common import err, out, state
from collectui.domain.calls import talk
from collectui.domain.conduct.scripts import LANGS, SITUATIONS, render
from collectui.domain.errors import UsageError
from collectui.domain.said import said

scripts_app = typer.Typer(
    help="Talk scripts (话术) shown during calls: check a file, show the scripts in force.", no_args_is_help=True
)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


@scripts_app.command("check")
def scripts_check(
    ctx: typer.Context,
    file: Path | None = typer.Argument(
        None, dir_okay=False, help="A scripts file (TOML). Default: the one in force (policy key scripts.file)."
    ),
) -> None:
    """Check a scripts file under the policy in force: exit 0 when it is fine, 1 naming every problem."""
    st = state(ctx)
    scripts, problems = talk.check_file(st.ctx(), st.actor(), file)
    where = file or (scripts.path if scripts else "scripts")
    if problems:
        err.print(run_lang.t("cli.scripts.problems", where=where, n=len(problems)), markup=False)
        for problem in problems:
            err.print(f"  {problem}", markup=False)
        raise typer.Exit(1)
    assert scripts is not None
    words = run_lang.t("cli.scripts.ok", n=len(scripts.situations), version=scripts.version, path=scripts.path)
    out.print(words, markup=False)


@scripts_app.command("show")
def scripts_show(
    ctx: typer.Context,
    situation: str | None = typer.Argument(None, help=f"One situation: {', '.join(SITUATIONS)}. Default: all."),
    lang: Lang | None = typer.Option(None, "--lang", help="zh or en (default: both)."),
) -> None:
    """Print the scripts in force (the bank's name and hotline filled in; {collector}, {amount} and
    {due_date} are filled during a call)."""
    if situation is not None and situation not in SITUATIONS:
        known = ", ".join(SITUATIONS)
        english = f"unknown situation {situation!r} (known: {known})"
        raise UsageError(said("cli.err.situation", english, value=repr(situation), known=known))
    st = state(ctx)
    c = st.ctx()
    scripts = talk.scripts_in_force(c, st.actor())
    values = {"bank": c.policy.text("bank_name"), "hotline": c.policy.text("hotline")}
    langs = (lang.value,) if lang is not None else LANGS
    out.print(run_lang.t("cli.scripts.header", version=scripts.version, path=scripts.path), markup=False)
    for sid in (situation,) if situation else SITUATIONS:
        for code in langs:
            out.print(f"\n## {sid}: {scripts.title(sid, code)}", markup=False)
            for n, line in enumerate(render(scripts.lines(sid, code), values), start=1):
                out.print(f"{n}. {line}", markup=False)
            first = scripts.situations[sid].first_contact.get(code, ())
            for line in render(first, values):
                out.print(run_lang.t("cli.scripts.first_call", line=line), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(scripts_app, name="scripts")
