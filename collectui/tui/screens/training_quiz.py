"""The compliance quiz: a paper drawn from the question bank, one question at a time, then every answer explained.

The paper is ``quiz.draw``'s (policy ``training.quiz_questions`` questions, a generator seeded from the
app's clock); marking is ``quiz.mark``'s and storing ``results.save_quiz``'s, so the pass mark and what is
kept are the domain's. Loading the bank and saving run in thread workers.
"""

from __future__ import annotations

import random

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.widgets import Button, ContentSwitcher, Footer, Header, RadioButton, RadioSet, Static

from collectui.domain.errors import CollectError
from collectui.domain.textsafe import show
from collectui.domain.training import quiz, results
from collectui.tui.base import AppScreen, localise_bindings, signed_in_actor
from collectui.tui.screens.confirm_quit import QUIT_BINDING, ask_to_quit
from collectui.tui.widgets.keys import number_range, show_number_range
from collectui.tui.widgets.toggles import Choice

MAX_OPTIONS = 5


class OptionButton(Choice):
    """A radio button whose long label wraps (Textual's is always one line): an option is read whole; its
    state reads without colour, ``(•)``/``( )`` (``toggles.Choice``)."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.render().get_height(self.styles, width)  # type: ignore[arg-type]  # as Widget does


class QuizScreen(AppScreen[bool]):
    """Dismissed with True when a marked paper was stored (the hub then reloads), else False."""

    DEFAULT_CSS = """
    QuizScreen #quiz-body { padding: 0 1; }
    QuizScreen #quiz-progress { color: $text-muted; }
    QuizScreen #quiz-pages { height: auto; }
    QuizScreen .quiz-page { height: auto; }
    QuizScreen .quiz-q { text-style: bold; margin: 1 0; height: auto; }
    QuizScreen RadioSet { width: 100%; height: auto; }
    QuizScreen RadioSet > RadioButton { height: auto; text-wrap: wrap; }  /* a long option is read whole */
    QuizScreen #quiz-buttons { height: auto; margin: 1 0 0 0; }
    QuizScreen #quiz-buttons Button { margin: 0 2 0 0; }
    QuizScreen #quiz-verdict { text-style: bold; margin: 1 0; height: auto; }
    QuizScreen #quiz-verdict.passed { color: $success; }
    QuizScreen #quiz-verdict.failed { color: $error; }
    QuizScreen .quiz-item { margin: 0 0 1 0; height: auto; }
    """

    BINDINGS = [
        Binding("escape", "back", "trn.key.back"),
        Binding("n", "move(1)", "trn.quiz.key.next"),
        Binding("p", "move(-1)", "trn.quiz.key.prev"),
        # The footer shows the keys of the question's options (show_number_range in _show).
        Binding("1", "pick(0)", "trn.quiz.key.pick", key_display=number_range(MAX_OPTIONS)),
        *[Binding(str(i + 1), f"pick({i})", "", show=False) for i in range(1, MAX_OPTIONS)],
        Binding("ctrl+s", "submit", "trn.quiz.key.submit"),
        QUIT_BINDING,
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.paper: quiz.QuizPaper | None = None
        self.index = 0
        self.result: quiz.QuizResult | None = None
        self.saved = False
        self.busy = False

    @property
    def questions(self) -> list[quiz.Question]:
        return list(self.paper.questions) if self.paper is not None else []

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        with VerticalScroll(id="quiz-body"):
            yield Static(t("common.loading"), id="quiz-progress")
            yield ContentSwitcher(id="quiz-pages")
            with Horizontal(id="quiz-buttons"):
                yield Button(t("trn.quiz.prev"), id="quiz-prev")
                yield Button(t("trn.quiz.next"), id="quiz-next", variant="primary")
                yield Button(t("trn.quiz.submit"), id="quiz-submit", variant="success")
            yield Vertical(id="quiz-results")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = self.app.t("trn.quiz.title")
        self.query_one("#quiz-buttons").display = False
        self._draw()

    # --- drawing the paper -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="quiz")
    def _draw(self) -> None:
        ctx = self.app.ctx
        try:
            n = ctx.policy.integer("training.quiz_questions")
            # Seeded from the clock: another paper each time, and the same one under a test's fixed clock.
            rng = random.Random(int(ctx.clock.now().timestamp() * 1_000_000))
            paper = quiz.draw(quiz.load_bank(), n, rng)
        except (CollectError, ValueError) as exc:
            self.app.call_from_thread(self._failed, self.app.error_text(exc))
            return
        self.app.call_from_thread(self._drawn, paper)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.notify(self.app.t("app.error", msg=message), severity="error")

    def _drawn(self, paper: quiz.QuizPaper) -> None:
        lang = self.app.lang
        self.paper = paper
        pages = self.query_one("#quiz-pages", ContentSwitcher)
        for i, question in enumerate(paper.questions):
            buttons = [OptionButton(Text(f"{n + 1}. {show(o.get(lang))}")) for n, o in enumerate(question.options)]
            page = Vertical(
                Static(Text(show(question.q.get(lang))), classes="quiz-q"),
                RadioSet(*buttons, id=f"quiz-set-{i}"),
                id=f"quiz-page-{i}",
                classes="quiz-page",
            )
            page.display = False  # the switcher hides only the pages it had when it was mounted
            pages.mount(page)
        self.query_one("#quiz-buttons").display = True
        self.call_after_refresh(self._show, 0)

    # --- moving between questions ------------------------------------------------------------------------
    def _show(self, index: int) -> None:
        if not self.questions or self.result is not None:
            return
        self.index = max(0, min(index, len(self.questions) - 1))
        self.query_one("#quiz-pages", ContentSwitcher).current = f"quiz-page-{self.index}"
        show_number_range(self, "1", len(self.questions[self.index].options))
        self._paint_progress()
        last = self.index == len(self.questions) - 1
        self.query_one("#quiz-prev", Button).disabled = self.index == 0
        self.query_one("#quiz-next", Button).display = not last
        self.query_one("#quiz-submit", Button).display = last
        self.query_one(f"#quiz-set-{self.index}", RadioSet).focus(scroll_visible=False)

    def _paint_progress(self) -> None:
        question = self.questions[self.index]
        topic = self.app.t(f"trn.quiz.topic.{question.topic}")
        if topic.startswith("trn.quiz.topic."):
            topic = question.topic
        line = self.app.t("trn.quiz.progress", i=self.index + 1, n=len(self.questions), answered=len(self.answers()))
        self.query_one("#quiz-progress", Static).update(f"{line} · {topic}")

    def answers(self) -> dict[str, int]:
        """The chosen option of each answered question, by question id."""
        chosen: dict[str, int] = {}
        for i, question in enumerate(self.questions):
            picked = self.query_one(f"#quiz-set-{i}", RadioSet).pressed_index
            if picked >= 0:
                chosen[question.id] = picked
        return chosen

    def action_move(self, step: int) -> None:
        self._show(self.index + step)

    @on(Button.Pressed, "#quiz-next")
    def _next(self) -> None:
        self.action_move(1)

    @on(Button.Pressed, "#quiz-prev")
    def _prev(self) -> None:
        self.action_move(-1)

    def action_pick(self, option: int) -> None:
        if not self.questions or self.result is not None:
            return
        radio = self.query_one(f"#quiz-set-{self.index}", RadioSet)
        buttons = list(radio.query(RadioButton))
        if option < len(buttons):
            buttons[option].value = True

    @on(RadioSet.Changed)
    def _answered(self) -> None:
        self._paint_progress()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "pick", "submit"):
            return self.paper is not None and self.result is None
        return True

    # --- marking and storing -----------------------------------------------------------------------------
    @on(Button.Pressed, "#quiz-submit")
    def action_submit(self) -> None:
        if self.paper is None or self.result is not None or self.busy:
            return
        missing = len(self.questions) - len(self.answers())
        if missing and self.index != len(self.questions) - 1:
            # Submit from the middle of the paper: go to the end first, where Submit says what is left.
            self._show(len(self.questions) - 1)
            self.notify(self.app.t("trn.quiz.unanswered", n=missing), severity="warning")
            return
        self.busy = True
        pass_percent = self.app.ctx.policy.integer("training.quiz_pass_percent")
        result = quiz.mark(self.paper, self.answers(), pass_percent)
        self._show_result(result)
        self._save(result)

    @work(thread=True, exclusive=True, group="quiz-save")
    def _save(self, result: quiz.QuizResult) -> None:
        try:
            results.save_quiz(self.app.ctx, signed_in_actor(self.app), result)
        except CollectError as exc:
            self.app.call_from_thread(self._failed, self.app.error_text(exc))
            return
        self.app.call_from_thread(self._stored)

    def _stored(self) -> None:
        self.busy = False
        self.saved = True
        self.notify(self.app.t("trn.quiz.saved"))

    def _show_result(self, result: quiz.QuizResult) -> None:
        t, lang = self.app.t, self.app.lang
        self.result = result
        self.query_one("#quiz-pages").display = False
        self.query_one("#quiz-buttons").display = False
        self.query_one("#quiz-progress").display = False
        verdict = t("trn.quiz.pass" if result.passed else "trn.quiz.fail")
        head = t(
            "trn.quiz.result",
            correct=result.correct,
            n=result.questions,
            percent=result.percent,
            pass_percent=result.pass_percent,
            verdict=verdict,
        )
        box = self.query_one("#quiz-results", Vertical)
        box.mount(Static(head, id="quiz-verdict", classes="passed" if result.passed else "failed"))
        for n, item in enumerate(result.items, start=1):
            question, chosen, right = item.question, item.chosen, item.right
            answer = question.options[question.answer].get(lang)
            mine = question.options[chosen].get(lang) if chosen is not None else t("trn.quiz.none")
            item_text = Text()
            item_text.append(f"{n}. {show(question.q.get(lang))}\n", style="bold")
            verdict_key = "trn.quiz.right" if right else "trn.quiz.wrong"
            item_text.append(t(verdict_key) + "\n", style="green" if right else "red")
            item_text.append(t("trn.quiz.your", a=show(mine)) + "\n")
            if not right:
                item_text.append(t("trn.quiz.answer", a=show(answer)) + "\n", style="green")
            item_text.append(t("trn.quiz.why", why=show(question.why.get(lang))), style="italic")
            box.mount(Static(item_text, classes="quiz-item"))
        box.mount(Button(t("trn.hub"), id="quiz-done", variant="primary"))
        self.call_after_refresh(self.query_one("#quiz-done", Button).focus)
        self.refresh_bindings()

    @on(Button.Pressed, "#quiz-done")
    def _done(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        self.dismiss(self.saved)

    @property
    def asks_before_quit(self) -> bool:
        """A paper is drawn and not yet marked: quitting would lose its answers."""
        return self.paper is not None and self.result is None

    def action_ask_quit(self) -> None:
        ask_to_quit(self.app, self.asks_before_quit, "quit.confirm.quiz")
