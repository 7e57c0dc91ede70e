"""Unfinished calls: calls the signed-in person started (the full number was shown) and never recorded.

The app shows this screen after sign-in when there are any, and the command palette opens it at any time.
Each call can be recorded properly (the call form on that started attempt: ``log_call`` accepts the
person's own abandoned or cancelled attempt) or cancelled (``cancel_call``: it then counts as an unanswered
attempt, which an abandoned one already does). The services decide; this screen lists and asks.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Header, Static

from collectui.domain.calls.record import CancelResult, UnfinishedCall, cancel_call, unfinished_calls
from collectui.domain.calls.targets import call_targets
from collectui.domain.errors import CollectError
from collectui.domain.textsafe import show
from collectui.tui.base import AppScreen, localise_bindings, signed_in_actor
from collectui.tui.widgets.call.picker import who_and_number


class UnfinishedCallsScreen(AppScreen[None]):
    DEFAULT_CSS = """
    UnfinishedCallsScreen #unf-body { padding: 0 1; }
    UnfinishedCallsScreen #unf-head { color: $text-muted; margin: 0 0 1 0; }
    UnfinishedCallsScreen #unf-table { height: auto; max-height: 70%; }
    UnfinishedCallsScreen #unf-buttons { height: auto; margin: 1 0 0 0; }
    UnfinishedCallsScreen #unf-buttons Button { margin: 0 2 0 0; }
    """

    BINDINGS = [
        Binding("r", "record", "unf.key.record"),
        Binding("x", "cancel_call", "unf.key.cancel"),
        Binding("escape", "close", "unf.key.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.calls: list[UnfinishedCall] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        with Vertical(id="unf-body"):
            yield Static(t("unf.head"), id="unf-head")
            yield DataTable(id="unf-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="unf-buttons"):
                yield Button(t("unf.record"), id="unf-record", variant="primary", compact=True)
                yield Button(t("unf.cancel"), id="unf-cancel", variant="error", compact=True)
                yield Button(t("unf.close"), id="unf-close", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        t = self.app.t
        self.title = t("unf.title")
        table = self.query_one("#unf-table", DataTable)
        for key in ("call", "customer", "who", "started", "state"):
            table.add_column(t(f"unf.col.{key}"), key=key)
        table.focus()
        self.reload()

    # --- the list ----------------------------------------------------------------------------------------
    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="unfinished")
    def _load(self) -> None:
        app = self.app
        try:
            calls = unfinished_calls(app.ctx, signed_in_actor(app))
        except CollectError as exc:
            app.call_from_thread(self.notify, app.t("app.error", msg=app.error_text(exc)), severity="error")
            return
        app.call_from_thread(self._show, calls, self._whom(calls))

    def _whom(self, calls: list[UnfinishedCall]) -> dict[tuple[str, str], str]:
        """Whom each call went to, as the call screen's picker says it (masked), by (customer, contact)."""
        whom: dict[tuple[str, str], str] = {}
        for customer_id in sorted({c.customer_id for c in calls}):
            try:
                targets = call_targets(self.app.ctx, customer_id).targets
            except CollectError:
                continue  # shown by its contact id
            whom.update({(customer_id, x.value): who_and_number(x, self.app.t) for x in targets})
        return whom

    def _show(self, calls: list[UnfinishedCall], whom: dict[tuple[str, str], str]) -> None:
        t = self.app.t
        self.calls = list(calls)
        table = self.query_one("#unf-table", DataTable)
        table.clear()
        tz = self.app.ctx.policy.tz
        for call in self.calls:
            who = whom.get((call.customer_id, call.contact), show(call.contact))
            table.add_row(
                str(call.call_id),
                f"{show(call.customer_id)} {show(call.name_masked)}",
                who,
                call.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                t(f"unf.state.{call.state}"),
                key=str(call.call_id),
            )
        empty = not self.calls
        self.query_one("#unf-head", Static).update(t("unf.none") if empty else t("unf.head"))
        self.query_one("#unf-record", Button).disabled = empty
        self.query_one("#unf-cancel", Button).disabled = empty
        if empty:
            self.query_one("#unf-close", Button).focus()

    def selected(self) -> UnfinishedCall | None:
        row = self.query_one("#unf-table", DataTable).cursor_row
        return self.calls[row] if self.calls and 0 <= row < len(self.calls) else None

    # --- record, cancel, close ---------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#unf-table")
    @on(Button.Pressed, "#unf-record")
    def action_record(self) -> None:
        call = self.selected()
        if call is None or self.busy:
            return
        from collectui.tui.screens.call import CallScreen

        self.app.push_screen(CallScreen(call.customer_id, resume=call), callback=lambda _: self.reload())

    @on(Button.Pressed, "#unf-cancel")
    def action_cancel_call(self) -> None:
        call = self.selected()
        if call is None or self.busy or call.state == "cancelled":
            return
        self.busy = True
        self._cancel(call.call_id)

    @work(thread=True, exclusive=True, group="unfinished-cancel")
    def _cancel(self, call_id: int) -> None:
        app = self.app
        try:
            result = cancel_call(app.ctx, signed_in_actor(app), call_id, source="tui")
        except CollectError as exc:
            app.call_from_thread(self._cancelled, None, app.error_text(exc))
            return
        app.call_from_thread(self._cancelled, result, None)

    def _cancelled(self, result: CancelResult | None, error: str | None) -> None:
        t = self.app.t
        self.busy = False
        if result is None:
            self.notify(t("app.error", msg=error), severity="error")
        else:
            key = "call.cancelled.counted" if result.counted else "call.cancelled.free"
            self.notify(t(key, id=result.call_id), severity="warning" if result.counted else "information")
        self.reload()

    @on(Button.Pressed, "#unf-close")
    def action_close(self) -> None:
        self.dismiss(None)
