"""The training screens' keys: the footer's number keys say how many answers are on screen (not a fixed
"1-4"/"1-5"), and ctrl+q or q half-way through a practice call or a quiz asks before quitting, in both
languages; before anything is under way (the briefing) it quits at once."""

from __future__ import annotations

from textual.widgets import Static

from collectui.tui.app import CollectApp
from collectui.tui.screens.confirm_quit import ConfirmQuitScreen
from collectui.tui.screens.training_practice import PracticeScreen
from collectui.tui.screens.training_quiz import QuizScreen
from collectui.tui.widgets.keys import number_range
from tests.support.tui import aio, settled, wait_for
from tests.tui.test_training import add_trainee, at_gate, choose, click, open_scenario, signed_in_trainee

SIZE = (100, 30)


def footer_keys(app, key: str = "1") -> str:
    """What the footer shows for ``key`` on the current screen."""
    binding = app.screen.active_bindings[key].binding
    return binding.key_display or binding.key


def exits(app) -> list[int]:
    """Record the app's quitting instead of quitting, so the test can look at what happens next."""
    called: list[int] = []
    app.exit = lambda *a, **k: called.append(1)
    return called


def test_number_range():
    assert [number_range(n) for n in (1, 2, 3, 5)] == ["1", "1-2", "1-3", "1-5"]


async def _in_dialogue(pilot) -> PracticeScreen:
    hub = await signed_in_trainee(pilot)
    screen = await open_scenario(pilot, hub, "first_call")  # turns of 3, 2, 2, 3, 2 answers
    await click(pilot, "#pr-start")
    await at_gate(pilot, screen)
    await click(pilot, "#pr-dial")
    await wait_for(pilot, lambda: screen.call.stage == "dialogue" and not screen.busy)
    await settled(pilot)
    return screen


@aio
async def test_the_practice_footer_shows_the_answers_on_screen(bank):
    add_trainee(bank)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _in_dialogue(pilot)
        seen = []
        while screen.call.stage == "dialogue":
            seen.append(footer_keys(app))
            assert seen[-1] == f"1-{len(screen.call.shown)}"
            await choose(pilot, screen, next(i for i, o in enumerate(screen.call.shown) if o.cost == 0))
        assert seen == ["1-3", "1-2", "1-2", "1-3", "1-2"]


@aio
async def test_quitting_a_practice_call_asks_first_in_chinese(bank):
    add_trainee(bank)
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        quit_called = exits(app)
        screen = await _in_dialogue(pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmQuitScreen))
        assert "练习通话还没有结束" in str(app.screen.query_one("#quit-body", Static).render())
        assert not quit_called
        await pilot.press("escape")  # keep going: the call is still there
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.call is not None and screen.call.stage == "dialogue" and not quit_called
        await pilot.press("q")  # q asks too
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmQuitScreen))
        await click(pilot, "#quit-yes")
        await wait_for(pilot, lambda: quit_called)


@aio
async def test_the_briefing_quits_at_once(bank):
    add_trainee(bank)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        quit_called = exits(app)
        hub = await signed_in_trainee(pilot)
        screen = await open_scenario(pilot, hub, "first_call")
        assert not screen.asks_before_quit
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: quit_called)
        assert not isinstance(app.screen, ConfirmQuitScreen)


@aio
async def test_the_quiz_footer_and_quitting_half_way(bank):
    add_trainee(bank)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        quit_called = exits(app)
        await signed_in_trainee(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen) and app.screen.paper is not None)
        screen = app.screen
        await settled(pilot)
        for i, question in enumerate(screen.questions[:4]):
            assert screen.index == i and footer_keys(app) == f"1-{len(question.options)}"
            await pilot.press("1", "n")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmQuitScreen))
        body = str(app.screen.query_one("#quit-body", Static).render())
        assert body == "The quiz is not submitted yet: if you quit now, none of its answers is kept."
        await click(pilot, "#quit-no")
        await wait_for(pilot, lambda: app.screen is screen)
        assert len(screen.answers()) == 4 and not quit_called
