"""Quit half-way through training? A quiz not yet submitted, or a practice call not yet over, is lost when the
app quits, so ctrl+q (and q) on those screens ask first, as the call screen asks before cancelling a call with
a half-filled form.

A screen opts in with ``QUIT_BINDING`` in its BINDINGS and an ``asks_before_quit`` property; the app does not
quit on its own while that property is true (``CollectApp.may_quit_from``), so the screen's binding runs and
``ask_to_quit`` opens this dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from collectui.tui.base import AppModalScreen, localise_bindings
from collectui.tui.screens.call_dialogs import BOX_CSS

if TYPE_CHECKING:
    from collectui.tui.app import CollectApp

# Hidden: the help already lists q as the app's quit key.
QUIT_BINDING = Binding("ctrl+q,q", "ask_quit", "", show=False)


class ConfirmQuitScreen(AppModalScreen[bool]):
    """Dismissed with True to quit the app, False to go back to what was being done."""

    DEFAULT_CSS = BOX_CSS.replace("SCREEN", "ConfirmQuitScreen")
    BINDINGS = [Binding("escape", "stay", "quit.confirm.no")]

    def __init__(self, body_key: str) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.body_key = body_key

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="call-box"):
            yield Label(t("quit.confirm.title"), classes="dialog-title")
            yield Static(t(self.body_key), id="quit-body")
            with Horizontal():
                yield Button(t("quit.confirm.no"), id="quit-no", variant="primary", compact=True)
                yield Button(t("quit.confirm.yes"), id="quit-yes", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#quit-no", Button).focus()  # the safe choice is the default

    @on(Button.Pressed, "#quit-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#quit-no")
    def action_stay(self) -> None:
        self.dismiss(False)


def ask_to_quit(app: CollectApp, asks: bool, body_key: str) -> None:
    """Quit at once when nothing would be lost (``asks`` false), else ask first with ``body_key``'s text."""
    if not asks:
        app.exit()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            app.exit()

    app.push_screen(ConfirmQuitScreen(body_key), callback=answered)
