"""A practice call's score: the total out of 100, its three parts, every mistake explained, Retry or Back.

The score is the practice call's own (``PracticeCall.score``); ``demo.sandbox.finish_practice`` stores it in
the bank's database and throws the sandbox away, in a worker, as the screen opens. Retry builds a fresh
sandbox (``open_practice`` again) and goes straight to the gate; Back returns to the training hub.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from collectui.demo.sandbox import finish_practice
from collectui.domain.errors import CollectError
from collectui.domain.textsafe import show
from collectui.domain.training.practice import PracticeCall
from collectui.domain.training.scoring import Score
from collectui.tui.base import AppScreen, localise_bindings, signed_in_actor
from collectui.tui.widgets.training.banner import TrainingBanner
from collectui.tui.widgets.training.text import score_details, score_summary


class ScoreScreen(AppScreen[None]):
    DEFAULT_CSS = """
    ScoreScreen #sc-total { padding: 0 1; height: auto; border-bottom: solid $primary; }
    ScoreScreen #sc-body { padding: 0 1; height: 1fr; }
    ScoreScreen #sc-text { height: auto; }
    ScoreScreen #sc-stored { height: auto; color: $text-muted; margin: 1 0 0 0; }
    ScoreScreen #sc-buttons { height: auto; padding: 0 1; }
    ScoreScreen #sc-buttons Button { margin: 0 2 0 0; }
    ScoreScreen #sc-buttons Button:focus { text-style: bold reverse; }
    """

    BINDINGS = [
        Binding("escape", "back", "trn.hub"),
        Binding("r", "retry", "trn.retry"),
    ]

    def __init__(self, call: PracticeCall, retry: Callable[[], Screen[None]]) -> None:
        """``retry``: a fresh practice screen of the same scenario (given by the practice screen, which this
        module may not import: the two would import each other)."""
        super().__init__()
        localise_bindings(self, self.app)
        self.call = call
        self.retry = retry
        self.scenario = call.scenario
        self.score: Score = call.score()
        self.stored: int | None = None  # the stored attempt's id, once finish_practice has run
        self.storing = True

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield TrainingBanner(t("trn.banner"))
        # The total and the buttons stay in view; the mistakes scroll between them on a small terminal.
        yield Static(score_summary(t, self.score, self.call.pass_score), id="sc-total")
        with VerticalScroll(id="sc-body"):
            yield Static(score_details(t, self.app.lang, self.scenario, self.score), id="sc-text")
            yield Static(t("common.loading"), id="sc-stored")
        with Horizontal(id="sc-buttons"):
            yield Button(t("trn.retry"), id="sc-retry", variant="primary", compact=True)
            yield Button(t("trn.hub"), id="sc-back", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = self.app.t("trn.score.title") + " · " + show(self.scenario.title.get(self.app.lang))
        self.sub_title = ""
        self.query_one("#sc-retry", Button).focus()
        self._store()

    @work(thread=True, exclusive=True, group="practice-store")
    def _store(self) -> None:
        try:
            attempt = finish_practice(self.app.ctx, signed_in_actor(self.app), self.call)
        except CollectError as exc:
            self.app.call_from_thread(self._stored, None, self.app.error_text(exc))
            return
        self.app.call_from_thread(self._stored, attempt, None)

    def _stored(self, attempt: int | None, error: str | None) -> None:
        t = self.app.t
        self.storing = False
        self.stored = attempt
        line = t("trn.score.stored") if error is None else t("trn.score.not_stored", msg=error)
        self.query_one("#sc-stored", Static).update(Text(line))
        if error is not None:
            self.notify(line, severity="error")

    @on(Button.Pressed, "#sc-retry")
    def action_retry(self) -> None:
        if not self.storing:
            self.app.switch_screen(self.retry())

    @on(Button.Pressed, "#sc-back")
    def action_back(self) -> None:
        if not self.storing:
            self.dismiss(None)
