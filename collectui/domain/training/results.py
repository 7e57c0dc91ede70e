"""Training results in the bank's database: practice scores, quiz results, and the certifications they earn
or a trainer records.

A person earns a certification when the quiz and every mandatory practice scenario (the shipped files marked
``mandatory``) have a pass less than ``[rules.certified] valid_days`` old: after each save, a certification
dated the earliest of those latest passes is added when it lasts longer than the one the person holds. A
trainer or admin records one for staff trained before collectui (``training certify``): never their own.
The gate's ``certified`` rule reads the rows (``staff.certification``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from collectui.domain.audit import record_raw
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.policy import Policy
from collectui.domain.privacy.unmask import MIN_CJK, MIN_WORDS, reason_problem
from collectui.domain.said import Said, said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.certification import certified_until
from collectui.domain.staff.permissions import authorize
from collectui.domain.textsafe import clean_line
from collectui.domain.training.scenario import mandatory_ids as scenario_mandatory_ids
from collectui.domain.voice.vocabulary import scrub_free_text
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

if TYPE_CHECKING:  # read through the attributes the design lists (docs: training_spec.md sections 2 and 4)
    from collectui.domain.training.quiz import QuizResult
    from collectui.domain.training.scoring import Score

MAX_REASON = 500
EARNED = "earned"
RECORDED = "recorded"


@dataclass(frozen=True)
class Certified:
    """A certification row as written: who, from which day, until which day (the first day without it)."""

    username: str
    user_id: int
    certified_on: date
    until: date
    source: str


def valid_days(policy: Policy) -> int:
    return policy.integer("rules.certified.valid_days")


def local_today(ctx: Ctx) -> date:
    return ctx.clock.now().astimezone(ctx.policy.tz).date()


def mandatory_ids() -> set[str]:
    """The ids of the practice scenarios a certification needs (the shipped files marked ``mandatory``)."""
    return set(scenario_mandatory_ids())


def _person(actor: Actor) -> int:
    """Results belong to a signed-in person: a machine's token or collectui itself has none."""
    if actor.user_id is None:
        raise InvalidInput(
            said("error.training.results_token", "training results belong to a signed-in person, not a token")
        )
    return actor.user_id


def save_practice(ctx: Ctx, actor: Actor, scenario_id: str, version: int, mandatory: bool, score: Score) -> int:
    """Store one finished practice call's score for the signed-in actor; returns the attempt's id. Earns a
    certification when it completes the set (``earn``)."""
    authorize(ctx, actor, "training.practice")
    user_id = _person(actor)
    mistakes = [{"kind": m.kind, "id": m.id, "cost": m.cost} for m in score.mistakes]
    needed = mandatory_ids()  # the files are read before the write lock is taken
    now = ctx.clock.now()
    with ctx.db.raw_write() as raw:
        attempt_id = _inserted_id(
            raw,
            "INSERT INTO training_attempt (user_id, scenario_id, scenario_version, mandatory, finished_at, score, "
            "choices_lost, compliance_lost, outcome_lost, passed, mistakes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            (
                user_id,
                scenario_id,
                version,
                int(mandatory),
                utc_text(now),
                score.total,
                score.choices_lost,
                score.compliance_lost,
                score.outcome_lost,
                int(score.passed),
                json.dumps(mistakes, ensure_ascii=False),
            ),
        )
        earn(raw, ctx, actor.name, user_id, needed)
    return attempt_id


def save_quiz(ctx: Ctx, actor: Actor, result: QuizResult) -> int:
    """Store one marked quiz for the signed-in actor; returns its id. Earns a certification like
    ``save_practice``."""
    authorize(ctx, actor, "training.practice")
    user_id = _person(actor)
    answers = [
        {"q": item.question.id, "topic": item.question.topic, "chosen": item.chosen, "right": item.right}
        for item in result.items
    ]
    needed = mandatory_ids()
    now = ctx.clock.now()
    with ctx.db.raw_write() as raw:
        quiz_id = _inserted_id(
            raw,
            "INSERT INTO quiz_attempt (user_id, taken_at, questions, correct, percent, passed, answers) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                user_id,
                utc_text(now),
                result.questions,
                result.correct,
                result.percent,
                int(result.passed),
                json.dumps(answers, ensure_ascii=False),
            ),
        )
        earn(raw, ctx, actor.name, user_id, needed)
    return quiz_id


