"""The agreed call hours dialog: a supervisor sets or clears the hours a borrower agreed to be called in.

The gate replaces the policy's call window by these hours (earlier or later than it, past midnight when the
end is before the start), so they are a supervisor's, with a reason. The service
(``domain.portfolio.contacts.set_consent_hours``) checks the role and branch, reads "HH:MM-HH:MM", audits
the change and refreshes the work list. The dialog shows the hours in force first; for someone who may
not change them it says so instead of offering a save that would be refused. Dismissed with True when
the hours were changed, False when cancelled.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from collectui.domain.errors import CollectError, PermissionDenied
from collectui.domain.portfolio.contacts import MAX_REASON, agreed_hours, set_consent_hours
from collectui.domain.staff.permissions import may
from collectui.tui.base import AppModalScreen, localise_bindings, signed_in_actor


class ConsentHoursScreen(AppModalScreen[bool]):
    """``ConsentHoursScreen(customer_id)``: dismissed with True when the hours changed, False otherwise."""

    DEFAULT_CSS = """
    ConsentHoursScreen { align: center middle; }
    ConsentHoursScreen #hrs-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 2;
    }
    ConsentHoursScreen .hrs-row { height: auto; margin: 1 0 0 0; }
    ConsentHoursScreen .hrs-label { width: 12; color: $text-muted; }
    ConsentHoursScreen Input { width: 1fr; }
    ConsentHoursScreen #hrs-now { height: auto; margin: 1 0 0 0; }
    ConsentHoursScreen #hrs-note { height: auto; margin: 1 0 0 0; color: $text-muted; }
    ConsentHoursScreen #hrs-buttons { height: auto; margin: 1 0 0 0; }
    ConsentHoursScreen #hrs-buttons Button { margin: 0 2 0 0; }
    ConsentHoursScreen #message { height: auto; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "common.cancel"),
        Binding("ctrl+s", "save", "hrs.key.save"),
    ]

    def __init__(self, customer_id: str) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id
        self.current: str | None = None
        self.loaded = False
        self.saving = False

    @property
    def allowed(self) -> bool:
        return may(signed_in_actor(self.app), "customer.hours")

    def compose(self) -> ComposeResult:
        t = self.app.t
        with VerticalScroll(id="hrs-box"):
            yield Label(t("hrs.title", customer=self.customer_id), classes="dialog-title", markup=False)
            yield Static(t("common.loading"), id="hrs-now", markup=False)
            with Horizontal(classes="hrs-row"):
                yield Label(t("hrs.hours"), classes="hrs-label")
                yield Input(id="hrs-hours", placeholder="18:00-20:00", compact=True, max_length=20)
            with Horizontal(classes="hrs-row"):
                yield Label(t("hrs.reason"), classes="hrs-label")
                yield Input(id="hrs-reason", placeholder=t("hrs.reason_hint"), compact=True, max_length=MAX_REASON)
            yield Static(t("hrs.note") if self.allowed else t("hrs.supervisors_only"), id="hrs-note")
            with Horizontal(id="hrs-buttons"):
                yield Button(t("hrs.save"), id="hrs-save", variant="warning", compact=True, disabled=not self.allowed)
                yield Button(t("hrs.clear"), id="hrs-clear", compact=True, disabled=True)
                yield Button(t("common.cancel"), id="hrs-cancel", compact=True)
            yield Label("", id="message", markup=False)

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.disabled = not self.allowed
        if self.allowed:
            self.query_one("#hrs-hours", Input).focus()
        else:
            self.query_one("#hrs-cancel", Button).focus()
        self._load()

    @work(thread=True, exclusive=True, group="consent-load")
    def _load(self) -> None:
        app = self.app
        try:
            hours = agreed_hours(app.ctx, signed_in_actor(app), self.customer_id)
        except CollectError as exc:
            app.call_from_thread(self._error, app.t("app.error", msg=app.error_text(exc)))
            return
        app.call_from_thread(self._loaded, hours)

    def _loaded(self, hours: str | None) -> None:
        t, policy = self.app.t, self.app.ctx.policy
        self.current, self.loaded = hours, True
        if hours:
            text = t("hrs.now_agreed", hours=hours)
        else:
            window = f"{policy['rules.call_window.start']}-{policy['rules.call_window.end']}"
            text = t("hrs.now_default", hours=window)
        self.query_one("#hrs-now", Static).update(text)
        self.query_one("#hrs-clear", Button).disabled = not (self.allowed and hours)
        if hours:
            self.query_one("#hrs-hours", Input).value = hours

    @on(Input.Submitted)
    @on(Button.Pressed, "#hrs-save")
    def action_save(self) -> None:
        hours = self.query_one("#hrs-hours", Input).value.strip()
        if not hours:
            self._error(self.app.t("hrs.need_hours"), "#hrs-hours")
            return
        self._submit(hours)

    @on(Button.Pressed, "#hrs-clear")
    def _clear(self) -> None:
        self._submit(None)

    def _submit(self, hours: str | None) -> None:
        if self.saving or not self.allowed or not self.loaded:
            return
        reason = self.query_one("#hrs-reason", Input).value.strip()
        if not reason:
            self._error(self.app.t("hrs.need_reason"), "#hrs-reason")
            return
        self.saving = True
        self._save(hours, reason)

    @work(thread=True, exclusive=True, group="consent-save")
    def _save(self, hours: str | None, reason: str) -> None:
        app = self.app
        try:
            stored = set_consent_hours(app.ctx, signed_in_actor(app), self.customer_id, hours, reason)
        except PermissionDenied:
            app.call_from_thread(self._error, app.t("hrs.refused"))
            return
        except CollectError as exc:
            app.call_from_thread(self._error, app.t("app.error", msg=app.error_text(exc)))
            return
        app.call_from_thread(self._saved, stored)

    def _saved(self, stored: str | None) -> None:
        t = self.app.t
        self.app.notify(t("hrs.saved", hours=stored) if stored else t("hrs.cleared"))
        self.dismiss(True)

    def _error(self, text: str, focus: str | None = None) -> None:
        self.saving = False
        label = self.query_one("#message", Label)
        label.update(text)
        label.add_class("error")
        if focus is not None:
            self.query_one(focus).focus()

    @on(Button.Pressed, "#hrs-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
