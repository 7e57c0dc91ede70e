"""Pilot tests of the training screens: a trainee lands on the hub and cannot reach the queue; a practice call
with a wrong choice and a refused save, its score with the cost and the reason, a Retry on a fresh sandbox;
the quiz passed and failed. Bank: tests/support/tui_bank.py (clock 2026-11-28 10:00 Asia/Shanghai)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static

from collectui.domain.calls import outcomes as oc
from collectui.domain.staff import users
from collectui.domain.training import quiz
from collectui.domain.training.scenario import practice_scenarios
from collectui.tui.app import CollectApp
from collectui.tui.commands import WorkCommands
from collectui.tui.screens.training import QUIZ_ROW, TrainingHubScreen
from collectui.tui.screens.training_practice import PracticeScreen
from collectui.tui.screens.training_quiz import QuizScreen
from collectui.tui.screens.training_score import ScoreScreen
from collectui.tui.widgets.training.transcript import Transcript
from tests.support.cli import SYSTEM
from tests.support.tui import aio, click, settled, sign_in, wait_for, work_list
from tests.support.tui_bank import PASSWORD

SIZE = (100, 30)


def add_trainee(ctx, username: str = "tina") -> None:
    users.add_user(ctx, SYSTEM, username, "trainee", None, PASSWORD, "田学员")


def rows(ctx, sql: str, *args):
    with ctx.db.raw_read() as raw:
        return raw.execute(sql, args).fetchall()


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def on_hub(pilot) -> TrainingHubScreen:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, TrainingHubScreen) and app.screen.progress is not None)
    await app.workers.wait_for_complete()
    await settled(pilot)
    return app.screen


async def signed_in_trainee(pilot) -> TrainingHubScreen:
    await sign_in(pilot, "tina")
    return await on_hub(pilot)


async def open_scenario(pilot, hub: TrainingHubScreen, scenario_id: str) -> PracticeScreen:
    table = hub.query_one("#trn-table", DataTable)
    table.move_cursor(row=table.get_row_index(scenario_id))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PracticeScreen))
    return pilot.app.screen


async def at_gate(pilot, screen: PracticeScreen) -> None:
    await wait_for(pilot, lambda: screen.call is not None and not screen.busy)
    await settled(pilot)


async def choose(pilot, screen: PracticeScreen, index: int) -> None:
    """Press the option's number key and wait for the practice call to move on."""
    before = len(screen.call.transcript)
    await pilot.press(str(index + 1))
    await wait_for(pilot, lambda: len(screen.call.transcript) > before and not screen.busy)
    await settled(pilot)


# --- a trainee's first screen and what they cannot reach ------------------------------------------------------


@aio
async def test_a_trainee_signs_in_and_lands_on_the_hub(bank):
    add_trainee(bank)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        hub = await signed_in_trainee(pilot)
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "TrainingHubScreen"]
        table = hub.query_one("#trn-table", DataTable)
        shipped = practice_scenarios(bank.policy)
        assert table.row_count == len(shipped) + 1
        keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert set(keys) == {s.id for s in shipped} | {QUIZ_ROW} and keys[-1] == QUIZ_ROW
        mandatory = [s.id for s in shipped if s.mandatory]
        assert keys[: len(mandatory)] == sorted(mandatory)  # the required ones first
        first = table.get_row("first_call")
        assert [str(c) for c in first] == ["The first call after the reminder SMS", "yes", "0", "-", "-", "-"]
        cert = text_of(hub, "#trn-cert")
        assert cert == f"Not certified · Still needed: pass the quiz; pass {len(mandatory)} more required scenarios" + (
            " (Req. yes, not passed)"
        )
        assert "trainee" in app.sub_title
        await pilot.press("ctrl+l")  # Chinese now: the hub composed again, its figures read again
        hub = await on_hub(pilot)
        table = hub.query_one("#trn-table", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["练习场景", "必修", "次数", "最高", "最近", "通过"]
        assert str(table.get_row("first_call")[0]) == "收到提醒短信后的第一次电话"
        assert text_of(hub, "#trn-cert").startswith("尚未认证")


@aio
async def test_a_trainee_pressing_queue_keys_gets_no_work_list(bank):
    add_trainee(bank)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        hub = await signed_in_trainee(pilot)
        await pilot.press("escape", "c", "d", "m", "x", "v", "a", "f", "b", "slash", "t", "r", "u")
        await settled(pilot)
        assert app.screen is hub
        names = [type(s).__name__ for s in app.screen_stack]
        assert "WorkListScreen" not in names and names == ["Screen", "TrainingHubScreen"]
        offered = {str(h.display) async for h in WorkCommands(hub).discover()}
        assert "Unfinished calls" not in offered and "Payment plans" not in offered
        assert "Training report" not in offered and "Quiz" in offered
        assert not rows(
            bank, "SELECT 1 FROM call_attempt WHERE user_id = (SELECT id FROM staff_user WHERE username='tina')"
        )


@aio
async def test_a_collector_opens_training_with_t_and_goes_back(bank):
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "zhang")
        await pilot.press("t")
        hub = await on_hub(pilot)
        assert text_of(hub, "#trn-cert").startswith("已获认证")  # the fixture's staff are certified
        await pilot.press("r")  # the trainer's report is not a collector's
        await settled(pilot)
        assert app.screen is hub and hub.check_action("app.training_report", ()) is False
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen")


