"""The trainer's report on hand-worked rows (tests/support/training_rows.py): figures, window edges, who sees
whom, the order of the mistakes and the exact JSON keys."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.reports.training import as_report, to_json, training_report
from collectui.storage.models import AuditEvent
from tests.support.cli import actor_of
from tests.support.training_rows import seed_training


@pytest.fixture
def trained(ctx):
    seed_training(ctx)
    return ctx


def _by_user(report):
    return {t["user"]: t for t in to_json(report)["trainees"]}


def test_figures_per_trainee_over_the_default_window(trained):
    report = training_report(trained, actor_of(trained, "tina"))
    data = to_json(report)
    assert (data["from"], data["to"]) == ("2026-10-30", "2026-11-28")  # 30 days, both ends included
    # carl's only result (1 Sep) is outside the window: he is not listed.
    assert [t["user"] for t in data["trainees"]] == ["amy", "ben"]
    amy, ben = _by_user(report)["amy"], _by_user(report)["ben"]
    assert amy["certified_until"] == "2027-11-21"  # certified 2026-11-21 + 365 days
    assert amy["quiz_best"] == 87
    assert amy["scenarios"] == [
        {"id": "angry", "attempts": 1, "best": 85, "last": 85, "passed": True},
        # The 99 of 29 Oct 23:59:59 is a day before the window; the last is the 70 of 25 Nov.
        {"id": "first_call", "attempts": 4, "best": 90, "last": 70, "passed": True},
    ]
    assert ben == {
        "user": "ben",
        "certified_until": None,
        "quiz_best": 93,
        "scenarios": [{"id": "relative_answers", "attempts": 1, "best": 100, "last": 100, "passed": True}],
        "mistakes": [],
    }


def test_mistakes_count_practice_and_wrong_quiz_answers_most_frequent_first_then_by_id(trained):
    amy = _by_user(training_report(trained, actor_of(trained, "tina")))["amy"]
    assert [(m["kind"], m["id"], m["count"]) for m in amy["mistakes"]] == [
        ("quiz", "call_hours", 2),
        ("choice", "no_identification", 2),
        ("choice", "pressure", 2),
        ("choice", "argued", 1),
        ("compliance", "checklist.recording_notice", 1),
        ("compliance", "note_scan.threat", 1),
        ("quiz", "privacy", 1),
        ("outcome", "wrong_outcome", 1),
    ]
    assert "late_edge" not in {m["id"] for m in amy["mistakes"]}  # the attempt before the window


def test_window_edges_are_local_days(trained):
    tina = actor_of(trained, "tina")
    # --to 20 Nov: the attempt at 23:30 local that day counts (15:30 UTC), the quiz at 00:00 on 21 Nov does not.
    report = training_report(trained, tina, trainee="amy", date_from=date(2026, 11, 20), date_to=date(2026, 11, 20))
    amy = to_json(report)["trainees"][0]
    assert amy["scenarios"] == [{"id": "first_call", "attempts": 1, "best": 90, "last": 90, "passed": True}]
    assert amy["quiz_best"] is None
    # --from 30 Oct: its first second counts, the second before does not.
    report = training_report(trained, tina, date_from=date(2026, 10, 30), date_to=date(2026, 10, 30))
    [amy] = to_json(report)["trainees"]
    assert amy["scenarios"] == [{"id": "first_call", "attempts": 1, "best": 50, "last": 50, "passed": False}]
    report = training_report(trained, tina, date_from=date(2026, 10, 29), date_to=date(2026, 10, 29))
    [amy] = to_json(report)["trainees"]
    assert amy["scenarios"] == [{"id": "first_call", "attempts": 1, "best": 99, "last": 99, "passed": True}]
    assert [m["id"] for m in amy["mistakes"]] == ["late_edge"]
    with pytest.raises(InvalidInput, match="after"):
        training_report(trained, tina, date_from=date(2026, 11, 2), date_to=date(2026, 11, 1))


def test_a_named_trainee_is_listed_even_without_results_and_an_unknown_one_is_not_found(trained):
    tina = actor_of(trained, "tina")
    [carl] = to_json(training_report(trained, tina, trainee="carl"))["trainees"]
    assert carl == {"user": "carl", "certified_until": None, "quiz_best": None, "scenarios": [], "mistakes": []}
    with pytest.raises(NotFound, match="nobody"):
        training_report(trained, tina, trainee="nobody")


def _denied(ctx):
    with ctx.db.read() as s:
        return [(e.actor, e.target_id) for e in s.exec(select(AuditEvent).where(AuditEvent.action == "access.denied"))]


def test_a_supervisor_sees_their_branch_only_and_is_refused_another_branchs_trainee(trained):
    sue = actor_of(trained, "sue")
    assert [t["user"] for t in to_json(training_report(trained, sue))["trainees"]] == ["amy"]
    assert [t["user"] for t in to_json(training_report(trained, sue, trainee="amy"))["trainees"]] == ["amy"]
    with pytest.raises(PermissionDenied, match="branch"):
        training_report(trained, sue, trainee="ben")
    assert _denied(trained) == [("sue", "training.report")]
    # Admins see everyone, like trainers; a collector may not read the report at all (audited).
    assert [t["user"] for t in to_json(training_report(trained, actor_of(trained, "ann")))["trainees"]] == [
        "amy",
        "ben",
    ]
    with pytest.raises(PermissionDenied, match="may not"):
        training_report(trained, actor_of(trained, "amy"))
    assert _denied(trained)[-1] == ("amy", "training.report")


def test_json_keys_are_exactly_the_documented_ones(trained):
    data = to_json(training_report(trained, actor_of(trained, "tina")))
    assert list(data) == ["from", "to", "trainees"]
    for trainee in data["trainees"]:
        assert list(trainee) == ["user", "certified_until", "quiz_best", "scenarios", "mistakes"]
        for s in trainee["scenarios"]:
            assert list(s) == ["id", "attempts", "best", "last", "passed"]
        for m in trainee["mistakes"]:
            assert list(m) == ["kind", "id", "count"]


def test_tables_one_row_per_trainee_and_scenario_and_the_mistakes(trained):
    report = as_report(training_report(trained, actor_of(trained, "tina"), date_from=date(2026, 11, 21)))
    scenarios, mistakes = report.sections
    # From 21 Nov: amy's 25 and 27 Nov practice and her 87% quiz; ben has nothing left.
    assert [(r["user"], r.get("scenario"), r.get("attempts"), r["quiz_best"]) for r in scenarios.rows] == [
        ("amy", "angry", 1, 87),
        ("amy", "first_call", 1, 87),
    ]
    assert [(r["user"], r["kind"], r["id"], r["count"]) for r in mistakes.rows] == [
        ("amy", "choice", "argued", 1),
        ("amy", "quiz", "call_hours", 1),
        ("amy", "compliance", "checklist.recording_notice", 1),
        ("amy", "compliance", "note_scan.threat", 1),
    ]
    # A trainee with a quiz only has one row, without a scenario.
    quiz_only = as_report(
        training_report(trained, actor_of(trained, "tina"), trainee="carl", date_from=date(2026, 9, 1))
    )
    assert [(r["user"], r.get("scenario"), r["quiz_best"]) for r in quiz_only.sections[0].rows] == [("carl", None, 100)]


def test_a_supervisor_without_a_branch_sees_nobody(trained):
    from collectui.storage.models import StaffUser
    from tests.support.training_rows import AT_NOON

    with trained.db.write() as s:
        for name, role in (("nob", "supervisor"), ("tom", "trainee")):  # neither has a branch
            s.add(StaffUser(username=name, display_name=name, role=role, password_hash="x", created_at=AT_NOON))
    nob = actor_of(trained, "nob")
    assert to_json(training_report(trained, nob))["trainees"] == []
    for someone in ("amy", "tom"):  # another branch's trainee, and one without a branch like the supervisor
        with pytest.raises(PermissionDenied):
            training_report(trained, nob, trainee=someone)
