"""`collectui training ...`: record a certification (trainer/admin) and see where someone stands in training.

Practice calls and the quiz are played in the terminal UI (Training); their results live in the bank's
database, and the gate's `certified` rule refuses calls by staff who are not certified (docs/training.md).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from collectui.cli.common import err, out, state
from collectui.cli.output import Format, emit_json, show
from collectui.domain.errors import UsageError
from collectui.domain.staff.permissions import authorize
from collectui.domain.training import results, standing

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
        raise UsageError(f"--on: {show(text)!r} is not a date YYYY-MM-DD") from None


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
    out.print(
        f"{show(done.username)}: certified on {done.certified_on}, until {done.until} (expires that day)",
        markup=False,
    )


@training_app.command("status")
def status(
    ctx: typer.Context,
    user: str | None = typer.Argument(None, help="A username (default: yourself; others: supervisor, trainer, admin)."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json"),
) -> None:
    """Certified until when, the quiz's best score, the mandatory practice scenarios passed and missing."""
    if fmt is Format.csv:
        raise UsageError("--format: table or json")
    st = state(ctx)
    s = standing.standing(st.ctx(), st.actor(), user)
    if fmt is Format.json:
        emit_json(s.to_json())
        return
    lines = [f"{show(s.username)} ({s.role}{', ' + show(s.branch) if s.branch else ''})"]
    if s.refusal is None:
        assert s.certified_until is not None
        lines.append(f"certified: yes, until {s.certified_until} (expires that day)")
    else:
        lines.append(f"certified: no: {s.refusal}")
    if s.latest is not None:
        by = f" by {show(s.latest.by)}" if s.latest.by else ""
        why = f": {show(s.latest.reason)}" if s.latest.reason else ""
        lines.append(f"latest certification: {s.latest.source}{by} on {s.latest.certified_on}{why}")
    if not s.rule_applies:
        lines.append("the gate's `certified` rule does not judge this person (it is off, or not for this role)")
    if s.quiz_best is None:
        lines.append("quiz: not taken")
    else:
        passed = f"passed {s.quiz_passed_on}" if s.quiz_passed_on else "no pass that still counts"
        lines.append(f"quiz: best {s.quiz_best}%, {passed}")
    total = len(s.passed) + len(s.missing)
    done = ", ".join(f"{sid} ({day})" for sid, day in sorted(s.passed.items())) or "none"
    lines.append(f"mandatory practice scenarios: {len(s.passed)} of {total} passed: {done}")
    if s.missing:
        lines.append(f"missing: {', '.join(s.missing)}")
    for line in lines:
        out.print(line, markup=False)


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
