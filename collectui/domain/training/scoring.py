"""A practice call's score out of 100, with its parts and every mistake explained.

Three parts are lost from 100: **choices** (each costly option the trainee picked costs what the scenario
file says), **compliance** (what the real services found: a gate refusal ignored, a checklist item missing, a
note-scan hit, a promise outside the rules; each distinct mistake costs once however often the trainee
retried the save, since the real form would have stopped them each time) and **outcome** (the call record
carries an outcome the scenario did not expect). The score never goes below 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from collectui.domain.training.scenario import Text

# Points lost for each compliance mistake the real services report (docs/training.md lists them).
GATE_IGNORED = 40
CHECKLIST_ITEM = 10
NOTE_SCAN_HIT = 20
PROMISE_RULES = 15

KIND_CHOICE = "choice"
KIND_COMPLIANCE = "compliance"
KIND_OUTCOME = "outcome"


@dataclass(frozen=True)
class Mistake:
    kind: str  # choice | compliance | outcome
    id: str  # the scenario's mistake id, or gate_ignored, checklist.<item>, note_scan.<category>, promise_rules,
    # outcome.<recorded>
    cost: int
    why: Text | None = None  # the reason, in both languages (compliance mistakes explain with `detail`)
    said: Text | None = None  # for a choice: what the trainee said
    detail: str | None = None  # for a compliance mistake: what the service said (its own words)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "cost": self.cost}


@dataclass(frozen=True)
class Score:
    total: int
    choices_lost: int
    compliance_lost: int
    outcome_lost: int
    passed: bool
    mistakes: tuple[Mistake, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "choices_lost": self.choices_lost,
            "compliance_lost": self.compliance_lost,
            "outcome_lost": self.outcome_lost,
            "passed": self.passed,
            "mistakes": [m.to_json() for m in self.mistakes],
        }


def score(mistakes: list[Mistake], pass_score: int) -> Score:
    """Sum the mistakes into the three parts; compliance mistakes with the same id count once."""
    kept: list[Mistake] = []
    seen: set[str] = set()
    for m in mistakes:
        if m.kind == KIND_COMPLIANCE:
            if m.id in seen:
                continue
            seen.add(m.id)
        kept.append(m)
    parts = {kind: sum(m.cost for m in kept if m.kind == kind) for kind in (KIND_CHOICE, KIND_COMPLIANCE, KIND_OUTCOME)}
    total = max(0, 100 - sum(parts.values()))
    return Score(
        total,
        parts[KIND_CHOICE],
        parts[KIND_COMPLIANCE],
        parts[KIND_OUTCOME],
        total >= pass_score,
        tuple(kept),
    )
