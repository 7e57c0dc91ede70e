"""Payment plans: the branch's plans (or one borrower's), their instalments, and a supervisor's decision.

Opened from the command palette (every plan of the branch) or from the profile (key p: that borrower's,
where a collector proposes a new one). Supervisors approve, reject or cancel; the service refuses a plan's
proposer approving it (maker-checker), and the screen shows that refusal as it comes.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static

from collectui.domain.cases import plans as plans_svc
from collectui.domain.cases.plan_views import PlanView, list_plans
from collectui.domain.errors import CollectError
from collectui.domain.staff.permissions import may
from collectui.money import fmt_fen_grouped
from collectui.tui.base import AppModalScreen, AppScreen, localise_bindings, signed_in_actor

DECISIONS = ("approve", "reject", "cancel")


class PlansScreen(AppScreen[None]):
    DEFAULT_CSS = """
    PlansScreen #plans-head { text-style: bold; padding: 0 1; }
    PlansScreen #plans-table { height: 1fr; }
    PlansScreen #plans-detail { height: auto; max-height: 12; padding: 0 1; border-top: solid $primary; }
    """

    BINDINGS = [
        Binding("escape", "back", "plans.key.back"),
        Binding("r", "reload", "plans.key.reload"),
        Binding("p", "propose", "plans.key.propose"),
        Binding("a", "decide('approve')", "plans.key.approve"),
        Binding("x", "decide('reject')", "plans.key.reject"),
        Binding("c", "decide('cancel')", "plans.key.cancel"),
    ]

    class Loaded(Message):
        def __init__(self, plans: list[PlanView], error: str | None = None) -> None:
            super().__init__()
            self.plans, self.error = plans, error

    def __init__(self, customer_id: str | None = None) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id
        self.plans: dict[str, PlanView] = {}
        self.loaded = False  # the first list has come in

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("", id="plans-head")
            yield DataTable(id="plans-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="plans-detail", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        t = self.app.t
        self.title = t("plans.title_for", customer=self.customer_id) if self.customer_id else t("plans.title")
        self.query_one("#plans-table", DataTable).add_columns(
            *(
                t(f"plans.col.{c}")
                for c in ("id", "customer", "name", "status", "instalments", "total", "paid", "next", "by")
            )
        )
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            return may(signed_in_actor(self.app), "plan.decide")
        if action == "propose":
            return self.customer_id is not None
        return True

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="plans")
    def _load(self) -> None:
        try:
            found = list_plans(self.app.ctx, signed_in_actor(self.app), customer_id=self.customer_id)
        except CollectError as exc:
            self.post_message(self.Loaded([], self.app.error_text(exc)))
            return
        self.post_message(self.Loaded(found))

    def on_plans_screen_loaded(self, message: Loaded) -> None:
        t = self.app.t
        if message.error:
            self.notify(t("app.error", msg=message.error), severity="error")
            return
        self.plans = {str(p.id): p for p in message.plans}
        self.loaded = True
        waiting = sum(1 for p in message.plans if p.status == "proposed")
        head = t("plans.count", n=len(message.plans), waiting=waiting) if message.plans else t("plans.none")
        self.query_one("#plans-head", Static).update(head)
        table = self.query_one("#plans-table", DataTable)
        table.clear()
        for p in message.plans:
            nxt = p.next_open
            table.add_row(
                str(p.id),
                p.customer_id,
                p.name,
                t(f"plans.status.{p.shown_status}"),
                str(len(p.instalments)),
                fmt_fen_grouped(p.total_fen),
                fmt_fen_grouped(p.paid_fen),
                f"{nxt.due_date} {fmt_fen_grouped(nxt.amount_fen)}" if nxt else "",
                p.proposed_by or "",
                key=str(p.id),
            )
        self._show_detail()

    def _selected(self) -> PlanView | None:
        table = self.query_one("#plans-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.plans.get(key or "")

    @on(DataTable.RowHighlighted, "#plans-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        t = self.app.t
        plan = self._selected()
        if plan is None:
            self.query_one("#plans-detail", Static).update("")
            return
        decided = ""
        if plan.decided_by:
            decided = t("plans.decided", who=plan.decided_by, reason=plan.decision_reason or "-")
        lines = [
            t(
                "plans.detail",
                id=plan.id,
                status=t(f"plans.status.{plan.shown_status}"),
                by=plan.proposed_by or "-",
                on=plan.proposed_at.date().isoformat(),
                decided=decided,
            )
        ]
        for i in plan.instalments:
            lines.append(
                t(
                    "plans.inst_line",
                    seq=i.seq,
                    date=i.due_date.isoformat(),
                    amount=fmt_fen_grouped(i.amount_fen),
                    status=t(f"plans.inst.{i.status}"),
                    paid=fmt_fen_grouped(i.paid_fen),
                )
            )
        self.query_one("#plans-detail", Static).update("\n".join(lines))

    def action_propose(self) -> None:
        from collectui.tui.screens.plan_propose import PlanProposeScreen

        if self.customer_id is None:
            self.notify(self.app.t("plans.no_customer"), severity="warning")
            return
        self.app.push_screen(PlanProposeScreen(self.customer_id), callback=self._after)

    def action_decide(self, decision: str) -> None:
        plan = self._selected()
        if plan is None:
            self.notify(self.app.t("plans.pick"), severity="warning")
            return
        self.app.push_screen(PlanDecisionScreen(plan.id, decision), callback=self._after)

    def _after(self, message: str | None) -> None:
        if message:
            self.notify(message)
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)


class PlanDecisionScreen(AppModalScreen[str | None]):
    """Approve, reject or cancel one plan, with an optional reason; dismissed with the message to show."""

    DEFAULT_CSS = """
    PlanDecisionScreen { align: center middle; }
    PlanDecisionScreen #message { width: 100%; }
    """

    BINDINGS = [Binding("escape", "cancel", "common.cancel")]

    def __init__(self, plan_id: int, decision: str) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        if decision not in DECISIONS:
            raise ValueError(decision)
        self.plan_id, self.decision = plan_id, decision

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="plan-decide-box", classes="dialog"):
            yield Label(t(f"plans.decide.title.{self.decision}", id=self.plan_id), classes="dialog-title")
            yield Label(t("plans.decide.reason"))
            yield Input(id="reason", compact=True)
            yield Button(t("plans.decide.submit"), id="submit", variant="warning", compact=True)
            yield Label("", id="message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#submit")
    def _go(self) -> None:
        self._decide(self.query_one("#reason", Input).value)

    @work(thread=True, exclusive=True, group="plan-decide")
    def _decide(self, reason: str) -> None:
        app = self.app
        fn = {"approve": plans_svc.approve_plan, "reject": plans_svc.reject_plan, "cancel": plans_svc.cancel_plan}
        try:
            fn[self.decision](app.ctx, signed_in_actor(app), self.plan_id, reason or None)
        except CollectError as exc:
            app.call_from_thread(self._error, app.error_text(exc))
            return
        app.call_from_thread(self.dismiss, app.t(f"plans.done.{self.decision}", id=self.plan_id))

    def _error(self, text: str) -> None:
        label = self.query_one("#message", Label)
        label.update(text)
        label.add_class("error")

    def action_cancel(self) -> None:
        self.dismiss(None)
