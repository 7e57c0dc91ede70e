"""The complaint dialog: a borrower's complaint, opened by whoever hears it (collectors included).

The service (``domain.voice.complaints.open_complaint``) checks the role and branch, masks numbers in the
text, sets the decision's due date and, for a subject in the policy's ``complaints.hold_about``
(collection, by default), puts the borrower on ``complaint_hold`` in the same transaction and refreshes the
work list, so the gate refuses the next call at once. The dialog says so before saving, because the
collector is about to stop their own calls to this borrower until a supervisor clears the hold.
"""

from __future__ import annotations

from datetime import timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, RadioSet, Static, TextArea

from collectui.domain.errors import CollectError, PermissionDenied
from collectui.domain.voice.complaints import ABOUT, open_complaint
from collectui.domain.voice.vocabulary import MAX_TEXT
from collectui.tui.base import AppModalScreen, localise_bindings, signed_in_actor
from collectui.tui.widgets.toggles import Choice


class ComplaintScreen(AppModalScreen[int | None]):
    """Dismissed with the new complaint id, or None when cancelled."""

    # Not the shared ``dialog`` class: the app's stylesheet would override this width.
    DEFAULT_CSS = """
    ComplaintScreen { align: center middle; }
    ComplaintScreen #cp-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 2;
    }
    ComplaintScreen .cp-row { height: auto; margin: 1 0 0 0; }
    ComplaintScreen .cp-label { width: 12; color: $text-muted; }
    ComplaintScreen .cp-text-label { color: $text-muted; margin: 1 0 0 0; }
    ComplaintScreen RadioSet { layout: horizontal; width: 1fr; }
    ComplaintScreen RadioSet > RadioButton { width: auto; margin: 0 2 0 0; }
    ComplaintScreen #cp-text { height: 5; width: 1fr; }
    ComplaintScreen #cp-effect { height: auto; margin: 1 0 0 0; }
    ComplaintScreen #cp-effect.hold { color: $warning; text-style: bold; }
    ComplaintScreen #cp-buttons { height: auto; margin: 1 0 0 0; }
    ComplaintScreen #cp-buttons Button { margin: 0 2 0 0; }
    ComplaintScreen #message { height: auto; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "common.cancel"),
        Binding("ctrl+s", "save", "cp.key.save"),
    ]

    def __init__(self, customer_id: str, call_id: int | None = None) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id
        self.call_id = call_id
        self.saving = False

    @property
    def holding(self) -> tuple[str, ...]:
        return tuple(self.app.ctx.policy.texts("complaints.hold_about"))

    def compose(self) -> ComposeResult:
        t = self.app.t
        title = t("cp.title", customer=self.customer_id)
        if self.call_id is not None:
            title += " · " + t("fb.about_call", call=self.call_id)
        with VerticalScroll(id="cp-box"):
            yield Label(title, classes="dialog-title")
            with Horizontal(classes="cp-row"):
                yield Label(t("cp.about"), classes="cp-label")
                with RadioSet(id="cp-about", compact=True):
                    for code in ABOUT:
                        yield Choice(t(f"about.{code}"), name=code)
            yield Label(t("cp.text"), classes="cp-text-label")
            yield TextArea(id="cp-text", compact=True, placeholder=t("cp.text_hint"))
            yield Static(self._effect(None), id="cp-effect")
            with Horizontal(id="cp-buttons"):
                yield Button(t("cp.save"), id="cp-save", variant="warning", compact=True)
                yield Button(t("common.cancel"), id="cp-cancel", compact=True)
            yield Label("", id="message")

    def on_mount(self) -> None:
        self.query_one("#cp-about", RadioSet).focus()

    def _about(self) -> str | None:
        pressed = self.query_one("#cp-about", RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    def _effect(self, about: str | None) -> str:
        """What opening it does: the decision's deadline, and the hold when the subject puts calls on hold."""
        t, policy = self.app.t, self.app.ctx.policy
        due = self.app.ctx.clock.today() + timedelta(days=policy.integer("complaints.due_days"))
        text = t("cp.due", date=due.isoformat())
        if about is not None and about in self.holding:
            text += "\n" + t("cp.hold")
        return text

    @on(RadioSet.Changed, "#cp-about")
    def _about_changed(self) -> None:
        about = self._about()
        effect = self.query_one("#cp-effect", Static)
        effect.update(self._effect(about))
        effect.set_class(about in self.holding, "hold")

    @on(Button.Pressed, "#cp-save")
    def action_save(self) -> None:
        if self.saving:
            return
        t = self.app.t
        about = self._about()
        if about is None:
            self._error(t("cp.need_about"))
            self.query_one("#cp-about", RadioSet).focus()
            return
        text = self.query_one("#cp-text", TextArea).text.strip()
        if not text:
            self._error(t("cp.need_text"))
            self.query_one("#cp-text", TextArea).focus()
            return
        if len(text) > MAX_TEXT:
            self._error(t("fb.too_long", n=MAX_TEXT))
            return
        self.saving = True
        self._save(about, text)

    @work(thread=True, exclusive=True, group="complaint")
    def _save(self, about: str, text: str) -> None:
        app = self.app
        try:
            complaint_id = open_complaint(
                app.ctx, signed_in_actor(app), self.customer_id, about, text, call_id=self.call_id
            )
        except PermissionDenied:
            app.call_from_thread(self._error, app.t("cp.refused"))
            return
        except CollectError as exc:
            app.call_from_thread(self._error, app.t("app.error", msg=app.error_text(exc)))
            return
        app.call_from_thread(self._saved, complaint_id, about in self.holding)

    def _saved(self, complaint_id: int, hold: bool) -> None:
        t = self.app.t
        self.app.notify(
            t("cp.saved_hold" if hold else "cp.saved", id=complaint_id),
            severity="warning" if hold else "information",
        )
        self.dismiss(complaint_id)

    def _error(self, text: str) -> None:
        self.saving = False
        label = self.query_one("#message", Label)
        label.update(text)
        label.add_class("error")

    @on(Button.Pressed, "#cp-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
