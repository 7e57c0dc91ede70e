"""A person's own training progress, for the training hub: each scenario's attempts, best and last score and
whether a pass still counts, the same for the quiz, and the certification with what it still needs.

Only the person's own rows (permission ``training.practice``, which a trainee has): the trainer's view of
everyone is ``reports.training``. "Passed" means a pass that still counts towards a certification (less than
``[rules.certified] valid_days`` old, ``results.latest_passes``), so what is "still needed" is what the next
earned certification would need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.certification import certified_until
from collectui.domain.staff.permissions import authorize
from collectui.domain.training.results import latest_passes, local_today, mandatory_ids, valid_days


@dataclass(frozen=True)
class Tries:
    """Attempts at one scenario, or at the quiz (scores are percents for the quiz)."""

    attempts: int = 0
    best: int | None = None
    last: int | None = None  # the score of the latest attempt
    passed: bool = False  # a pass that still counts


@dataclass(frozen=True)
class Progress:
    scenarios: dict[str, Tries]  # by scenario id; a scenario never tried is absent
    quiz: Tries
    certified_until: date | None  # the first day without a certification; None: never certified
    certified: bool  # certified today
    missing_quiz: bool  # the quiz has no pass that still counts
    missing_scenarios: tuple[str, ...]  # mandatory scenarios without a pass that still counts, sorted

    def tries(self, scenario_id: str) -> Tries:
        return self.scenarios.get(scenario_id, Tries())


def _tally(rows: Iterable[tuple[object, ...]], counting: set[str] | bool) -> dict[str, Tries]:
    """Rows (key, score) oldest first; ``counting``: the keys with a pass that still counts."""
    out: dict[str, Tries] = {}
    for key, value in rows:
        name, score = str(key), int(str(value))
        seen = out.get(name, Tries())
        best = score if seen.best is None else max(seen.best, score)
        passed = counting if isinstance(counting, bool) else name in counting
        out[name] = Tries(seen.attempts + 1, best, score, passed)
    return out


def my_progress(ctx: Ctx, actor: Actor) -> Progress:
    """The signed-in person's own training progress (permission ``training.practice``)."""
    authorize(ctx, actor, "training.practice")
    if actor.user_id is None:
        raise InvalidInput(
            said("error.training.progress_token", "training progress belongs to a signed-in person, not a token")
        )
    user_id = actor.user_id
    needed = mandatory_ids()
    days = valid_days(ctx.policy)
    with ctx.db.raw_read() as raw:
        quiz_day, scenario_days = latest_passes(raw, ctx, user_id)
        attempts = raw.execute(
            "SELECT scenario_id, score FROM training_attempt WHERE user_id = ? ORDER BY finished_at, id",
            (user_id,),
        ).fetchall()
        quizzes = raw.execute(
            "SELECT 'quiz', percent FROM quiz_attempt WHERE user_id = ? ORDER BY taken_at, id", (user_id,)
        ).fetchall()
        until = certified_until(raw, user_id, days)
    quiz = _tally(quizzes, quiz_day is not None).get("quiz", Tries(passed=quiz_day is not None))
    return Progress(
        scenarios=_tally(attempts, set(scenario_days)),
        quiz=quiz,
        certified_until=until,
        certified=until is not None and local_today(ctx) < until,
        missing_quiz=quiz_day is None,
        missing_scenarios=tuple(sorted(needed - scenario_days.keys())),
    )
