"""The trainer's report: per trainee, the practice scenarios tried and passed, the quiz, the mistakes.

Window: a practice attempt counts when its ``finished_at``, a quiz when its ``taken_at``, falls on a local day
(the policy's zone) from ``--from`` to ``--to``, both included (``--to`` defaults to today, ``--from`` to a
30-day window, as in every report). The trainees are the staff with a practice or quiz result in the window,
or the one ``--trainee`` names (listed even without results, so "nothing yet" is an answer).

Per trainee: ``certified_until`` (the latest certification's day + ``rules.certified.valid_days``, whatever
the window: it answers "may they call today"), ``quiz_best`` (best percent in the window), per scenario the
attempts, best and last score and whether any attempt passed, and ``mistakes``: each practice attempt's
stored mistakes plus each wrong quiz answer (kind ``quiz``, id = the question's topic), counted over the
window, most frequent first, then by id (then kind), so equal counts always come out in the same order.

Who may read it: ``training.report``. A branch-bound supervisor sees the staff of their own branch only
(another branch's trainee named with ``--trainee`` is refused, audited); trainers and admins see everyone.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from collectui.domain.context import Ctx
from collectui.domain.errors import NotFound
from collectui.domain.reports.common import Column, Params, Report, Section, read_conn, resolve_window
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.certification import certified_until
from collectui.domain.staff.permissions import authorize, bound_branch
from collectui.storage.raw import RawConnection

PERMISSION = "training.report"
QUIZ_KIND = "quiz"  # the kind of a wrong quiz answer among the mistakes


@dataclass(frozen=True)
class ScenarioResult:
    id: str
    attempts: int
    best: int
    last: int
    passed: bool


@dataclass(frozen=True)
class MistakeCount:
    kind: str
    id: str
    count: int


@dataclass(frozen=True)
class TraineeResult:
    user: str
    certified_until: date | None
    quiz_best: int | None
    scenarios: tuple[ScenarioResult, ...]
    mistakes: tuple[MistakeCount, ...]

    @property
    def passed_count(self) -> int:
        return sum(1 for s in self.scenarios if s.passed)


@dataclass(frozen=True)
class TrainingReport:
    date_from: date
    date_to: date
    trainees: tuple[TraineeResult, ...]


def training_report(
    ctx: Ctx,
    actor: Actor,
    *,
    trainee: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> TrainingReport:
    """The report for the actor's scope; NotFound for an unknown ``trainee``, PermissionDenied (audited) for
    one outside a supervisor's branch or for a role without ``training.report``."""
    authorize(ctx, actor, PERMISSION)
    bound, own_branch = bound_branch(actor)
    with read_conn(ctx) as conn:
        w = resolve_window(ctx, conn, Params(date_from, date_to))
        named = _named_trainee(conn, trainee) if trainee is not None else None
    if named is not None and bound and (own_branch is None or named[2] != own_branch):
        # Refused like any other branch (a bound actor without a branch sees nobody): audited, in its own write
        # transaction (so outside the read above).
        authorize(ctx, actor, PERMISSION, branch=named[2] or "(none)")
    with read_conn(ctx) as conn:
        staff = _staff(conn, bound, own_branch)
        if named is not None:
            staff = {named[0]: named[1]}
        practice = conn.execute(
            "SELECT user_id, scenario_id, score, passed, mistakes FROM training_attempt "
            "WHERE finished_at >= ? AND finished_at < ? ORDER BY user_id, finished_at, id",
            (w.start_utc, w.end_utc),
        ).fetchall()
        quizzes = conn.execute(
            "SELECT user_id, percent, answers FROM quiz_attempt WHERE taken_at >= ? AND taken_at < ? ORDER BY id",
            (w.start_utc, w.end_utc),
        ).fetchall()
        people = {int(r[0]) for r in practice} | {int(r[0]) for r in quizzes}
        wanted = sorted((uid for uid in staff if uid in people or named is not None), key=lambda u: staff[u])
        valid_days = ctx.policy.integer("rules.certified.valid_days")
        until = {uid: certified_until(conn, uid, valid_days) for uid in wanted}
    by_user: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    quiz_by_user: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in practice:
        by_user[int(row[0])].append(tuple(row))
    for row in quizzes:
        quiz_by_user[int(row[0])].append(tuple(row))
    trainees = tuple(_trainee(staff[uid], until[uid], by_user[uid], quiz_by_user[uid]) for uid in wanted)
    return TrainingReport(w.date_from, w.date_to, trainees)


def _named_trainee(conn: RawConnection, username: str) -> tuple[int, str, str | None]:
    """(id, username, branch name) of the account ``--trainee`` names."""
    row = conn.execute(
        "SELECT u.id, u.username, b.name FROM staff_user u LEFT JOIN branch b ON b.id = u.branch_id "
        "WHERE u.username = ?",
        (username.strip(),),
    ).fetchone()
    if row is None:
        raise NotFound(said("error.reports.no_staff", f"no staff account {username!r}", username=username))
    return int(row[0]), str(row[1]), None if row[2] is None else str(row[2])