@aio
async def test_an_admin_opens_the_trainers_report_from_the_hub(bank):
    from collectui.tui.screens.training_report import TrainingReportScreen

    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "root")
        await pilot.press("t")
        hub = await on_hub(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, TrainingReportScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is hub)


# --- a practice call ---------------------------------------------------------------------------------------------


def _fill_promise(screen: PracticeScreen, checklist: tuple[str, ...], today) -> None:
    form = screen.query_one("#call-form")
    form.query_one("#f-outcome", Select).value = "promise_to_pay"
    for item in checklist:
        form.query_one(f"#chk-{item}", Checkbox).value = True
    form.query_one("#f-recording", Input).value = "REC-0001"
    form.query_one("#f-promise_amount", Input).value = "100"
    form.query_one("#f-promise_date", Input).value = (today + timedelta(days=3)).isoformat()


@aio
async def test_a_practice_call_with_a_wrong_choice_a_refused_save_the_score_and_a_retry(bank):
    add_trainee(bank)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=(100, 40)) as pilot:
        hub = await signed_in_trainee(pilot)
        screen = await open_scenario(pilot, hub, "first_call")
        assert "The first call after the reminder SMS" in text_of(screen, "#pr-brief-text")
        assert screen.call is None  # the briefing builds nothing yet
        await click(pilot, "#pr-start")
        await at_gate(pilot, screen)
        call = screen.call
        sandbox = Path(str(call.sandbox.db.path))
        assert call.gate.allowed and "allow" in text_of(screen, "#pr-gate-text")
        assert screen.query_one("#pr-dial", Button).display and not screen.query_one("#pr-anyway", Button).display
        assert "TRAINING" in str(screen.query_one("TrainingBanner").render())
        await click(pilot, "#pr-dial")
        await wait_for(pilot, lambda: call.stage == "dialogue" and not screen.busy)
        # The first turn: the wrong option without identification (10 points), then the right ones.
        wrong = call.turn.options[2]
        assert wrong.cost == 10 and wrong.mistake == "no_identification"
        await choose(pilot, screen, next(n for n, o in enumerate(call.shown) if o is wrong))  # shown shuffled
        said = screen.query_one("#pr-transcript", Transcript).plain()
        assert said == "Borrower: Hello, who's this?\nYou: Yeah, the bank here, looking for Li."
        while call.stage == "dialogue":
            right = next(i for i, o in enumerate(call.shown) if o.cost == 0)
            await choose(pilot, screen, right)
        assert call.stage == "form" and screen.query_one("#call-form").has_class("active")
        # A save without the checklist: refused beside its field, exactly as the call screen shows it.
        need = oc.checklist_for("promise_to_pay", False)
        _fill_promise(screen, (), bank.clock.today())
        await settled(pilot)
        await click(pilot, "#call-save")
        await wait_for(pilot, lambda: not screen.busy and str(screen.query_one("#err-checklist", Static).render()))
        assert call.stage == "form" and isinstance(app.screen, PracticeScreen)
        assert "Gave my name and the bank" in str(screen.query_one("#err-checklist", Static).render())
        _fill_promise(screen, need, bank.clock.today())
        await settled(pilot)
        await wait_for(pilot, lambda: not screen.query_one("#call-save", Button).disabled)
        await click(pilot, "#call-save")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen) and not app.screen.storing)
        score_screen = app.screen
        score = score_screen.score
        assert score.choices_lost == 10 and score.compliance_lost == 10 * len(need) and score.outcome_lost == 0
        assert score.total == 100 - 10 - 10 * len(need)
        total = text_of(score_screen, "#sc-total")
        assert f"Score {score.total}/100 · Not passed (pass mark 80)" in total
        assert f"Choices −10 · compliance −{10 * len(need)} · outcome −0" in total
        shown = text_of(score_screen, "#sc-text")
        assert "−10 choice · Did not say who is calling [no_identification]" in shown and wrong.why.en in shown
        assert "You said: “Yeah, the bank here, looking for Li.”" in shown
        assert "Checklist item missing: Gave my name and the bank [checklist.identified]" in shown
        assert "Expected outcome: Promise to pay" in shown
        assert "The result is saved." in text_of(score_screen, "#sc-stored")
        [stored] = rows(bank, "SELECT scenario_id, score, passed, mistakes FROM training_attempt")
        assert stored[:3] == ("first_call", score.total, 0)
        assert {m["id"] for m in json.loads(stored[3])} >= {"no_identification", "checklist.identified"}
        assert not sandbox.parent.exists()  # finish_practice threw the sandbox away
        # Retry: a fresh sandbox, straight to the gate.
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, PracticeScreen))
        again = app.screen
        await at_gate(pilot, again)
        assert again.call is not call and again.call.stage == "gate" and not again.call.transcript
        assert Path(str(again.call.sandbox.db.path)) != sandbox
        await pilot.press("escape")  # abandoned: nothing stored, the sandbox goes
        hub = await on_hub(pilot)
        assert len(rows(bank, "SELECT 1 FROM training_attempt")) == 1
        assert [str(c) for c in hub.query_one("#trn-table", DataTable).get_row("first_call")][2:] == [
            "1",
            str(score.total),
            str(score.total),
            "✗",
        ]


