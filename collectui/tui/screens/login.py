"""Sign-in and the idle lock: both check the password with ``users.authenticate`` (argon2, lockout, audit)."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Input, Label, Static

from collectui.demo.people import BRANCHES, PeopleFactory, staff_specs
from collectui.domain.errors import PermissionDenied
from collectui.domain.staff.users import UserView, authenticate
from collectui.storage.meta import database_is_demo
from collectui.tui.base import AppScreen, localise_bindings

if TYPE_CHECKING:
    from collectui.tui.app import CollectApp

_LOCKED = re.compile(r"locked; try again in (\d+) min")
_NOW_LOCKED = re.compile(r"now locked for (\d+) min")


def _message(app: CollectApp, exc: PermissionDenied) -> str:
    found = _LOCKED.search(str(exc))
    if found:
        return app.t("login.locked", minutes=found.group(1))
    found = _NOW_LOCKED.search(str(exc))
    if found:  # this wrong password was the last one allowed
        return app.t("login.now_locked", minutes=found.group(1))
    return app.t("login.failed")


def demo_accounts(sep: str = ", ") -> dict[str, str]:
    """The demo's staff usernames, folded to fit the sign-in box: the first branch's in full, the others' prefixes.

    Read from the demo's own staff list (the usernames only) so that the hint stays true when that list
    changes: {first_branch}, {other_prefixes}, {other_users} and an {example} username. ``sep`` joins the names
    (the language's ``list.sep``: 、 in Chinese).
    """
    usernames = [spec.username for spec in staff_specs(PeopleFactory(random.Random(0)))]
    prefixes = [f"{code}-" for _, code in BRANCHES]
    return {
        "first_branch": sep.join(n for n in usernames if n.startswith(prefixes[0])),
        "other_prefixes": sep.join(prefixes[1:]),
        "other_users": sep.join(n for n in usernames if not n.startswith(tuple(prefixes))),
        "example": usernames[0],
    }


class _PasswordForm(AppScreen[UserView | None]):
    """Shared by sign-in and unlock: check in a thread, show the result, dismiss with the user.

    A Screen itself (not a plain mixin) so that Textual registers its ``@on`` handlers for both screens.
    """

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#submit")
    def _go(self) -> None:
        self._submit()

    def action_quit_app(self) -> None:
        self.dismiss(None)

    def _submit(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not username or not password:
            self._show(self.app.t("login.empty"))
            return
        self._show(self.app.t("login.checking"), error=False)
        self.query_one("#password", Input).value = ""
        self._check(username, password)

    @work(thread=True, exclusive=True, group="login")
    def _check(self, username: str, password: str) -> None:
        try:
            user = authenticate(self.app.ctx, username, password)
        except PermissionDenied as exc:
            self.app.call_from_thread(self._show, _message(self.app, exc))
            return
        if user.must_change_password:
            self.app.call_from_thread(self._must_change, user, password)
            return
        self.app.call_from_thread(self._accepted, user)

    def _accepted(self, user: UserView) -> None:
        self.dismiss(user)

    def _must_change(self, user: UserView, password: str) -> None:
        """An admin set this password: the person chooses their own before the sign-in goes on."""
        from collectui.tui.screens.password import ChangePasswordScreen

        def done(changed: UserView | None) -> None:
            if changed is None:
                self._show(self.app.t("password.needed"))
            else:
                self._accepted(changed)

        self._show("", error=False)  # no "Checking…" left behind the dialog
        self.app.push_screen(ChangePasswordScreen(user.username, password), done)

    def _show(self, text: str, error: bool = True) -> None:
        label = self.query_one("#message", Label)
        label.update(text)
        label.set_class(error, "error")


class LoginScreen(_PasswordForm):
    BINDINGS = [Binding("ctrl+q", "quit_app", "key.quit")]

    def __init__(self, username: str | None = None) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self._username = username

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="login-box", classes="dialog"):
            yield Static(f"{self.app.ctx.policy['bank_name']} · {t('app.title')}", id="login-bank")
            yield Label(t("login.title"), classes="dialog-title")
            yield Label(t("login.username"))
            yield Input(value=self._username or "", id="username")
            yield Label(t("login.password"))
            yield Input(password=True, id="password")
            yield Button(t("login.submit"), id="submit", variant="primary")
            yield Label("", id="message")
            yield Static(t("login.hint"), classes="hint")
            yield Static("", id="demo-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#password" if self._username else "#username", Input).focus()
        self._check_demo()

    @work(thread=True, exclusive=True, group="login-demo")
    def _check_demo(self) -> None:
        # A trainer's demo database: say how to sign in (the demo passwords are printed by `demo` too).
        if database_is_demo(self.app.ctx.db):
            hint = self.app.t("login.demo", **demo_accounts(self.app.t("list.sep")))
            self.app.call_from_thread(self.query_one("#demo-hint", Static).update, hint)

    @on(Input.Submitted, "#username")
    def _next(self) -> None:
        self.query_one("#password", Input).focus()


class LockScreen(_PasswordForm):
    """Shown after the idle limit; only the same user's password unlocks it."""

    BINDINGS = [Binding("ctrl+q", "quit_app", "key.quit")]

    def __init__(self, user: UserView) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.user = user

    def compose(self) -> ComposeResult:
        t = self.app.t
        minutes = int(self.app.idle_limit.total_seconds() // 60)
        with Vertical(id="lock-box", classes="dialog"):
            yield Label(t("lock.title"), classes="dialog-title")
            yield Static(t("lock.explain", minutes=minutes, user=self.user.display_name))
            yield Input(value=self.user.username, id="username", disabled=True)
            yield Input(password=True, id="password")
            yield Button(t("lock.unlock"), id="submit", variant="primary")
            yield Label("", id="message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#password", Input).focus()
