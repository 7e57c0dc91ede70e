"""Choosing one's own password after an admin set it: the sign-in goes on only once it is changed.

``users.change_own_password`` checks the old password again (argon2, lockout, audit) and clears the
account's ``must_change_password``; this dialog only collects the new one twice.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from collectui.domain.errors import CollectError
from collectui.domain.staff.users import UserView, change_own_password
from collectui.tui.base import AppModalScreen, localise_bindings


class ChangePasswordScreen(AppModalScreen[UserView | None]):
    """Dismissed with the signed-in user once the new password is saved, or None when abandoned."""

    BINDINGS = [Binding("escape", "cancel", "key.back")]

    def __init__(self, username: str, old_password: str) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self._username = username
        self._old = old_password

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="password-box", classes="dialog"):
            yield Label(t("password.title"), classes="dialog-title")
            yield Static(t("password.explain"))
            yield Label(t("password.new"))
            yield Input(password=True, id="new")
            yield Label(t("password.repeat"))
            yield Input(password=True, id="repeat")
            yield Button(t("password.submit"), id="save", variant="primary")
            yield Label("", id="password-message", classes="error")

    def on_mount(self) -> None:
        self.query_one("#new", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#new")
    def _next(self) -> None:
        self.query_one("#repeat", Input).focus()

    @on(Input.Submitted, "#repeat")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        new = self.query_one("#new", Input).value
        if new != self.query_one("#repeat", Input).value:
            self.query_one("#password-message", Label).update(self.app.t("password.differ"))
            return
        self._change(new)

    @work(thread=True, exclusive=True, group="password")
    def _change(self, new: str) -> None:
        try:
            user = change_own_password(self.app.ctx, self._username, self._old, new)
        except CollectError as exc:
            self.app.call_from_thread(self.query_one("#password-message", Label).update, self.app.error_text(exc))
            return
        self.app.call_from_thread(self.dismiss, user)