def _inserted_id(raw: RawConnection, sql: str, params: tuple[object, ...]) -> int:
    """The id an ``INSERT ... RETURNING id`` gave its row (read to the end, so the statement is done)."""
    return int(raw.execute(sql, params).fetchall()[0][0])


def _window_start(ctx: Ctx) -> str:
    """UTC text of the first moment whose passes still count today: passes on local days after
    today - valid_days (a pass on that day would have expired today)."""
    first_day = local_today(ctx) - timedelta(days=valid_days(ctx.policy) - 1)
    return utc_text(datetime.combine(first_day, time(0), tzinfo=ctx.policy.tz))


def _local_day(ctx: Ctx, stored: object) -> date:
    return datetime.fromisoformat(str(stored)).astimezone(ctx.policy.tz).date()


def latest_passes(raw: RawConnection, ctx: Ctx, user_id: int) -> tuple[date | None, dict[str, date]]:
    """The local days of the person's latest passed quiz and latest pass of each scenario, among the passes
    that still count (less than valid_days old)."""
    since = _window_start(ctx)
    quiz = raw.execute(
        "SELECT max(taken_at) FROM quiz_attempt WHERE user_id = ? AND passed = 1 AND taken_at >= ?",
        (user_id, since),
    ).fetchone()[0]
    rows = raw.execute(
        "SELECT scenario_id, max(finished_at) FROM training_attempt WHERE user_id = ? AND passed = 1 "
        "AND finished_at >= ? GROUP BY scenario_id",
        (user_id, since),
    ).fetchall()
    scenarios = {str(sid): _local_day(ctx, last) for sid, last in rows}
    return (_local_day(ctx, quiz) if quiz else None), scenarios


def earn(raw: RawConnection, ctx: Ctx, actor_name: str, user_id: int, mandatory: set[str] | None = None) -> date | None:
    """Inside a write: add an earned certification when the quiz and every mandatory scenario have a pass
    that still counts, dated the earliest of those latest passes, if that outlasts the person's current one.
    Returns the new certification's day, or None when nothing was added."""
    needed = mandatory_ids() if mandatory is None else mandatory
    quiz_day, scenario_days = latest_passes(raw, ctx, user_id)
    if quiz_day is None or not needed <= scenario_days.keys():
        return None
    on = min([quiz_day] + [scenario_days[sid] for sid in needed])
    days = valid_days(ctx.policy)
    current = certified_until(raw, user_id, days)
    if current is not None and on + timedelta(days=days) <= current:
        return None
    _insert(raw, ctx, user_id, on, EARNED, None, None)
    details = {"source": EARNED, "on": on.isoformat(), "scenarios": sorted(needed)}
    record_raw(raw, ctx.clock, actor_name, "training.certify", "user", _username(raw, user_id), details)
    return on


def _insert(
    raw: RawConnection, ctx: Ctx, user_id: int, on: date, source: str, reason: str | None, by: int | None
) -> None:
    raw.execute(
        "INSERT INTO certification (user_id, certified_on, source, reason, by_user_id, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (user_id, on.isoformat(), source, reason, by, utc_text(ctx.clock.now())),
    )


def _username(raw: RawConnection, user_id: int) -> str:
    row = raw.execute("SELECT username FROM staff_user WHERE id = ?", (user_id,)).fetchone()
    return str(row[0]) if row else str(user_id)


