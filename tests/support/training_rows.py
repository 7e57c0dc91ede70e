"""Training results inserted directly, for the trainer's report tests (domain, CLI, TUI).

``seed_training(ctx)`` writes two trainees in two branches, with the figures worked out by hand below
(clock 2026-11-28 10:00 Asia/Shanghai; the default window is 2026-10-30 .. 2026-11-28):

amy (collector, 城关支行), certified (earned) on 2026-11-21 -> certified until 2027-11-21 (365 days):
  first_call  10-29 23:59:59  99 passed   [choice late_edge]                 (before the window)
  first_call  10-30 00:00:00  50 failed   [choice no_identification, outcome wrong_outcome]
  first_call  11-02 10:00     60 failed   [choice no_identification, choice pressure]
  first_call  11-20 23:30     90 passed   [choice pressure]
  first_call  11-25 10:00     70 failed   [choice argued, compliance checklist.recording_notice]
  angry       11-27 10:00     85 passed   [compliance note_scan.threat]
  quiz        11-10 10:00     73%         wrong: call_hours, privacy
  quiz        11-21 00:00     87%         wrong: call_hours
ben (collector, 河西支行), never certified:
  relative_answers 11-15 10:00 100 passed []
  quiz        11-15 11:00     93%         all right
carl (collector, 城关支行): one quiz on 2026-09-01 only (outside the default window).
sue: supervisor of 城关支行; tina: trainer, ann: admin (neither is bound to a branch).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from collectui.domain.context import Ctx
from collectui.storage.models import Branch, Certification, QuizAttempt, TrainingAttempt
from tests.support.report_rows import Seed

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


AT_NOON = at(2026, 11, 1, 12)  # when the accounts were made


def _mistakes(*items: tuple[str, str]) -> str:
    return json.dumps([{"kind": kind, "id": mid, "cost": 10} for kind, mid in items])


def _answers(wrong: tuple[str, ...], right: tuple[str, ...] = ("third_parties",)) -> str:
    rows = [{"q": f"{t}_1", "topic": t, "chosen": 0, "right": False} for t in wrong]
    rows += [{"q": f"{t}_2", "topic": t, "chosen": 1, "right": True} for t in right]
    return json.dumps(rows)


PRACTICE = [  # (user, scenario, finished_at, score, passed, mistakes)
    ("amy", "first_call", at(2026, 10, 29, 23, 59, 59), 99, True, (("choice", "late_edge"),)),
    ("amy", "first_call", at(2026, 10, 30, 0, 0), 50, False, (("choice", "no_identification"), ("outcome", "wrong_outcome"))),
    ("amy", "first_call", at(2026, 11, 2), 60, False, (("choice", "no_identification"), ("choice", "pressure"))),
    ("amy", "first_call", at(2026, 11, 20, 23, 30), 90, True, (("choice", "pressure"),)),
    ("amy", "first_call", at(2026, 11, 25), 70, False, (("choice", "argued"), ("compliance", "checklist.recording_notice"))),
    ("amy", "angry", at(2026, 11, 27), 85, True, (("compliance", "note_scan.threat"),)),
    ("ben", "relative_answers", at(2026, 11, 15), 100, True, ()),
]  # fmt: skip

QUIZZES = [  # (user, taken_at, percent, wrong topics)
    ("amy", at(2026, 11, 10), 73, ("call_hours", "privacy")),
    ("amy", at(2026, 11, 21, 0, 0), 87, ("call_hours",)),
    ("ben", at(2026, 11, 15, 11), 93, ()),
    ("carl", at(2026, 9, 1), 100, ()),
]


def seed_training(ctx: Ctx) -> dict[str, int]:
    """The staff and results above; returns user ids by username."""
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.branches.update({b.name: b.id for b in s.exec(select(Branch)) if b.id is not None})  # a seeded bank's
        seed.user("amy", "collector", "城关支行")
        seed.user("ben", "collector", "河西支行")
        seed.user("carl", "collector", "城关支行")
        seed.user("sue", "supervisor", "城关支行")
        for name, role in (("tina", "trainer"), ("ann", "admin")):
            seed.user(name, role)
        ids = seed.users
        for user, scenario, when, score, passed, mistakes in PRACTICE:
            s.add(
                TrainingAttempt(
                    user_id=ids[user], scenario_id=scenario, scenario_version=1, mandatory=True, finished_at=when,
                    score=score, choices_lost=100 - score, compliance_lost=0, outcome_lost=0, passed=passed,
                    mistakes=_mistakes(*mistakes),
                )
            )  # fmt: skip
        for user, when, percent, wrong in QUIZZES:
            s.add(
                QuizAttempt(
                    user_id=ids[user], taken_at=when, questions=15, correct=percent * 15 // 100, percent=percent,
                    passed=percent >= 80, answers=_answers(wrong),
                )
            )  # fmt: skip
        s.add(
            Certification(
                user_id=ids["amy"], certified_on=date(2026, 11, 21), source="earned", recorded_at=at(2026, 11, 21)
            )
        )
    return dict(ids)
