"""The call screen's two small questions: cancel a started call with a half-filled form, and what to record
after a connected call is saved (the customer's feedback, a number or contact learned on the call).

The feedback dialog and the new-contact dialog belong to their own features; they are imported when chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from collectui.tui.base import AppModalScreen, localise_bindings

if TYPE_CHECKING:
    from collectui.tui.app import CollectApp


# Not the shared ``dialog`` class: the app's stylesheet would override the width, and the after-call buttons
# need more than its 64 columns.
BOX_CSS = """
SCREEN { align: center middle; }
SCREEN .call-box {
    width: 76; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; background: $surface; padding: 0 2;
}
SCREEN Static { height: auto; }
SCREEN Horizontal { height: auto; margin: 1 0 0 0; }
SCREEN Button { margin: 0 2 0 0; }
"""


class YesNoScreen(AppModalScreen[bool]):
    """A question whose safe answer, no, has the focus: dismissed with True for yes, False for no (or escape).

    A subclass names its catalogue keys (``TITLE``, ``BODY``, ``NO``, ``YES``), the prefix of its buttons' ids
    (``#<ID>-no``, ``#<ID>-yes``) and an escape binding to ``no``, described by its ``NO`` key."""

    TITLE = BODY = NO = YES = ID = ""

    def __init__(self, body_key: str | None = None) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.body_key = body_key or self.BODY

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="call-box"):
            yield Label(t(self.TITLE), classes="dialog-title")
            yield Static(t(self.body_key), id=f"{self.ID}-body")
            with Horizontal():
                yield Button(t(self.NO), id=f"{self.ID}-no", variant="primary", compact=True)
                yield Button(t(self.YES), id=f"{self.ID}-yes", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#{self.ID}-no", Button).focus()  # the safe choice is the default

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in (f"{self.ID}-yes", f"{self.ID}-no"):
            event.stop()
            self.dismiss(event.button.id == f"{self.ID}-yes")

    def action_no(self) -> None:
        self.dismiss(False)


class ConfirmCancelScreen(YesNoScreen):
    """Dismissed with True to cancel the call, False to go back to the form."""

    DEFAULT_CSS = BOX_CSS.replace("SCREEN", "ConfirmCancelScreen")
    BINDINGS = [Binding("escape", "no", "call.confirm.no")]
    TITLE, BODY, NO, YES, ID = (
        "call.confirm.title",
        "call.confirm.body",
        "call.confirm.no",
        "call.confirm.yes",
        "confirm",
    )


class AfterCallScreen(AppModalScreen[None]):
    """After a connected call is saved: offer the feedback dialog and the new number/contact dialog, and after
    a hardship call a payment plan (协商还款) agreed on it."""

    DEFAULT_CSS = BOX_CSS.replace("SCREEN", "AfterCallScreen")
    BINDINGS = [Binding("escape", "done", "call.after.done")]

    def __init__(self, customer_id: str, call_id: int, offer_plan: bool = False) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id, self.call_id, self.offer_plan = customer_id, call_id, offer_plan

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="call-box"):
            yield Label(t("call.after.title", id=self.call_id), classes="dialog-title")
            yield Static(t("call.after.body"))
            with Horizontal():
                yield Button(t("call.after.feedback"), id="after-feedback", variant="primary", compact=True)
                if self.offer_plan:  # its own row: four buttons do not fit an 80-column terminal in one
                    yield Button(t("call.after.plan"), id="after-plan", compact=True)
            with Horizontal():
                yield Button(t("call.learned"), id="after-contact", compact=True)
                yield Button(t("call.after.done"), id="after-done", compact=True)

    def on_mount(self) -> None:
        self.query_one("#after-feedback", Button).focus()

    @on(Button.Pressed, "#after-feedback")
    def _feedback(self) -> None:
        from collectui.tui.screens.feedback import FeedbackScreen

        self.app.push_screen(FeedbackScreen(self.customer_id, self.call_id), callback=self._feedback_saved)

    def _feedback_saved(self, feedback_id: int | None) -> None:
        if feedback_id is not None:  # recorded once for this call: Done is what is left
            self.query_one("#after-feedback", Button).disabled = True
            self.query_one("#after-done", Button).focus()

    @on(Button.Pressed, "#after-plan")
    def _plan(self) -> None:
        from collectui.tui.screens.plan_propose import PlanProposeScreen

        self.app.push_screen(PlanProposeScreen(self.customer_id, self.call_id), callback=self._plan_saved)

    def _plan_saved(self, message: str | None) -> None:
        if message is not None:  # one plan per borrower at a time
            self.notify(message)
            self.query_one("#after-plan", Button).disabled = True
            self.query_one("#after-done", Button).focus()

    @on(Button.Pressed, "#after-contact")
    def _contact(self) -> None:
        open_contact_add(self.app, self.customer_id, self.call_id)

    @on(Button.Pressed, "#after-done")
    def action_done(self) -> None:
        self.dismiss(None)


def open_contact_add(app: CollectApp, customer_id: str, call_id: int) -> None:
    """The new number/contact dialog, for a number learned on call ``call_id``."""
    from collectui.tui.screens.contact_add import ContactAddScreen

    app.push_screen(ContactAddScreen(customer_id, call_id))