def check_reason(ctx: Ctx, reason: str | None) -> str:
    """The reason as stored: one line, numbers masked (like call notes); InvalidInput unless it says enough
    (3 words or 4 Chinese characters, like an unmasking's reason)."""
    scrubbed = scrub_free_text(clean_line(reason or ""), ctx.policy)
    text = scrubbed.text if scrubbed else ""
    problem = reason_problem(text)
    if problem:
        # reason_problem has one answer (too short), given here with its numbers so it reads in Chinese too
        raise InvalidInput(
            said("error.training.reason_short", f"--reason: {problem}", min_words=MIN_WORDS, min_cjk=MIN_CJK)
        )
    if len(text) > MAX_REASON:
        raise InvalidInput(
            said("error.training.reason_long", f"--reason: at most {MAX_REASON} characters", max=MAX_REASON)
        )
    return text


def _refuse(ctx: Ctx, actor: Actor, why: str, message: Said, username: str) -> None:
    """Audit a refusal the permission table cannot express (``access.denied``, its own transaction), then raise."""
    details = {"permission": "training.certify", "why": why, "role": actor.role, "via": actor.via, "user": username}
    with ctx.db.raw_write() as raw:
        record_raw(raw, ctx.clock, actor.name, "access.denied", "permission", "training.certify", details)
    raise PermissionDenied(message)


def record_certification(
    ctx: Ctx, actor: Actor, username: str, reason: str | None, on: date | None = None
) -> Certified:
    """A trainer or admin records that ``username`` is certified from ``on`` (default today), for staff
    trained before collectui or elsewhere. Never their own; a token may not (a named person answers for it).
    Audited as ``training.certify``; refusals as ``access.denied``."""
    authorize(ctx, actor, "training.certify")
    with ctx.db.raw_read() as raw:
        row = raw.execute("SELECT id, active FROM staff_user WHERE username = ?", (username,)).fetchone()
    if actor.is_token:
        _refuse(
            ctx,
            actor,
            "not_a_person",
            said("error.training.certify_token", "training.certify: a certification is recorded by a signed-in person"),
            username,
        )
    if row is not None and actor.user_id is not None and int(row[0]) == actor.user_id:
        _refuse(
            ctx,
            actor,
            "self",
            said(
                "error.training.certify_self",
                "training.certify: nobody certifies themselves; ask another trainer or an admin",
            ),
            username,
        )
    if row is None:
        raise NotFound(said("error.training.no_user", f"no user {username!r}", username=repr(username)))
    if not row[1]:
        raise InvalidInput(
            said("error.training.user_deactivated", f"user {username!r} is deactivated", username=repr(username))
        )
    text = check_reason(ctx, reason)
    today = local_today(ctx)
    days = valid_days(ctx.policy)
    day = on or today
    if day > today:
        raise InvalidInput(
            said(
                "error.training.cert_future",
                f"--on {day.isoformat()} is in the future: record a certification once it is earned",
                day=day.isoformat(),
            )
        )
    if (today - day).days >= days:
        raise InvalidInput(
            said(
                "error.training.cert_expired",
                f"--on {day.isoformat()}: a certification from then expired already ({days} days, [rules.certified])",
                day=day.isoformat(),
                days=days,
            )
        )
    user_id = int(row[0])
    with ctx.db.raw_write() as raw:
        return write_recorded(raw, ctx, actor, user_id, username, day, text)


def write_recorded(
    raw: RawConnection, ctx: Ctx, actor: Actor, user_id: int, username: str, on: date, reason: str
) -> Certified:
    """Inside a write: a recorded certification and its ``training.certify`` event, with no checks (those are
    ``record_certification``'s): for collectui itself certifying the accounts it makes (the demo's staff)."""
    _insert(raw, ctx, user_id, on, RECORDED, reason, actor.user_id)
    until = certified_until(raw, user_id, valid_days(ctx.policy))
    assert until is not None
    details = {"source": RECORDED, "on": on.isoformat(), "reason": reason, "role": actor.role}
    record_raw(raw, ctx.clock, actor.name, "training.certify", "user", username, details)
    return Certified(username, user_id, on, until, RECORDED)
