"""A person's own training progress for the hub (domain.training.progress): tries, best and last per scenario
and for the quiz, passes that still count, the certification and what it still needs; only one's own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from collectui.domain.errors import InvalidInput, PermissionDenied
from collectui.domain.staff.actor import token_actor
from collectui.domain.training import progress, results
from collectui.domain.training.progress import Tries, my_progress
from collectui.domain.training.scoring import Score
from tests.support.cli import add_staff

MANDATORY = {"first_call", "angry"}

pytestmark = pytest.mark.usefixtures("cheap_hasher")


class Quiz:
    """A marked quiz with the attributes save_quiz reads."""

    def __init__(self, percent: int) -> None:
        self.questions, self.correct, self.percent, self.passed, self.items = (
            15,
            percent * 15 // 100,
            percent,
            percent >= 80,
            (),
        )


def score(total: int) -> Score:
    return Score(total, 100 - total, 0, 0, total >= 80, ())


@pytest.fixture
def amy(ctx, monkeypatch):
    """A new collector, not certified; first_call and angry are the mandatory scenarios."""
    monkeypatch.setattr(results, "mandatory_ids", lambda: set(MANDATORY))
    monkeypatch.setattr(progress, "mandatory_ids", lambda: set(MANDATORY))
    actor = add_staff(ctx, "amy", "collector", "城关支行")
    with ctx.db.raw_write() as raw:
        raw.execute("DELETE FROM certification")
    return actor


def test_nothing_tried_yet_says_everything_is_missing(ctx, amy):
    got = my_progress(ctx, amy)
    assert got.scenarios == {} and got.quiz == Tries() and got.tries("first_call") == Tries()
    assert got.certified_until is None and not got.certified
    assert got.missing_quiz and got.missing_scenarios == ("angry", "first_call")


def test_tries_best_last_and_passes_that_count(ctx, amy):
    for total in (60, 90, 70):  # the latest is not the best
        results.save_practice(ctx, amy, "first_call", 1, True, score(total))
        ctx.clock.advance(timedelta(minutes=5))
    results.save_practice(ctx, amy, "angry", 1, True, score(50))
    results.save_quiz(ctx, amy, Quiz(73))
    results.save_quiz(ctx, amy, Quiz(60))
    got = my_progress(ctx, amy)
    assert got.tries("first_call") == Tries(3, 90, 70, True)
    assert got.tries("angry") == Tries(1, 50, 50, False)
    assert got.quiz == Tries(2, 73, 60, False)
    assert got.missing_quiz and got.missing_scenarios == ("angry",) and not got.certified


def test_the_set_complete_certifies_until_valid_days_later(ctx, amy):
    results.save_practice(ctx, amy, "first_call", 1, True, score(90))
    results.save_practice(ctx, amy, "angry", 1, True, score(85))
    results.save_quiz(ctx, amy, Quiz(87))
    got = my_progress(ctx, amy)
    days = ctx.policy.integer("rules.certified.valid_days")
    assert got.certified and got.certified_until == date(2026, 11, 28) + timedelta(days=days)
    assert not got.missing_quiz and got.missing_scenarios == () and got.quiz.passed


def test_a_pass_older_than_valid_days_no_longer_counts(ctx, amy):
    results.save_practice(ctx, amy, "first_call", 1, True, score(90))
    results.save_quiz(ctx, amy, Quiz(90))
    ctx.clock.advance(timedelta(days=ctx.policy.integer("rules.certified.valid_days")))
    got = my_progress(ctx, amy)
    assert got.tries("first_call") == Tries(1, 90, 90, False)
    assert got.quiz == Tries(1, 90, 90, False) and got.missing_quiz
    assert got.missing_scenarios == ("angry", "first_call")


def test_only_a_signed_in_person_who_may_practise(ctx, amy):
    dialler = token_actor("dialler", "collector", "城关支行", frozenset({"training.practice"}))
    with pytest.raises(InvalidInput, match="signed-in person"):
        my_progress(ctx, dialler)
    no_training = token_actor("reader", "collector", "城关支行", frozenset({"queue.read"}))
    with pytest.raises(PermissionDenied):
        my_progress(ctx, no_training)
