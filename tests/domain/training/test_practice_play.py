"""Every shipped practice scenario played to the end through the services: the real gate says what the file
expects, a perfect run scores 100, and each wrong choice costs exactly what the file says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collectui.demo.sandbox import build_practice
from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.record import CallInput
from collectui.domain.calls.validation import DISPUTE_REASONS
from collectui.domain.policy import Policy
from collectui.domain.training.practice import PracticeCall
from collectui.domain.training.scenario import END, PRACTICE_DIR, PracticeScenario, load_practice
from tests.support.clock import NOW

POLICY = Policy()
SHIPPED = sorted(PRACTICE_DIR.glob("*.toml"))


def start(scenario: PracticeScenario) -> PracticeCall:
    return build_practice(POLICY, 0, scenario, NOW.date(), "trainee1")


def record_for(call: PracticeCall, outcome: str) -> CallInput:
    """A call record a careful collector would save for ``outcome``: every checklist item it needs ticked."""
    third = call.contact != "debtor"
    today = call.sandbox.clock.now()
    data = CallInput(
        customer_id=call.customer_id,
        outcome=outcome,
        contact=call.contact,
        checklist=list(oc.CHECKLISTS[oc.kind_of(outcome, third)]),
        recording_ref="REC-PRACTICE-1",
        notes="practice",
    )
    if outcome == "promise_to_pay":
        data.promise_amount = "100"
        data.promise_date = (today + timedelta(days=3)).date()
    if outcome == "callback":
        data.callback_at = (today + timedelta(days=1)).replace(hour=10, minute=0).strftime("%Y-%m-%d %H:%M")
    if outcome == "dispute":
        data.dispute_reason = DISPUTE_REASONS[0]
    return data


def play(call: PracticeCall, first_wrong: tuple[str, int] | None = None) -> None:
    """Answer every turn with a cost-0 option, except ``first_wrong`` = (turn id, option index in the file);
    the answers are shown shuffled, so the index chosen is the option's place in ``call.shown``."""
    while call.stage == "dialogue":
        assert call.turn is not None
        if first_wrong and call.turn.id == first_wrong[0]:
            wanted = call.turn.options[first_wrong[1]]
            call.choose(next(n for n, o in enumerate(call.shown) if o is wanted))
            first_wrong = None
            continue
        call.choose(next(i for i, o in enumerate(call.shown) if o.cost == 0))


def finish_form(call: PracticeCall) -> None:
    if call.stage == "form":
        result = call.submit(record_for(call, call.scenario.expect_outcomes[0]))
        assert result.saved, (call.scenario.id, result.problems, result.reasons)


def perfect_path(scenario: PracticeScenario) -> list[str]:
    turn, seen = scenario.turns[0], []
    while True:
        seen.append(turn.id)
        following = scenario.after(turn, next(o for o in turn.options if o.cost == 0))
        if following == END:
            return seen
        turn = scenario.turn(following)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_gate_agrees_and_a_perfect_run_scores_100(path):
    scenario = load_practice(path, POLICY)
    call = start(scenario)
    try:
        assert call.gate.allowed == (scenario.gate_expect == "allows"), call.gate.reasons
        if call.gate.allowed:
            call.proceed()
            play(call)
            assert call.stage == "form"
            finish_form(call)
        else:
            call.stop_at_gate()
        assert call.done
        score = call.score()
        assert (score.total, score.passed, score.mistakes) == (100, True, ())
    finally:
        call.close()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_wrong_choice_costs_what_the_file_says(path):
    scenario = load_practice(path, POLICY)
    if scenario.gate_expect == "refuses":
        call = start(scenario)
        try:
            call.call_anyway()
            assert call.score().compliance_lost == 40 and call.score().mistakes[0].id == "gate_ignored"
        finally:
            call.close()
        return
    on_path = set(perfect_path(scenario))
    wrong = [(t.id, i, o) for t in scenario.turns if t.id in on_path for i, o in enumerate(t.options) if o.cost]
    assert wrong, "a scenario with no wrong option teaches nothing"
    for turn_id, index, option in wrong:
        call = start(scenario)
        try:
            call.proceed()
            play(call, (turn_id, index))
            score = call.score()
            assert score.choices_lost == option.cost, (turn_id, index)
            assert [m.id for m in score.mistakes] == [option.mistake]
            assert score.mistakes[0].why == option.why
        finally:
            call.close()


def test_the_answers_are_shown_shuffled_and_a_seed_replays_the_order():
    scenario = load_practice(PRACTICE_DIR / "first_call.toml", POLICY)
    firsts, orders = set(), []
    for seed in ("a", "b", "c", "d", "e", "a"):
        call = build_practice(POLICY, 0, scenario, NOW.date(), "trainee1", seed)
        try:
            call.proceed()
            order = []
            while call.stage == "dialogue":
                assert call.turn is not None and sorted(map(id, call.shown)) == sorted(map(id, call.turn.options))
                order.append(tuple(call.turn.options.index(o) for o in call.shown))
                firsts.add(order[-1][0])
                call.choose(next(i for i, o in enumerate(call.shown) if o.cost == 0))
            orders.append(order)
        finally:
            call.close()
    assert len(firsts) > 1  # the right answer is not always shown first
    assert orders[0] == orders[-1]  # the same seed, the same order
