"""The feedback dialog: what a borrower said about a call or the bank, recorded by the collector who heard it.

Opened from the profile (``b``) and by the call screen after a connected call is saved (with its call id,
which links the feedback to the call and so to the collector who made it). The service
(``domain.voice.feedback.add_feedback``) checks the role and branch, masks ID, phone and account numbers in
the text and audits; this dialog only gathers the fields and says what the service answered. The
abusive-phrase scan of call notes is deliberately not applied: a customer quoting a threat is exactly what
must be kept (see the service's docstring).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Label, RadioSet, Select, TextArea
from textual.widgets.select import NoSelection

from collectui.domain.errors import CollectError, InvalidInput, PermissionDenied
from collectui.domain.voice import feedback as feedback_svc
from collectui.domain.voice.vocabulary import CATEGORIES, CHANNELS, MAX_TEXT, SENTIMENTS, scrub_free_text
from collectui.tui.base import AppModalScreen, localise_bindings, signed_in_actor
from collectui.tui.widgets.toggles import Check, Choice


class FeedbackScreen(AppModalScreen[int | None]):
    """Dismissed with the new feedback id, or None when cancelled."""

    # Not the shared ``dialog`` class: the app's stylesheet would override this width.
    DEFAULT_CSS = """
    FeedbackScreen { align: center middle; }
    FeedbackScreen #fb-box {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 2;
    }
    FeedbackScreen .fb-row { height: auto; }
    FeedbackScreen .fb-first { margin: 1 0 0 0; }
    FeedbackScreen .fb-label { width: 12; color: $text-muted; }
    FeedbackScreen .fb-inline { width: auto; color: $text-muted; margin: 0 1 0 2; }
    FeedbackScreen .fb-text-label { color: $text-muted; margin: 1 0 0 0; }
    FeedbackScreen RadioSet { layout: horizontal; width: 1fr; }
    FeedbackScreen RadioSet > RadioButton { width: auto; margin: 0 2 0 0; }
    FeedbackScreen #fb-categories { grid-size: 2; grid-gutter: 0 1; height: auto; width: 1fr; }
    FeedbackScreen #fb-categories Checkbox { width: 1fr; }
    FeedbackScreen Select { width: 12; }
    FeedbackScreen #fb-text { height: 4; width: 1fr; }
    FeedbackScreen #fb-buttons { height: auto; margin: 1 0 0 0; }
    FeedbackScreen #fb-buttons Button { margin: 0 2 0 0; }
    FeedbackScreen #message { height: auto; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "common.cancel"),
        Binding("ctrl+s", "save", "fb.key.save"),
    ]

    def __init__(self, customer_id: str, call_id: int | None = None) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id
        self.call_id = call_id
        self.saving = False

    def compose(self) -> ComposeResult:
        t = self.app.t
        title = t("fb.title", customer=self.customer_id)
        if self.call_id is not None:
            title += " · " + t("fb.about_call", call=self.call_id)
        with VerticalScroll(id="fb-box"):
            yield Label(title, classes="dialog-title")
            with Horizontal(classes="fb-row fb-first"):
                yield Label(t("fb.sentiment"), classes="fb-label")
                with RadioSet(id="fb-sentiment", compact=True):
                    for code in SENTIMENTS:
                        yield Choice(t(f"st.{code}"), name=code)
            with Horizontal(classes="fb-row fb-first"):
                yield Label(t("fb.categories"), classes="fb-label")
                with Grid(id="fb-categories"):
                    for code in CATEGORIES:
                        yield Check(t(f"fb.cat.{code}"), name=code, compact=True)
            with Horizontal(classes="fb-row fb-first"):
                yield Label(t("fb.csat"), classes="fb-label")
                yield Select([(str(n), n) for n in range(1, 6)], prompt=t("fb.not_asked"), id="fb-csat", compact=True)
                yield Label(t("fb.nps"), classes="fb-inline")
                yield Select([(str(n), n) for n in range(0, 11)], prompt=t("fb.not_asked"), id="fb-nps", compact=True)
                yield Label(t("fb.channel"), classes="fb-inline")
                yield Select(
                    [(t(f"ch.{code}"), code) for code in CHANNELS],
                    value="call",
                    allow_blank=False,
                    id="fb-channel",
                    compact=True,
                    disabled=self.call_id is not None,  # feedback on a call came by that call
                )
            yield Label(t("fb.text"), classes="fb-text-label")
            yield TextArea(id="fb-text", compact=True, placeholder=t("fb.text_hint"))
            with Horizontal(id="fb-buttons"):
                yield Button(t("fb.save"), id="fb-save", variant="primary", compact=True)
                yield Button(t("common.cancel"), id="fb-cancel", compact=True)
            yield Label("", id="message")

    def on_mount(self) -> None:
        self.query_one("#fb-sentiment", RadioSet).focus()

    # --- reading the form ------------------------------------------------------------------------------
    def _sentiment(self) -> str | None:
        pressed = self.query_one("#fb-sentiment", RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    def _number(self, selector: str) -> int | None:
        value = self.query_one(selector, Select).value
        return None if isinstance(value, NoSelection) else int(value)

    def _input(self, sentiment: str) -> feedback_svc.FeedbackInput:
        channel = self.query_one("#fb-channel", Select).value
        return feedback_svc.FeedbackInput(
            customer_id=self.customer_id,
            sentiment=sentiment,
            channel="call" if isinstance(channel, NoSelection) else str(channel),
            categories=tuple(
                box.name for box in self.query("#fb-categories Checkbox").results(Checkbox) if box.value and box.name
            ),
            satisfaction=self._number("#fb-csat"),
            recommend=self._number("#fb-nps"),
            text=self.query_one("#fb-text", TextArea).text or None,
            call_id=self.call_id,
        )

    # --- saving ----------------------------------------------------------------------------------------
    @on(Button.Pressed, "#fb-save")
    def action_save(self) -> None:
        if self.saving:
            return
        sentiment = self._sentiment()
        if sentiment is None:
            self._error(self.app.t("fb.need_sentiment"))
            self.query_one("#fb-sentiment", RadioSet).focus()
            return
        text = self.query_one("#fb-text", TextArea).text
        if len(text.strip()) > MAX_TEXT:
            self._error(self.app.t("fb.too_long", n=MAX_TEXT))
            return
        self.saving = True
        self._save(self._input(sentiment))

    @work(thread=True, exclusive=True, group="feedback")
    def _save(self, inp: feedback_svc.FeedbackInput) -> None:
        app = self.app
        try:
            feedback_id = feedback_svc.add_feedback(app.ctx, signed_in_actor(app), inp)
        except PermissionDenied:
            app.call_from_thread(self._error, app.t("fb.refused"))
            return
        except (InvalidInput, CollectError) as exc:
            app.call_from_thread(self._error, app.t("app.error", msg=app.error_text(exc)))
            return
        scrubbed = scrub_free_text(inp.text, app.ctx.policy)  # the same masking the service applied
        masked = sum(scrubbed.masked.values()) if scrubbed else 0
        app.call_from_thread(self._saved, feedback_id, masked)

    def _saved(self, feedback_id: int, masked: int) -> None:
        t = self.app.t
        text = t("fb.saved", id=feedback_id)
        if masked:
            text += " " + t("fb.masked", n=masked)
        self.app.notify(text)
        self.dismiss(feedback_id)

    def _error(self, text: str) -> None:
        self.saving = False
        label = self.query_one("#message", Label)
        label.update(text)
        label.add_class("error")

    @on(Button.Pressed, "#fb-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
