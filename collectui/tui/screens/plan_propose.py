"""The plan proposal dialog: one instalment a line (DATE:AMOUNT), optionally the call it was agreed on.

The service checks everything (count, amounts, dates, the overdue and outstanding bounds) and names the
instalment each problem is about; the dialog shows those problems as they come, one a line.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, TextArea

from collectui.domain.cases import plans as plans_svc
from collectui.domain.errors import CollectError, InvalidInput
from collectui.money import fmt_fen_grouped
from collectui.tui.base import AppModalScreen, localise_bindings, signed_in_actor


class PlanProposeScreen(AppModalScreen[str | None]):
    """Dismissed with the message to show (the plan saved), or None when cancelled."""

    DEFAULT_CSS = """
    PlanProposeScreen { align: center middle; }
    PlanProposeScreen #plan-lines { height: 8; }
    PlanProposeScreen #plan-propose-box { width: 80%; max-width: 90; }
    PlanProposeScreen #pp-help, PlanProposeScreen #message { width: 100%; }
    """

    BINDINGS = [Binding("escape", "cancel", "common.cancel"), Binding("ctrl+s", "submit", "pp.submit")]

    def __init__(self, customer_id: str, call_id: int | None = None) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id, self.call_id = customer_id, call_id

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="plan-propose-box", classes="dialog"):
            yield Label(t("pp.title", customer=self.customer_id), classes="dialog-title")
            yield Label(t("pp.help"), id="pp-help")
            yield TextArea(id="plan-lines", soft_wrap=False, show_line_numbers=True)
            yield Label(t("pp.call"))
            yield Input(str(self.call_id or ""), id="call", compact=True, restrict=r"[0-9]*", max_length=12)
            yield Button(t("pp.submit"), id="submit", variant="primary", compact=True)
            yield Label("", id="message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#plan-lines", TextArea).focus()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        text = self.query_one("#plan-lines", TextArea).text
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        call_text = self.query_one("#call", Input).value.strip()
        if call_text and not call_text.isdigit():
            self._error(self.app.t("pp.bad_call"))
            return
        self._propose(lines, int(call_text) if call_text else None)

    @work(thread=True, exclusive=True, group="plan-propose")
    def _propose(self, lines: list[str], call_id: int | None) -> None:
        app = self.app
        try:
            result = plans_svc.propose_plan(app.ctx, signed_in_actor(app), self.customer_id, lines, call_id)
        except InvalidInput as exc:
            app.call_from_thread(self._error, "\n".join(app.error_problems(exc)))
            return
        except CollectError as exc:
            app.call_from_thread(self._error, app.error_text(exc))
            return
        key = "pp.active" if result.status == "active" else "pp.proposed"
        app.call_from_thread(self.dismiss, app.t(key, id=result.plan_id, total=fmt_fen_grouped(result.total_fen)))

    def _error(self, text: str) -> None:
        label = self.query_one("#message", Label)
        label.update(text)
        label.add_class("error")

    def action_cancel(self) -> None:
        self.dismiss(None)
