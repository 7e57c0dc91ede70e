"""Supervisors: the branch's disputes by answer due day (overdue ones in red), and resolving one.

The services (``domain.cases.disputes``) check the role and the branch, scan and mask the reason, lift the
dispute hold in the same transaction and, for a rejection told by SMS, queue the ``dispute_answer`` message.
Reached from the dashboard (``v``), the work list and the profile (``v``, also in the command palette).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Header, Label, RadioButton, RadioSet, Static, TextArea

from collectui.domain.cases.disputes import DisputeView, Resolution, list_disputes, resolve_dispute
from collectui.domain.errors import CollectError, PermissionDenied
from collectui.domain.staff.users import UNMASK_ROLES
from collectui.domain.textsafe import show
from collectui.domain.voice.vocabulary import MAX_TEXT
from collectui.tui.base import AppModalScreen, AppScreen, localise_bindings, signed_in_actor
from collectui.tui.widgets.toggles import Choice

COLUMNS = ("id", "customer", "name", "reason", "status", "due", "left")  # fits 80 columns


class DisputesScreen(AppScreen[None]):
    DEFAULT_CSS = """
    DisputesScreen #dsp-head { padding: 0 1; text-style: bold; height: auto; }
    DisputesScreen #dsp-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        # priority: the table has the focus and would take Enter (and the footer would not show it)
        Binding("enter", "resolve", "dsp.key.resolve", key_display="⏎", priority=True),
        Binding("r", "reload", "dsp.key.reload"),
    ]

    class Loaded(Message):
        def __init__(self, views: list[DisputeView] | None, error: str | None = None) -> None:
            super().__init__()
            self.views, self.error = views, error

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.views: list[DisputeView] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(self.app.t("common.loading"), id="dsp-head")
            yield DataTable(id="dsp-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        t = self.app.t
        self.title = t("dsp.title")
        user = self.app.user
        if user is None or user.role not in UNMASK_ROLES:
            self.notify(t("app.role_only"), severity="warning")
            self.dismiss(None)
            return
        table = self.query_one("#dsp-table", DataTable)
        for key in COLUMNS:
            table.add_column(t(f"dsp.col.{key}"), key=key)
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="disputes")
    def _load(self) -> None:
        try:
            self.post_message(self.Loaded(list_disputes(self.app.ctx, signed_in_actor(self.app))))
        except CollectError as exc:
            self.post_message(self.Loaded(None, self.app.error_text(exc)))

    def on_disputes_screen_loaded(self, message: Loaded) -> None:
        t = self.app.t
        if message.error or message.views is None:
            self.notify(t("app.error", msg=message.error), severity="error")
            return
        self.views = message.views
        open_ones = [v for v in self.views if v.status == "open"]
        self.query_one("#dsp-head", Static).update(
            t(
                "dsp.head",
                open=len(open_ones),
                overdue=sum(1 for v in open_ones if v.overdue),
                days=self.app.ctx.policy.integer("disputes.answer_days"),
            )
            if self.views
            else t("dsp.none")
        )
        table = self.query_one("#dsp-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for v in self.views:
            style = "bold red" if v.overdue else ("dim" if v.status != "open" else "")
            due = f"{v.due_on.isoformat()} {t('dsp.overdue')}" if v.overdue else v.due_on.isoformat()
            cells = [
                str(v.id),
                v.customer_id,
                v.name,
                t(f"dsp.reason.{v.reason_code or 'none'}"),
                t(f"dsp.status.{v.status}"),
                due,
                str(v.days_left) if v.status == "open" else "",
            ]
            table.add_row(*[Text(show(c), style=style) for c in cells], key=str(v.id))  # stored text, literal
        if self.views:
            table.move_cursor(row=min(cursor, len(self.views) - 1))

    def selected(self) -> DisputeView | None:
        table = self.query_one("#dsp-table", DataTable)
        if not self.views or table.row_count == 0:
            return None
        return self.views[table.cursor_row]

    def action_resolve(self) -> None:
        view = self.selected()
        if view is None:
            return
        if view.status != "open":
            self.notify(self.app.t("dsp.not_open"), severity="warning")
            return
        self.app.push_screen(ResolveDisputeScreen(view), callback=self._resolved)

    def _resolved(self, result: Resolution | None) -> None:
        if result is not None:
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)


