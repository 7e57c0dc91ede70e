"""Training results: practice and quiz saves, the certification they earn, and certifications recorded by a
trainer or admin (domain.training.results), with where a person stands (domain.training.standing).

Scores and quiz results are stand-ins with the attributes the design lists (training_spec sections 2 and 4),
so these tests do not depend on the scoring or the quiz bank."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.policy import policy_from_dict
from collectui.domain.staff.actor import token_actor
from collectui.domain.staff.certification import refusal
from collectui.domain.training import results
from collectui.domain.training.standing import standing
from tests.support.cli import SYSTEM, add_staff

TODAY = date(2026, 11, 28)
MANDATORY = {"first_call", "angry"}

pytestmark = pytest.mark.usefixtures("cheap_hasher")


@dataclass(frozen=True)
class FakeMistake:
    kind: str
    id: str
    cost: int


@dataclass(frozen=True)
class FakeScore:
    total: int
    passed: bool
    choices_lost: int = 0
    compliance_lost: int = 0
    outcome_lost: int = 0
    mistakes: tuple[FakeMistake, ...] = ()


@dataclass(frozen=True)
class FakeQuestion:
    id: str
    topic: str


@dataclass(frozen=True)
class FakeItem:
    question: FakeQuestion
    chosen: int | None
    right: bool


@dataclass(frozen=True)
class FakeQuiz:
    percent: int
    passed: bool
    questions: int = 15
    correct: int = 12
    items: tuple[FakeItem, ...] = field(default_factory=tuple)


PASS = FakeScore(90, True, choices_lost=10, mistakes=(FakeMistake("choice", "pressure", 10),))
FAIL = FakeScore(
    50, False, choices_lost=30, compliance_lost=20, mistakes=(FakeMistake("compliance", "gate_ignored", 20),)
)
QUIZ_PASS = FakeQuiz(87, True, correct=13, items=(FakeItem(FakeQuestion("hours_1", "call_hours"), 2, False),))
QUIZ_FAIL = FakeQuiz(60, False, correct=9)


@pytest.fixture
def staff(ctx, monkeypatch):
    """A new collector amy (not certified), a trainer tom and an admin ann (certified: trained staff)."""
    monkeypatch.setattr(results, "mandatory_ids", lambda: set(MANDATORY))
    amy = add_staff(ctx, "amy", "collector", "城关支行")
    with ctx.db.raw_write() as raw:
        raw.execute("DELETE FROM certification")  # amy is the trainee of these tests
    return {"amy": amy, "tom": add_staff(ctx, "tom", "trainer"), "ann": add_staff(ctx, "ann", "admin")}


def certs(ctx, user_id: int) -> list[tuple]:
    with ctx.db.raw_read() as raw:
        return raw.execute(
            "SELECT certified_on, source, reason, by_user_id FROM certification WHERE user_id = ? ORDER BY id",
            (user_id,),
        ).fetchall()


def events(ctx, action: str) -> list[tuple]:
    with ctx.db.raw_read() as raw:
        rows = raw.execute(
            "SELECT actor, target_id, details FROM audit_event WHERE action = ? ORDER BY id", (action,)
        ).fetchall()
    return [(a, t, json.loads(d) if d else None) for a, t, d in rows]


def at_day(ctx, day: date) -> None:
    ctx.clock.current = ctx.clock.current.replace(year=day.year, month=day.month, day=day.day)


def test_save_practice_stores_the_score_and_its_mistakes(ctx, staff):
    attempt = results.save_practice(ctx, staff["amy"], "first_call", 2, True, FAIL)
    with ctx.db.raw_read() as raw:
        row = raw.execute(
            "SELECT user_id, scenario_id, scenario_version, mandatory, finished_at, score, choices_lost, "
            "compliance_lost, outcome_lost, passed, mistakes FROM training_attempt WHERE id = ?",
            (attempt,),
        ).fetchone()
    assert row[:4] == (staff["amy"].user_id, "first_call", 2, 1)
    assert row[4] == "2026-11-28T02:00:00.000000+00:00"  # UTC text, like every stored time
    assert row[5:10] == (50, 30, 20, 0, 0)
    assert json.loads(row[10]) == [{"kind": "compliance", "id": "gate_ignored", "cost": 20}]


def test_save_quiz_stores_the_answers(ctx, staff):
    quiz = results.save_quiz(ctx, staff["amy"], QUIZ_PASS)
    with ctx.db.raw_read() as raw:
        row = raw.execute(
            "SELECT user_id, questions, correct, percent, passed, answers FROM quiz_attempt WHERE id = ?", (quiz,)
        ).fetchone()
    assert row[:5] == (staff["amy"].user_id, 15, 13, 87, 1)
    assert json.loads(row[5]) == [{"q": "hours_1", "topic": "call_hours", "chosen": 2, "right": False}]


def test_results_belong_to_a_person(ctx, staff):
    dialler = token_actor("dialler", "collector", "城关支行", frozenset({"training.practice"}))
    with pytest.raises(InvalidInput, match="signed-in person"):
        results.save_quiz(ctx, dialler, QUIZ_PASS)


def test_a_trainee_earns_a_certification_with_the_quiz_and_every_mandatory_scenario(ctx, staff):
    amy = staff["amy"]
    results.save_quiz(ctx, amy, QUIZ_FAIL)
    results.save_practice(ctx, amy, "first_call", 1, True, PASS)
    results.save_practice(ctx, amy, "angry", 1, True, FAIL)  # a failed attempt counts for nothing
    results.save_practice(ctx, amy, "not_needed", 1, False, PASS)
    assert certs(ctx, amy.user_id) == []
    at_day(ctx, TODAY + timedelta(days=2))
    results.save_practice(ctx, amy, "angry", 1, True, PASS)
    assert certs(ctx, amy.user_id) == []  # the quiz is still missing
    at_day(ctx, TODAY + timedelta(days=3))
    results.save_quiz(ctx, amy, QUIZ_PASS)
    # Dated the earliest of the latest passes (first_call on the 28th): valid 365 days from then.
    assert certs(ctx, amy.user_id) == [("2026-11-28", "earned", None, None)]
    assert events(ctx, "training.certify") == [
        ("amy", "amy", {"source": "earned", "on": "2026-11-28", "scenarios": ["angry", "first_call"]})
    ]
    with ctx.db.raw_read() as raw:
        assert refusal(raw, amy.user_id, TODAY + timedelta(days=3), 365) is None
    # Passing again the same way extends nothing: no second row.
    results.save_quiz(ctx, amy, QUIZ_PASS)
    assert len(certs(ctx, amy.user_id)) == 1
    # A new pass of the oldest one moves the date on: a longer certification.
    at_day(ctx, TODAY + timedelta(days=10))
    results.save_practice(ctx, amy, "first_call", 1, True, PASS)
    assert [c[0] for c in certs(ctx, amy.user_id)] == ["2026-11-28", "2026-11-30"]


def test_passes_older_than_valid_days_do_not_count(ctx, staff):
    amy = staff["amy"]
    results.save_practice(ctx, amy, "first_call", 1, True, PASS)  # 2026-11-28
    at_day(ctx, date(2027, 11, 28))  # 365 days later: the first_call pass would have expired today
    results.save_practice(ctx, amy, "angry", 1, True, PASS)
    results.save_quiz(ctx, amy, QUIZ_PASS)
    assert certs(ctx, amy.user_id) == []
    at_day(ctx, date(2027, 11, 27))  # one day less (a clock going back: the window is what counts)
    results.save_quiz(ctx, amy, QUIZ_PASS)
    assert certs(ctx, amy.user_id) == [("2026-11-28", "earned", None, None)]


def test_the_shipped_mandatory_scenarios_include_the_first_call():
    assert "first_call" in results.mandatory_ids()


def test_a_trainer_records_a_certification(ctx, staff):
    done = results.record_certification(ctx, staff["tom"], "amy", "trained at head office in 2025", date(2026, 3, 1))
    assert (done.certified_on, done.until, done.source) == (date(2026, 3, 1), date(2027, 3, 1), "recorded")
    assert certs(ctx, staff["amy"].user_id) == [("2026-03-01", "recorded", "trained at head office in 2025", 2)]
    assert events(ctx, "training.certify")[-1] == (
        "tom",
        "amy",
        {"source": "recorded", "on": "2026-03-01", "reason": "trained at head office in 2025", "role": "trainer"},
    )
    # Chinese reasons: four characters are enough; numbers typed in a reason are masked like call notes.
    done = results.record_certification(ctx, staff["ann"], "amy", "总行培训合格 13812345678", None)
    assert done.certified_on == TODAY
    assert "13812345678" not in certs(ctx, staff["amy"].user_id)[-1][2]


def test_nobody_certifies_themselves_and_the_refusal_is_audited(ctx, staff):
    with pytest.raises(PermissionDenied, match="nobody certifies themselves"):
        results.record_certification(ctx, staff["tom"], "tom", "trained at head office in 2025", None)
    (denied,) = events(ctx, "access.denied")
    assert denied[:2] == ("tom", "training.certify") and denied[2]["why"] == "self"
    assert certs(ctx, staff["tom"].user_id) == [
        (str(TODAY - timedelta(days=180)), "recorded", "trained staff (test fixture)", None)
    ]


@pytest.mark.parametrize("role", ["collector", "supervisor", "trainee"])
def test_only_trainers_and_admins_certify(ctx, staff, role):
    other = add_staff(ctx, "other", role, "城关支行")
    with pytest.raises(PermissionDenied, match=f"a {role} may not do this"):
        results.record_certification(ctx, other, "amy", "trained at head office in 2025", None)
    assert [(a, t) for a, t, _ in events(ctx, "access.denied")] == [("other", "training.certify")]


def test_a_token_does_not_certify(ctx, staff):
    token = token_actor("bot", "admin", None, frozenset({"training.certify"}))
    with pytest.raises(PermissionDenied, match="signed-in person"):
        results.record_certification(ctx, token, "amy", "trained at head office in 2025", None)
    assert events(ctx, "access.denied")[0][2]["why"] == "not_a_person"


@pytest.mark.parametrize(
    ("reason", "on", "message"),
    [
        ("trained", None, "3 words or 4 Chinese characters"),
        ("", None, "3 words or 4 Chinese characters"),
        ("培训", None, "3 words or 4 Chinese characters"),
        ("trained at head office", date(2026, 11, 29), "in the future"),
        ("trained at head office", date(2025, 11, 28), "expired already"),
    ],
)
def test_a_recorded_certification_needs_a_reason_and_a_day_that_still_counts(ctx, staff, reason, on, message):
    with pytest.raises(InvalidInput, match=message):
        results.record_certification(ctx, staff["tom"], "amy", reason, on)
    assert certs(ctx, staff["amy"].user_id) == []


def test_the_oldest_day_that_still_counts_is_accepted(ctx, staff):
    done = results.record_certification(ctx, staff["tom"], "amy", "trained at head office", date(2025, 11, 29))
    assert done.until == TODAY + timedelta(days=1)


def test_unknown_user(ctx, staff):
    with pytest.raises(NotFound):
        results.record_certification(ctx, staff["tom"], "nobody", "trained at head office", None)


def test_system_certifies_like_the_demo_builder(ctx, staff):
    results.record_certification(ctx, SYSTEM, "amy", "trained at head office", None)
    assert certs(ctx, staff["amy"].user_id) == [(str(TODAY), "recorded", "trained at head office", None)]


def test_standing_of_oneself(ctx, staff):
    amy = staff["amy"]
    results.save_quiz(ctx, amy, QUIZ_FAIL)
    results.save_practice(ctx, amy, "first_call", 1, True, PASS)
    s = standing(ctx, amy)
    assert (s.username, s.role, s.branch, s.certified_until, s.latest) == ("amy", "collector", "城关支行", None, None)
    assert s.refusal is not None and s.rule_applies
    assert (s.quiz_best, s.quiz_passed_on) == (60, None)
    assert s.passed == {"first_call": TODAY} and s.missing == ("angry",)
    results.record_certification(ctx, staff["tom"], "amy", "trained at head office", None)
    s = standing(ctx, amy)
    assert s.refusal is None and s.certified_until == date(2027, 11, 28)
    assert (s.latest.source, s.latest.by, s.latest.reason) == ("recorded", "tom", "trained at head office")
    assert s.to_json()["certified"] is True


def test_a_collector_sees_only_themselves(ctx, staff):
    add_staff(ctx, "bob", "collector", "城关支行")
    with pytest.raises(PermissionDenied, match="a collector may not do this"):
        standing(ctx, staff["amy"], "bob")
    assert [(a, t) for a, t, _ in events(ctx, "access.denied")] == [("amy", "training.report")]
    assert standing(ctx, staff["amy"], "amy").username == "amy"


def test_a_supervisor_sees_their_branch_and_a_trainer_everyone(ctx, staff):
    sue = add_staff(ctx, "sue", "supervisor", "城关支行")
    add_staff(ctx, "liu", "collector", "河西支行")
    assert standing(ctx, sue, "amy").username == "amy"
    with pytest.raises(PermissionDenied, match="acts for branch 城关支行 only"):
        standing(ctx, sue, "liu")
    with pytest.raises(PermissionDenied):
        standing(ctx, sue, "tom")  # staff without a branch belong to no supervisor
    assert standing(ctx, staff["tom"], "liu").username == "liu"
    assert standing(ctx, staff["ann"], "tom").rule_applies


def test_the_rule_off_is_said(ctx, staff):
    ctx.policy = policy_from_dict({"rules": {"certified": {"enabled": False}}})
    assert not standing(ctx, staff["amy"]).rule_applies
