"""Quit half-way through training? A quiz not yet submitted, or a practice call not yet over, is lost when the
app quits, so ctrl+q (and q) on those screens ask first, as the call screen asks before cancelling a call with
a half-filled form.

A screen opts in with ``QUIT_BINDING`` in its BINDINGS and an ``asks_before_quit`` property; the app does not
quit on its own while that property is true (``CollectApp.may_quit_from``), so the screen's binding runs and
``ask_to_quit`` opens this dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from collectui.tui.screens.call_dialogs import BOX_CSS, YesNoScreen

if TYPE_CHECKING:
    from collectui.tui.app import CollectApp

# Hidden: the help already lists q as the app's quit key.
QUIT_BINDING = Binding("ctrl+q,q", "ask_quit", "", show=False)


class ConfirmQuitScreen(YesNoScreen):
    """Dismissed with True to quit the app, False to go back to what was being done."""

    DEFAULT_CSS = BOX_CSS.replace("SCREEN", "ConfirmQuitScreen")
    BINDINGS = [Binding("escape", "no", "quit.confirm.no")]
    TITLE, NO, YES, ID = "quit.confirm.title", "quit.confirm.no", "quit.confirm.yes", "quit"

    def __init__(self, body_key: str) -> None:
        super().__init__(body_key)


def ask_to_quit(app: CollectApp, asks: bool, body_key: str) -> None:
    """Quit at once when nothing would be lost (``asks`` false), else ask first with ``body_key``'s text."""
    if not asks:
        app.exit()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            app.exit()

    app.push_screen(ConfirmQuitScreen(body_key), callback=answered)
