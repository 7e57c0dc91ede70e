"""The unmask dialog: pick a field, give a reason; the service decides and audits.

No field is preselected: with one chosen for them, a supervisor who typed a reason and pressed Enter saw the
name when they meant the phone, and every reveal is audited. The reason label states the service's own rule.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, RadioSet

from collectui.domain.errors import CollectError, InvalidInput, PermissionDenied
from collectui.domain.privacy.unmask import FIELDS, MIN_CJK, MIN_WORDS, Unmasked, unmask
from collectui.tui.base import AppModalScreen, localise_bindings, signed_in_actor
from collectui.tui.widgets.toggles import Choice


class UnmaskScreen(AppModalScreen[Unmasked | None]):
    BINDINGS = [Binding("escape", "cancel", "common.cancel")]

    def __init__(self, customer_id: str) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="unmask-box", classes="dialog"):
            yield Label(t("um.title"), classes="dialog-title")
            yield Label(t("um.field"))
            with RadioSet(id="field", compact=True):
                for field in FIELDS:
                    yield Choice(t(f"pf.{field}"), name=field)
            yield Label(t("um.reason", words=MIN_WORDS, chars=MIN_CJK), id="reason-label")
            yield Input(id="reason", compact=True)
            yield Button(t("um.submit"), id="submit", variant="warning", compact=True)
            yield Label("", id="message")

    def on_mount(self) -> None:
        self.query_one("#field", RadioSet).focus()  # the field first: arrows and Enter pick, Tab to the reason

    def _field(self) -> str | None:
        pressed = self.query_one("#field", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else None

    @on(RadioSet.Changed, "#field")
    def _picked(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#submit")
    def _go(self) -> None:
        field = self._field()
        if field is None:
            self._error(self.app.t("um.pick"))
            self.query_one("#field", RadioSet).focus()
            return
        self._ask(field, self.query_one("#reason", Input).value)

    @work(thread=True, exclusive=True, group="unmask")
    def _ask(self, field: str, reason: str) -> None:
        app = self.app
        try:
            result = unmask(app.ctx, signed_in_actor(app), self.customer_id, field, reason)
        except PermissionDenied:
            app.call_from_thread(self._error, app.t("um.refused"))
            return
        except InvalidInput as exc:
            text = app.t("um.short") if "reason" in str(exc) else app.error_text(exc)
            app.call_from_thread(self._error, text)
            return
        except CollectError as exc:
            app.call_from_thread(self._error, app.error_text(exc))
            return
        app.call_from_thread(self.dismiss, result)

    def _error(self, text: str) -> None:
        label = self.query_one("#message", Label)
        label.update(text)
        label.add_class("error")

    def action_cancel(self) -> None:
        self.dismiss(None)
