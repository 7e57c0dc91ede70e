"""Supervisors: today's attempts the call gate refused, counted per rule, and the attempts themselves."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from collectui.domain.calls.refusals import RefusalSummary, refusals_on
from collectui.domain.errors import CollectError
from collectui.domain.staff.users import UNMASK_ROLES
from collectui.tui.base import AppScreen, localise_bindings, signed_in_actor
from collectui.tui.wording import listed


class RefusalsScreen(AppScreen[None]):
    DEFAULT_CSS = """
    RefusalsScreen #ref-per-rule { height: auto; max-height: 14; }
    RefusalsScreen #ref-head { text-style: bold; padding: 0 1; }
    """

    BINDINGS = [
        Binding("escape", "back", "call.key.back"),
        Binding("r", "reload", "refusals.key.reload"),
    ]

    class Loaded(Message):
        def __init__(self, summary: RefusalSummary | None, error: str | None = None) -> None:
            super().__init__()
            self.summary, self.error = summary, error

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("", id="ref-head")
            yield DataTable(id="ref-per-rule", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="ref-attempts", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        t = self.app.t
        self.title = t("refusals.title")
        user = self.app.user
        if user is None or user.role not in UNMASK_ROLES:
            self.notify(t("app.role_only"), severity="warning")
            self.dismiss(None)
            return
        self.query_one("#ref-per-rule", DataTable).add_columns(
            t("refusals.rule"), t("refusals.code"), t("refusals.count")
        )
        self.query_one("#ref-attempts", DataTable).add_columns(
            t("refusals.time"), t("refusals.customer"), t("refusals.phone"), t("refusals.user"), t("refusals.rules")
        )
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="refusals")
    def _load(self) -> None:
        try:
            self.post_message(self.Loaded(refusals_on(self.app.ctx, signed_in_actor(self.app))))
        except CollectError as exc:
            self.post_message(self.Loaded(None, self.app.error_text(exc)))

    def on_refusals_screen_loaded(self, message: Loaded) -> None:
        t = self.app.t
        summary = message.summary
        if message.error or summary is None:
            self.notify(t("app.error", msg=message.error), severity="error")
            return
        total = summary.total
        self.query_one("#ref-head", Static).update(
            t("refusals.day", day=summary.day.isoformat(), n=total) if total else t("refusals.none")
        )
        per_rule = self.query_one("#ref-per-rule", DataTable)
        per_rule.clear()
        for rule, count in summary.per_rule:
            per_rule.add_row(t(f"rule.{rule}"), rule, str(count), key=rule)
        attempts = self.query_one("#ref-attempts", DataTable)
        attempts.clear()
        for a in summary.attempts:
            attempts.add_row(
                f"{a.at:%H:%M}",
                a.customer_id + (f" / {a.contact_id}" if a.contact_id else ""),
                a.phone_masked,
                a.username,
                listed(t, a.rules),
                key=str(a.id),
            )

    def action_back(self) -> None:
        self.dismiss(None)