def _staff(conn: RawConnection, bound: bool, branch: str | None) -> dict[int, str]:
    """id -> username of the staff the actor may see: a bound actor's own branch (none without a branch)."""
    if not bound:
        return {int(i): str(n) for i, n in conn.execute("SELECT id, username FROM staff_user")}
    if branch is None:
        return {}
    rows = conn.execute(
        "SELECT u.id, u.username FROM staff_user u JOIN branch b ON b.id = u.branch_id WHERE b.name = ?", (branch,)
    )
    return {int(i): str(n) for i, n in rows}


def _trainee(
    user: str, until: date | None, practice: list[tuple[Any, ...]], quizzes: list[tuple[Any, ...]]
) -> TraineeResult:
    """One trainee's figures from their rows (practice in finished order, so the last one is the last)."""
    by_scenario: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    mistakes: Counter[tuple[str, str]] = Counter()
    for _uid, scenario_id, score, passed, stored in practice:
        by_scenario[str(scenario_id)].append((int(score), int(passed) == 1))
        for m in _json_list(stored):
            mistakes[(str(m.get("kind", "")), str(m.get("id", "")))] += 1
    for _uid, _percent, answers in quizzes:
        for a in _json_list(answers):
            if a.get("right") is False:
                mistakes[(QUIZ_KIND, str(a.get("topic", "")))] += 1
    scenarios = tuple(
        ScenarioResult(sid, len(rows), max(s for s, _ in rows), rows[-1][0], any(p for _, p in rows))
        for sid, rows in sorted(by_scenario.items())
    )
    ordered = sorted(mistakes.items(), key=lambda item: (-item[1], item[0][1], item[0][0]))
    return TraineeResult(
        user=user,
        certified_until=until,
        quiz_best=max((int(p) for _, p, _ in quizzes), default=None),
        scenarios=scenarios,
        mistakes=tuple(MistakeCount(kind, mid, n) for (kind, mid), n in ordered),
    )


def _json_list(text: object) -> list[dict[str, Any]]:
    """The stored JSON array of objects; anything else (a damaged row) counts as no entries, not a crash."""
    try:
        value = json.loads(str(text))
    except ValueError:
        return []
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def to_json(report: TrainingReport) -> dict[str, Any]:
    """Exactly the documented shape: dates ISO, ``quiz_best`` a percent or null."""
    return {
        "from": report.date_from.isoformat(),
        "to": report.date_to.isoformat(),
        "trainees": [
            {
                "user": t.user,
                "certified_until": t.certified_until.isoformat() if t.certified_until else None,
                "quiz_best": t.quiz_best,
                "scenarios": [
                    {"id": s.id, "attempts": s.attempts, "best": s.best, "last": s.last, "passed": s.passed}
                    for s in t.scenarios
                ],
                "mistakes": [{"kind": m.kind, "id": m.id, "count": m.count} for m in t.mistakes],
            }
            for t in report.trainees
        ],
    }


def as_report(report: TrainingReport) -> Report:
    """The tables of the terminal, CSV and xlsx: one row per trainee and scenario (a trainee with only a quiz
    gets one row without a scenario), with the quiz and certified-until; the mistakes as a second table."""
    rows: list[dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    for t in report.trainees:
        head = {
            "user": t.user,
            "certified_until": t.certified_until.isoformat() if t.certified_until else None,
            "quiz_best": t.quiz_best,
        }
        for s in t.scenarios or (None,):
            rows.append(head if s is None else {**head, "scenario": s.id, "attempts": s.attempts, "best": s.best,
                                                "last": s.last, "passed": "yes" if s.passed else "no"})  # fmt: skip
        wrong.extend({"user": t.user, "kind": m.kind, "id": m.id, "count": m.count} for m in t.mistakes)
    span = f"{report.date_from} to {report.date_to}"
    sections = [
        Section(
            "scenarios",
            f"Training {span}: scenarios",
            [
                Column("user", "trainee"),
                Column("certified_until", "certified until", "date"),
                Column("quiz_best", "quiz best %", "int"),
                Column("scenario", "scenario"),
                Column("attempts", "attempts", "int"),
                Column("best", "best", "int"),
                Column("last", "last", "int"),
                Column("passed", "passed"),
            ],
            rows,
        ),
        Section(
            "mistakes",
            f"Training {span}: mistakes",
            [
                Column("user", "trainee"),
                Column("kind", "kind"),
                Column("id", "mistake"),
                Column("count", "count", "int"),
            ],
            wrong,
        ),
    ]
    notes = [] if report.trainees else [said("rpt.note.training_none", "no training results in this window")]
    return Report("training", to_json(report), sections, notes)