@aio
async def test_a_refused_gate_stop_scores_100_call_anyway_loses_40(bank):
    add_trainee(bank)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        hub = await signed_in_trainee(pilot)
        for button, total in (("#pr-stop", 100), ("#pr-anyway", 60)):
            screen = await open_scenario(pilot, hub, "seventh_attempt")
            await click(pilot, "#pr-start")
            await at_gate(pilot, screen)
            assert not screen.call.gate.allowed
            gate_text = text_of(screen, "#pr-gate-text")
            assert "refuse" in gate_text and "daily_attempts" in gate_text and "What do you do?" in gate_text
            assert not screen.query_one("#pr-dial", Button).display
            await click(pilot, button)
            await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen) and not app.screen.storing)
            assert app.screen.score.total == total
            if total < 100:
                assert "gate_ignored" in text_of(app.screen, "#sc-text")
            await pilot.press("escape")
            hub = await on_hub(pilot)
        assert [r[0] for r in rows(bank, "SELECT score FROM training_attempt ORDER BY id")] == [100, 60]


# --- the quiz ----------------------------------------------------------------------------------------------------


async def _take_quiz(pilot, right: bool) -> QuizScreen:
    """Answer every question right (or every one wrong) with the number keys and n, then submit."""
    app = pilot.app
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen) and app.screen.paper is not None)
    screen = app.screen
    await settled(pilot)
    for i, question in enumerate(screen.questions):
        assert screen.index == i
        pick = question.answer if right else (question.answer + 1) % len(question.options)
        await pilot.press(str(pick + 1))
        await pilot.press("n" if i < len(screen.questions) - 1 else "ctrl+s")
    await wait_for(pilot, lambda: screen.result is not None and screen.saved)
    return screen


@pytest.mark.parametrize("right", [True, False])
@aio
async def test_the_quiz_passed_and_failed(bank, right):
    # A paper of 4 questions, not the default 15: every answer is still typed with its keys (and the paper's
    # length follows the policy), in a third of the time.
    bank.policy.data["training"]["quiz_questions"] = 4
    add_trainee(bank)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in_trainee(pilot)
        screen = await _take_quiz(pilot, right)
        n = bank.policy.integer("training.quiz_questions")
        assert len(screen.questions) == n == 4
        verdict = text_of(screen, "#quiz-verdict")
        if right:
            assert verdict == f"{n} of {n} right (100%), pass mark 80%: passed"
        else:
            assert verdict == f"0 of {n} right (0%), pass mark 80%: not passed"
        items = [str(s.render()) for s in screen.query(".quiz-item")]
        assert len(items) == n
        first = screen.questions[0]
        assert first.why.en in items[0] and ("✓ right" if right else "✗ wrong") in items[0]
        if not right:
            assert f"Right answer: {first.options[first.answer].en}" in items[0]
        [stored] = rows(bank, "SELECT questions, correct, percent, passed FROM quiz_attempt")
        assert stored == (n, n if right else 0, 100 if right else 0, int(right))
        await pilot.press("escape")
        hub = await on_hub(pilot)
        quiz_row = [str(c) for c in hub.query_one("#trn-table", DataTable).get_row(QUIZ_ROW)]
        assert quiz_row[2:] == (["1", "100%", "100%", "✓"] if right else ["1", "0%", "0%", "✗"])


@aio
async def test_the_quiz_paper_follows_the_policy_and_p_goes_back(bank):
    add_trainee(bank)
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in_trainee(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen) and app.screen.paper is not None)
        screen = app.screen
        await settled(pilot)
        await pilot.press("2", "n", "n", "p")
        assert screen.index == 1 and screen.answers() == {screen.questions[0].id: 1}
        assert "第 2/15 题 · 已答 1" in text_of(screen, "#quiz-progress")
        # The paper is quiz.draw's, from a generator seeded by the clock.
        assert [q.id for q in screen.questions] == [q.id for q in _expected_paper(bank)]


def _expected_paper(ctx):
    import random

    rng = random.Random(int(ctx.clock.now().timestamp() * 1_000_000))
    return quiz.draw(quiz.load_bank(), ctx.policy.integer("training.quiz_questions"), rng).questions