class ResolveDisputeScreen(AppModalScreen[Resolution | None]):
    """Upheld or rejected, how the borrower is told, and the reason; dismissed with the resolution."""

    DEFAULT_CSS = """
    ResolveDisputeScreen { align: center middle; }
    ResolveDisputeScreen #rd-box { width: 76; height: auto; max-height: 100%; }
    ResolveDisputeScreen .rd-row { height: auto; margin: 1 0 0 0; }
    ResolveDisputeScreen .rd-label { width: 12; color: $text-muted; }
    ResolveDisputeScreen RadioSet { layout: horizontal; width: 1fr; }
    ResolveDisputeScreen RadioSet > RadioButton { width: auto; margin: 0 2 0 0; }
    /* the two outcomes, one under the other: side by side they do not fit the box */
    ResolveDisputeScreen #rd-outcome { layout: vertical; }
    ResolveDisputeScreen #rd-reason { height: 4; width: 1fr; }
    ResolveDisputeScreen #rd-buttons { height: auto; margin: 1 0 0 0; }
    ResolveDisputeScreen #rd-buttons Button { margin: 0 2 0 0; }
    ResolveDisputeScreen #message { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "common.cancel"),
        Binding("ctrl+s", "save", "dsp.resolve.save"),
    ]

    def __init__(self, view: DisputeView) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.view = view
        self.saving = False

    def compose(self) -> ComposeResult:
        t = self.app.t
        with VerticalScroll(id="rd-box", classes="dialog"):
            yield Label(t("dsp.resolve.title", id=self.view.id, customer=self.view.customer_id), classes="dialog-title")
            reason = t(f"dsp.reason.{self.view.reason_code or 'none'}")
            due = f"{t('dsp.col.due')} {self.view.due_on.isoformat()}"
            yield Static(show(f"{self.view.name} · {reason} · {due}"), classes="hint", markup=False)
            with Horizontal(classes="rd-row"):
                yield Label(t("dsp.resolve.outcome"), classes="rd-label")
                with RadioSet(id="rd-outcome", compact=True):
                    yield Choice(t("dsp.resolve.upheld"), name="upheld")
                    yield Choice(t("dsp.resolve.rejected"), name="rejected")
            with Horizontal(classes="rd-row"):
                yield Label(t("dsp.resolve.told"), classes="rd-label")
                with RadioSet(id="rd-told", compact=True):
                    yield Choice(t("dsp.resolve.letter"), name="letter", value=True)
                    yield Choice(t("dsp.resolve.sms"), name="sms")
            yield Label(t("dsp.resolve.reason"), classes="rd-row rd-label")
            yield TextArea(id="rd-reason", compact=True, placeholder=t("dsp.resolve.reason_hint"))
            yield Static(t("dsp.resolve.effect"), classes="rd-row hint")
            with Horizontal(id="rd-buttons"):
                yield Button(t("dsp.resolve.save"), id="rd-save", variant="warning", compact=True)
                yield Button(t("common.cancel"), id="rd-cancel", compact=True)
            yield Label("", id="message")

    def on_mount(self) -> None:
        self.query_one("#rd-outcome", RadioSet).focus()

    @on(RadioSet.Changed, "#rd-outcome")
    def _outcome_changed(self) -> None:
        """An upheld dispute is told by letter: the one answer SMS says the debt stands."""
        upheld = self._choice("#rd-outcome") == "upheld"
        for button in self.query("#rd-told RadioButton").results(RadioButton):
            if button.name == "letter" and upheld:
                button.value = True
            if button.name == "sms":
                button.disabled = upheld

    def _choice(self, selector: str) -> str | None:
        pressed = self.query_one(selector, RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    @on(Button.Pressed, "#rd-save")
    def action_save(self) -> None:
        if self.saving:
            return
        t = self.app.t
        outcome = self._choice("#rd-outcome")
        if outcome is None:
            self._error(t("dsp.resolve.need_outcome"))
            return
        reason = self.query_one("#rd-reason", TextArea).text.strip()
        if not reason:
            self._error(t("dsp.resolve.need_reason"))
            self.query_one("#rd-reason", TextArea).focus()
            return
        if len(reason) > MAX_TEXT:
            self._error(t("fb.too_long", n=MAX_TEXT))
            return
        self.saving = True
        self._save(outcome == "upheld", reason, self._choice("#rd-told") or "letter")

    @work(thread=True, exclusive=True, group="dispute-resolve")
    def _save(self, upheld: bool, reason: str, told_by: str) -> None:
        app = self.app
        try:
            result = resolve_dispute(app.ctx, signed_in_actor(app), self.view.id, upheld, reason, told_by=told_by)
        except PermissionDenied:
            app.call_from_thread(self._error, app.t("dsp.resolve.refused"))
            return
        except CollectError as exc:
            app.call_from_thread(self._error, app.t("app.error", msg=app.error_text(exc)))
            return
        app.call_from_thread(self._saved, result)

    def _saved(self, result: Resolution) -> None:
        t = self.app.t
        text = t("dsp.resolved", id=result.id, status=t(f"dsp.status.{result.status}"))
        if result.sms_message_id:
            text += "\n" + t("dsp.resolved_sms", message=result.sms_message_id)
        self.app.notify(text)
        self.dismiss(result)

    def _error(self, text: str) -> None:
        self.saving = False
        label = self.query_one("#message", Label)
        label.update(text)
        label.add_class("error")

    @on(Button.Pressed, "#rd-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
