"""Where a person stands in training: certified until when, the quiz, the mandatory practice scenarios.

``collectui training status [USER]`` shows it. Anyone who may practise sees their own; someone else's needs
``training.report`` (a supervisor: their own branch's staff; trainers and admins: everyone), so a collector
sees only themselves. A refusal is audited like every other (``access.denied``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.certification import RULE_ID, applies, certified_until, refusal
from collectui.domain.staff.permissions import authorize
from collectui.domain.training import results
from collectui.domain.training.results import latest_passes, local_today, valid_days

NO_BRANCH = "(no branch)"  # what a branch-bound reader is checked against for staff without a branch


@dataclass(frozen=True)
class Latest:
    """The person's latest certification (by its day)."""

    certified_on: date
    source: str  # earned | recorded
    by: str | None  # who recorded it
    reason: str | None


@dataclass(frozen=True)
class Standing:
    username: str
    role: str
    branch: str | None
    certified_until: date | None  # the first day without a certification (None: never certified)
    refusal: str | None  # why they are not certified today (never, or expired); None: certified
    rule_applies: bool  # the gate's `certified` rule is on and judges their role
    latest: Latest | None
    quiz_best: int | None  # best percent of every quiz taken (None: none taken)
    quiz_passed_on: date | None  # the latest pass that still counts for a certification
    passed: dict[str, date]  # mandatory scenario -> its latest pass that still counts
    missing: tuple[str, ...]  # mandatory scenarios without such a pass

    def to_json(self) -> dict[str, Any]:
        return {
            "user": self.username,
            "role": self.role,
            "branch": self.branch,
            "certified_until": self.certified_until.isoformat() if self.certified_until else None,
            "certified": self.refusal is None,
            "refusal": self.refusal,
            "rule_applies": self.rule_applies,
            "latest": None
            if self.latest is None
            else {
                "certified_on": self.latest.certified_on.isoformat(),
                "source": self.latest.source,
                "by": self.latest.by,
                "reason": self.latest.reason,
            },
            "quiz_best": self.quiz_best,
            "quiz_passed_on": self.quiz_passed_on.isoformat() if self.quiz_passed_on else None,
            "mandatory_passed": {k: v.isoformat() for k, v in sorted(self.passed.items())},
            "mandatory_missing": list(self.missing),
        }


def standing(ctx: Ctx, actor: Actor, username: str | None = None) -> Standing:
    """``username``'s standing (default: the actor's own)."""
    own = username is None or username == actor.name
    if own:
        authorize(ctx, actor, "training.practice")
        if actor.user_id is None:
            raise InvalidInput(
                said("error.training.standing_token", "a token or collectui itself has no training: name a USER")
            )
        where, param = "u.id = ?", str(actor.user_id)
    else:
        where, param = "u.username = ?", str(username)
    with ctx.db.raw_read() as raw:
        row = raw.execute(
            f"SELECT u.id, u.username, u.role, b.name FROM staff_user u LEFT JOIN branch b ON b.id = u.branch_id WHERE {where}",
            (param,),
        ).fetchone()
    if not own:
        # Checked before saying whether the user exists: a collector learns nothing about other accounts.
        authorize(ctx, actor, "training.report", branch=(row[3] or NO_BRANCH) if row else None)
    if row is None:
        raise NotFound(said("error.training.no_user", f"no user {username!r}", username=repr(username)))
    user_id, name, role, branch = int(row[0]), str(row[1]), str(row[2]), row[3]
    days = valid_days(ctx.policy)
    needed = sorted(results.mandatory_ids())
    with ctx.db.raw_read() as raw:
        until = certified_until(raw, user_id, days)
        refused = refusal(raw, user_id, local_today(ctx), days)
        last = raw.execute(
            "SELECT c.certified_on, c.source, u.username, c.reason FROM certification c "
            "LEFT JOIN staff_user u ON u.id = c.by_user_id WHERE c.user_id = ? "
            "ORDER BY c.certified_on DESC, c.id DESC LIMIT 1",
            (user_id,),
        ).fetchone()
        best = raw.execute("SELECT max(percent) FROM quiz_attempt WHERE user_id = ?", (user_id,)).fetchone()[0]
        quiz_day, scenario_days = latest_passes(raw, ctx, user_id)
    latest = Latest(date.fromisoformat(str(last[0])), str(last[1]), last[2], last[3]) if last is not None else None
    return Standing(
        username=name,
        role=role,
        branch=branch,
        certified_until=until,
        refusal=refused,
        rule_applies=applies(ctx.policy.table("rules").get(RULE_ID, {"enabled": True}), user_id, role),
        latest=latest,
        quiz_best=int(best) if best is not None else None,
        quiz_passed_on=quiz_day,
        passed={sid: scenario_days[sid] for sid in needed if sid in scenario_days},
        missing=tuple(sid for sid in needed if sid not in scenario_days),
    )
