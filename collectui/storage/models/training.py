"""Training results (schema version 5): practice calls, quizzes and the certifications they earn.

The bank's database keeps only the outcome of a practice call (score, points lost, the mistake ids), never
the sandbox's made-up borrowers. A certification row is either earned (quiz and every mandatory practice
scenario passed) or recorded by a trainer (existing staff, or training done elsewhere); the gate's
``certified`` rule reads the latest one (``domain.staff.certification``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from collectui.storage.types import AwareDateTime


class TrainingAttempt(SQLModel, table=True):
    """One finished practice call of one scenario."""

    __tablename__ = "training_attempt"
    __table_args__ = (Index("ix_training_attempt_user_scenario", "user_id", "scenario_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staff_user.id")
    scenario_id: str
    scenario_version: int  # the file's version: a changed dialogue is told apart in the report
    mandatory: bool  # as the file said when it was played
    finished_at: datetime = Field(sa_type=AwareDateTime)
    score: int
    choices_lost: int
    compliance_lost: int
    outcome_lost: int
    passed: bool
    mistakes: str  # JSON [{"kind": "choice|compliance|outcome", "id": "...", "cost": 10}]


class QuizAttempt(SQLModel, table=True):
    """One marked quiz paper."""

    __tablename__ = "quiz_attempt"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    taken_at: datetime = Field(sa_type=AwareDateTime)
    questions: int
    correct: int
    percent: int  # floor(100 * correct / questions)
    passed: bool
    answers: str  # JSON [{"q": "hours_1", "topic": "call_hours", "chosen": 2, "right": false}]


class Certification(SQLModel, table=True):
    """A person is certified to call for ``valid_days`` from ``certified_on`` (the latest row counts)."""

    __tablename__ = "certification"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    certified_on: date  # a local date (policy zone), stored 'YYYY-MM-DD'
    source: str  # earned (quiz + mandatory scenarios passed) | recorded (`collectui training certify`)
    reason: str | None = None  # required when recorded
    by_user_id: int | None = Field(default=None, foreign_key="staff_user.id")  # who recorded it
    recorded_at: datetime = Field(sa_type=AwareDateTime)
