"""One practice call: the real gate, a dialogue with a simulated borrower, the real call form, a score.

A ``PracticeCall`` runs on a sandbox database built from the scenario (``collectui.demo.sandbox``): its own
file, its own clock, the bank's policy. Every check is the real service's: the gate is asked through
``calls.record.start_call`` and the record is saved through ``calls.record.log_call`` (validation, the
checklist, the note scan, the promise rules), so a trainee learns exactly what the live app enforces.
Nothing here touches the bank's database; only the final score is stored there (``training.results``), by
the face, through ``demo.sandbox.finish_practice``.

Stages: ``gate`` (the verdict is on screen: proceed when allowed; stop or call anyway when refused), then
``dialogue`` (one turn at a time), ``form`` (the call record), ``done``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from collectui.clock import FixedClock
from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.gate import GateResult
from collectui.domain.calls.record import CallInput, CallResult, log_call, start_call
from collectui.domain.conduct.notescan import scan
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.training.scenario import END, Option, PracticeScenario, Text, Turn
from collectui.domain.training.scoring import (
    CHECKLIST_ITEM,
    GATE_IGNORED,
    KIND_CHOICE,
    KIND_COMPLIANCE,
    KIND_OUTCOME,
    NOTE_SCAN_HIT,
    PROMISE_RULES,
    Mistake,
    Score,
    score,
)

STAGES = ("gate", "dialogue", "form", "done")
SOURCE = "practice"

WHY_GATE_IGNORED = Text(
    "闸门拒绝了这通电话：正确的做法是停下，不拨打。系统不允许绕过拒绝，真实工作中也不能换个号码或换个人再打。",
    "The gate refused this call: the right move is to stop and not dial. The app never lets a refusal be "
    "bypassed, and in real work you must not try another phone or another colleague either.",
)
WHY_CHECKLIST = Text(
    "通话记录的核对项要如实勾选：每一项都是通话中必须做到的事。",
    "The call record's checklist must be ticked truthfully: each item is something the call must have done.",
)
WHY_NOTE_SCAN = Text(
    "备注中含有禁用语（威胁、侮辱、泄露或非官方渠道）：这样的话不能说，也不能写进记录。",
    "The notes hold a banned phrase (a threat, an insult, a disclosure or an unofficial channel): such words "
    "may be neither said nor written down.",
)
WHY_PROMISE = Text(
    "还款承诺的金额和日期要符合规定：金额不超过未还余额，日期在允许的期限内。",
    "A promise's amount and date must follow the rules: no more than the balance, a date within the horizon.",
)


class PracticeCall:
    """A practice call in progress. Build it with ``demo.sandbox.open_practice``; call ``close`` at the end."""

    def __init__(
        self,
        scenario: PracticeScenario,
        sandbox: Ctx,
        actor: Actor,
        customer_id: str,
        contact: str,
        pass_score: int,
        cleanup: Callable[[], None],
        shuffle_seed: str = "",
    ) -> None:
        self.scenario = scenario
        self.sandbox = sandbox
        self.sandbox_actor = actor
        self.customer_id = customer_id
        self.contact = contact
        self.pass_score = pass_score
        self._cleanup = cleanup
        self.mistakes: list[Mistake] = []
        self.transcript: list[tuple[Turn, Option]] = []
        self.last_result: CallResult | None = None
        started = start_call(sandbox, actor, customer_id, contact, source=SOURCE)
        self.gate: GateResult = started.gate
        self.call_id = started.call_id if started.gate.allowed else None
        self.stage = "gate"
        self.turn: Turn | None = None
        # The answers are shown in a shuffled order (the files list the right one first): seeded, so a run can
        # be replayed, and the faces seed it with the time, so each retry differs.
        self._rng = random.Random(shuffle_seed)
        self.shown: tuple[Option, ...] = ()

    # -- the gate ----------------------------------------------------------------------------------------

    def proceed(self) -> None:
        """The gate allowed the call: the borrower picks up."""
        self._expect("gate")
        if not self.gate.allowed:
            raise InvalidInput(
                said(
                    "error.training.gate_refused",
                    "the gate refused this call: stop, or call anyway and lose the points",
                )
            )
        self.stage = "dialogue"
        self._show(self.scenario.turns[0])

    def stop_at_gate(self) -> None:
        """The right move when the gate refuses: the call is not made."""
        self._expect("gate")
        self.stage = "done"

    def call_anyway(self) -> None:
        """Ignore the gate's refusal: a compliance mistake, and the practice ends (no call can be logged)."""
        self._expect("gate")
        if self.gate.allowed:
            raise InvalidInput(said("error.training.gate_allowed", "the gate allowed this call"))
        reasons = "; ".join(f"{r.rule}: {r.message}" for r in self.gate.reasons)
        self.mistakes.append(Mistake(KIND_COMPLIANCE, "gate_ignored", GATE_IGNORED, WHY_GATE_IGNORED, None, reasons))
        self.stage = "done"

    # -- the dialogue ------------------------------------------------------------------------------------

    def _show(self, turn: Turn) -> None:
        self.turn = turn
        order = list(turn.options)
        self._rng.shuffle(order)
        self.shown = tuple(order)

    def choose(self, index: int) -> Option:
        """Answer the current turn with the ``index``-th answer as shown (``shown``, 0-based); the clock moves
        on by the turn's minutes."""
        self._expect("dialogue")
        assert self.turn is not None
        if not 0 <= index < len(self.shown):
            raise InvalidInput(
                said(
                    "error.training.choose_option",
                    f"choose an option from 1 to {len(self.shown)}",
                    count=len(self.shown),
                )
            )
        turn, option = self.turn, self.shown[index]
        self.transcript.append((turn, option))
        if option.cost:
            self.mistakes.append(Mistake(KIND_CHOICE, option.mistake or "choice", option.cost, option.why, option.say))
        clock = self.sandbox.clock
        if isinstance(clock, FixedClock):
            clock.advance(timedelta(minutes=turn.minutes))
        following = self.scenario.after(turn, option)
        if following == END:
            self.turn, self.shown, self.stage = None, (), "form"
        else:
            self._show(self.scenario.turn(following))
        return option

    # -- the record --------------------------------------------------------------------------------------

    def submit(self, data: CallInput) -> CallResult:
        """Save the call record through the real ``log_call``; what it refuses becomes compliance mistakes."""
        self._expect("form")
        data = replace(data, customer_id=self.customer_id, contact=self.contact, at=None, late_reason=None)
        result = log_call(
            self.sandbox, self.sandbox_actor, data, started_call_id=self.call_id, source=SOURCE, collector=None
        )
        self.last_result = result
        if not result.saved:
            self.mistakes += self._compliance(data, result)
            return result
        outcome = (data.outcome or "").strip()
        if outcome not in self.scenario.expect_outcomes:
            self.mistakes.append(
                Mistake(KIND_OUTCOME, f"outcome.{outcome}", self.scenario.outcome_cost, self.scenario.expect_why)
            )
        self.stage = "done"
        return result

    def _compliance(self, data: CallInput, result: CallResult) -> list[Mistake]:
        found: list[Mistake] = []
        fields = {p.field for p in result.problems}
        outcome = (data.outcome or "").strip()
        third = self.contact != "debtor"
        if "checklist" in fields and outcome in oc.outcomes_for(third):
            needed = oc.CHECKLISTS[oc.kind_of(outcome, third)]
            for item in needed:
                if item not in data.checklist:
                    found.append(Mistake(KIND_COMPLIANCE, f"checklist.{item}", CHECKLIST_ITEM, WHY_CHECKLIST))
        for hit in scan(data.notes, self.sandbox.policy.table("rules.note_scan")):
            found.append(
                Mistake(KIND_COMPLIANCE, f"note_scan.{hit.category}", NOTE_SCAN_HIT, WHY_NOTE_SCAN, None, hit.phrase)
            )
        promise = [p.message for p in result.problems if p.field in ("promise_amount", "promise_date")]
        if promise:
            found.append(
                Mistake(KIND_COMPLIANCE, "promise_rules", PROMISE_RULES, WHY_PROMISE, None, "; ".join(promise))
            )
        return found

    # -- the result --------------------------------------------------------------------------------------

    def score(self) -> Score:
        """The score so far; final once the stage is ``done``."""
        return score(self.mistakes, self.pass_score)

    @property
    def done(self) -> bool:
        return self.stage == "done"

    def close(self) -> None:
        """Throw the sandbox away (its database files and its audit key)."""
        self._cleanup()

    def _expect(self, stage: str) -> None:
        if self.stage != stage:
            raise InvalidInput(
                said(
                    "error.training.practice_stage",
                    f"the practice call is at the {self.stage} stage, not {stage}",
                    stage=self.stage,
                    wanted=stage,
                )
            )
