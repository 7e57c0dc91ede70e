"""`collectui training ...`: record a certification (trainer/admin) and see where someone stands in training.

Practice calls and the quiz are played in the terminal UI (Training); their results live in the bank's
database, and the gate's `certified` rule refuses calls by staff who are not certified (docs/training.md).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from collectui.cli import lang
from collectui.cli.common import err, out, state
from collectui.cli.output import Format, emit_json, show
from collectui.domain.errors import CollectError, UsageError
from collectui.domain.policy import Policy
from collectui.domain.said import said
from collectui.domain.staff.permissions import authorize
from collectui.domain.training import results, standing
from collectui.domain.training.scenario import practice_scenarios
from collectui.tui.i18n import Translator

training_app = typer.Typer(
    help="Training: certifications and where a person stands (practice calls and the quiz are in the TUI).",
    no_args_is_help=True,
)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        shown = repr(show(text))
        raise UsageError(said("cli.err.on_date", f"--on: {shown} is not a date YYYY-MM-DD", value=shown)) from None


@training_app.command("certify")
def certify(
    ctx: typer.Context,
    user: str = typer.Argument(..., help="The username to certify (not yourself)."),
    reason: str = typer.Option(
        ..., "--reason", help="Why: e.g. trained before collectui and when (3 words or 4 Chinese characters)."
    ),
    on: str | None = typer.Option(
        None, "--on", help="The day the training was completed, YYYY-MM-DD: not in the future, default today."
    ),
) -> None:
    """Record that USER is certified to call borrowers (trainer/admin; never yourself); audited. For staff
    trained before collectui or elsewhere: others earn it with the quiz and the mandatory practice calls."""
    st = state(ctx)
    done = results.record_certification(st.ctx(), st.actor(), user, reason, _day(on))
    words = lang.t("cli.training.certified", user=show(done.username), on=done.certified_on, until=done.until)
    out.print(words, markup=False)


@training_app.command("status")
def status(
    ctx: typer.Context,
    user: str | None = typer.Argument(None, help="A username (default: yourself; others: supervisor, trainer, admin)."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json"),
) -> None:
    """Certified until when, the quiz's best score, the mandatory practice scenarios passed and missing."""
    if fmt is Format.csv:
        raise UsageError(said("cli.err.format_table_json", "--format: table or json"))
    st = state(ctx)
    s = standing.standing(st.ctx(), st.actor(), user)
    if fmt is Format.json:
        emit_json(s.to_json())
        return
    for line in status_lines(s, _titles(st.ctx().policy)):
        out.print(line, markup=False)


def _titles(policy: Policy) -> dict[str, str]:
    """Each practice scenario's title in the run's language, by id (a file that does not load: its id)."""
    try:
        return {sc.id: sc.title.get(lang.lang()) for sc in practice_scenarios(policy)}
    except CollectError:  # `training check` names the broken file; a status still shows the ids
        return {}


def _refusal_words(s: standing.Standing) -> str:
    """Why the person is not certified, in the run's language (the domain's English when it is neither)."""
    key = "gate.certified.expired" if s.certified_until is not None else "gate.certified"
    values = {"on": s.certified_until.isoformat()} if s.certified_until is not None else {}
    english = Translator("en")(key, **values)
    return lang.t(key, **values) if english == s.refusal else show(s.refusal or "")


def status_lines(s: standing.Standing, titles: dict[str, str]) -> list[str]:
    """``training status`` for a person, line by line, in the run's language."""
    sep = lang.t("cli.list_sep")
    role = lang.t(f"role.{s.role}")
    who = lang.t("cli.training.who_branch", role=role, branch=show(s.branch)) if s.branch else role
    lines = [lang.t("cli.training.who", user=show(s.username), who=who)]
    if s.refusal is None:
        assert s.certified_until is not None
        lines.append(lang.t("cli.training.certified_yes", until=s.certified_until))
    else:
        lines.append(lang.t("cli.training.certified_no", why=_refusal_words(s)))
    if s.latest is not None:
        latest = s.latest
        by = lang.t("cli.training.latest_by", by=show(latest.by)) if latest.by else ""
        why = lang.t("cli.training.latest_why", why=show(latest.reason)) if latest.reason else ""
        source = lang.t(f"cli.training.source.{latest.source}")
        lines.append(lang.t("cli.training.latest", source=source, by=by, on=latest.certified_on, why=why))
    if not s.rule_applies:
        lines.append(lang.t("cli.training.rule_off"))
    if s.quiz_best is None:
        lines.append(lang.t("cli.training.quiz_none"))
    else:
        passed = (
            lang.t("cli.training.quiz_passed", on=s.quiz_passed_on)
            if s.quiz_passed_on
            else lang.t("cli.training.quiz_no_pass")
        )
        lines.append(lang.t("cli.training.quiz", best=s.quiz_best, passed=passed))
    done = sep.join(
        lang.t("cli.training.passed_on", title=titles.get(sid, sid), on=day) for sid, day in sorted(s.passed.items())
    )
    total = len(s.passed) + len(s.missing)
    lines.append(
        lang.t("cli.training.scenarios", n=len(s.passed), total=total, done=done or lang.t("cli.training.none"))
    )
    if s.missing:
        lines.append(lang.t("cli.training.missing", what=sep.join(titles.get(sid, sid) for sid in s.missing)))
    return lines


@training_app.command("check")
def check(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(
        None, dir_okay=False, help="Practice scenario files (TOML). Default: every shipped one."
    ),
) -> None:
    """Check practice scenario files under the policy in force: each is validated (both languages, every turn
    reachable, a path of right answers to the end, no banned phrase in a right answer) and played to the gate
    in a throwaway sandbox, which must say what the file expects. Exit 0 when all are fine, else 1."""
    from collectui.demo.sandbox import check_file
    from collectui.domain.training.scenario import PRACTICE_DIR

    st = state(ctx)
    c = st.ctx()
    authorize(c, st.actor(), "training.practice")
    paths = files or sorted(PRACTICE_DIR.glob("*.toml"))
    failed = 0
    for path in paths:
        found = check_file(path, c.policy, c.clock.today())
        if found.ok:
            assert found.scenario is not None
            turns = len(found.scenario.turns)
            mandatory = ", mandatory" if found.scenario.mandatory else ""
            out.print(f"ok  {found.scenario.id}: {turns} turns{mandatory}; {show(found.says)}", markup=False)
        else:
            failed += 1
            err.print(f"PROBLEM  {show(found.says)}", markup=False)
    if failed:
        err.print(f"{failed} of {len(paths)} file(s) have problems", markup=False)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(training_app, name="training")
