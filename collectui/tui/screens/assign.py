"""Supervisors: the load per collector, assigning the borrower selected on the work list, balancing.

The services (``domain.cases.assignment``) check the role and the branch, write every loan of the borrower
and the hand-assignment mark (imports then keep it), audit each move and refresh the work list in the same
transaction. Balancing is shown first as a dry run (each collector's borrowers and overdue amount before
and after, and the spread) and written only when confirmed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Header, Label, Static

from collectui.domain.cases.assignment import BalanceResult, CollectorLoad, assign, balance, collector_of, load
from collectui.domain.errors import CollectError
from collectui.domain.staff.users import UNMASK_ROLES
from collectui.domain.textsafe import show
from collectui.money import fmt_fen_grouped
from collectui.tui.base import AppModalScreen, AppScreen, localise_bindings, signed_in_actor

COLUMNS = ("branch", "collector", "active", "borrowers", "listed", "overdue")


class AssignScreen(AppScreen[None]):
    DEFAULT_CSS = """
    AssignScreen #asg-head, AssignScreen #asg-selected { padding: 0 1; height: auto; }
    AssignScreen #asg-head { text-style: bold; }
    AssignScreen #asg-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        # priority: the table has the focus and would take Enter (and the footer would not show it)
        Binding("enter", "assign", "asg.key.assign", key_display="⏎", priority=True),
        Binding("b", "balance", "asg.key.balance"),
        Binding("t", "spread_theirs", "asg.key.from"),
        Binding("r", "reload", "asg.key.reload"),
    ]

    class Loaded(Message):
        def __init__(
            self, loads: list[CollectorLoad] | None, current: str | None = None, error: str | None = None
        ) -> None:
            super().__init__()
            self.loads, self.current, self.error = loads, current, error

    def __init__(self, customer_id: str | None = None) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id
        self.loads: list[CollectorLoad] | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(self.app.t("common.loading"), id="asg-head")
            yield Static("", id="asg-selected")
            yield DataTable(id="asg-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        t = self.app.t
        self.title = t("asg.title")
        user = self.app.user
        if user is None or user.role not in UNMASK_ROLES:
            self.notify(t("app.role_only"), severity="warning")
            self.dismiss(None)
            return
        table = self.query_one("#asg-table", DataTable)
        for key in COLUMNS:
            table.add_column(t(f"asg.col.{key}"), key=key)
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="assign")
    def _load(self) -> None:
        ctx = self.app.ctx
        try:
            loads = load(ctx, signed_in_actor(self.app))
            current = collector_of(ctx, self.customer_id) if self.customer_id else None
        except CollectError as exc:
            self.post_message(self.Loaded(None, error=self.app.error_text(exc)))
            return
        self.post_message(self.Loaded(loads, current))

    def _who(self, username: str | None) -> str:
        return username if username is not None else self.app.t("asg.unassigned")

    def on_assign_screen_loaded(self, message: Loaded) -> None:
        t = self.app.t
        if message.error or message.loads is None:
            self.notify(t("app.error", msg=message.error), severity="error")
            return
        self.loads = message.loads
        collectors = [e for e in self.loads if e.username is not None]
        free = sum(e.borrowers for e in self.loads if e.username is None)
        branches = {e.branch for e in self.loads}
        scope = next(iter(branches)) if len(branches) == 1 else t("asg.all")
        self.query_one("#asg-head", Static).update(t("asg.head", scope=scope, n=len(collectors), free=free))
        self._paint_selected(message.current)
        table = self.query_one("#asg-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for e in self.loads:
            if e.username is None:  # the branch's unassigned borrowers: what balancing spreads
                style, active = ("bold yellow" if e.borrowers else ""), ""
            else:
                style, active = ("" if e.active else "dim"), t("common.yes") if e.active else t("common.no")
            cells = [
                e.branch,
                self._who(e.username),
                active,
                str(e.borrowers),
                str(e.overdue_borrowers),
                fmt_fen_grouped(e.overdue_fen),
            ]
            table.add_row(*[Text(show(c), style=style) for c in cells])
        if self.loads:
            table.move_cursor(row=min(cursor, len(self.loads) - 1))

    def _paint_selected(self, who: str | None) -> None:
        t = self.app.t
        if self.customer_id is None:
            self.query_one("#asg-selected", Static).update(t("asg.no_selection"))
            return
        self.query_one("#asg-selected", Static).update(
            Text(show(t("asg.selected", customer=self.customer_id, who=who or t("asg.nobody"))))
        )

    def highlighted(self) -> CollectorLoad | None:
        table = self.query_one("#asg-table", DataTable)
        if not self.loads or table.row_count == 0:
            return None
        return self.loads[table.cursor_row]

    # --- assigning the selected borrower -----------------------------------------------------------------
    def action_assign(self) -> None:
        target = self.highlighted()
        if self.customer_id is None:
            self.notify(self.app.t("asg.no_selection"), severity="warning")
            return
        if target is None or target.username is None or not target.active:
            self.notify(self.app.t("asg.not_collector"), severity="warning")
            return
        if not self.busy:
            self.busy = True
            self._assign(self.customer_id, target.username)

    @work(thread=True, exclusive=True, group="assign-write")
    def _assign(self, customer_id: str, username: str) -> None:
        app = self.app
        try:
            result = assign(app.ctx, signed_in_actor(app), [customer_id], username)
        except CollectError as exc:
            app.call_from_thread(self._failed, app.error_text(exc))
            return
        key = "asg.assigned" if result.moves else "asg.same"
        app.call_from_thread(self._done, app.t(key, customer=customer_id, who=username))

    # --- balancing ----------------------------------------------------------------------------------------
    def action_balance(self) -> None:
        self._plan(None)

    def action_spread_theirs(self) -> None:
        target = self.highlighted()
        if target is None or target.username is None:
            self.notify(self.app.t("asg.not_collector"), severity="warning")
            return
        self._plan(target.username)

    def _branch(self) -> str | None:
        target = self.highlighted()
        return target.branch if target is not None else None

    def _plan(self, leaving: str | None) -> None:
        branch = self._branch()
        if branch is not None and not self.busy:
            self.busy = True
            self._dry_run(branch, leaving)

    @work(thread=True, exclusive=True, group="assign-write")
    def _dry_run(self, branch: str, leaving: str | None) -> None:
        app = self.app
        try:
            result = balance(app.ctx, signed_in_actor(app), branch, dry_run=True, leaving=leaving)
        except CollectError as exc:
            app.call_from_thread(self._failed, app.error_text(exc))
            return
        app.call_from_thread(self._confirm, result)

    def _confirm(self, result: BalanceResult) -> None:
        self.busy = False
        if not result.moves:
            self.notify(self.app.t("asg.nothing"))
            return
        self.app.push_screen(BalanceScreen(result), callback=self._confirmed)

    def _confirmed(self, result: BalanceResult | None) -> None:
        if result is not None and not self.busy:
            self.busy = True
            self._balance(result.branch, result.leaving)

    @work(thread=True, exclusive=True, group="assign-write")
    def _balance(self, branch: str, leaving: str | None) -> None:
        app = self.app
        try:
            result = balance(app.ctx, signed_in_actor(app), branch, leaving=leaving)
        except CollectError as exc:
            app.call_from_thread(self._failed, app.error_text(exc))
            return
        app.call_from_thread(self._done, app.t("asg.balanced", n=len(result.moves)))

    def _done(self, text: str) -> None:
        self.busy = False
        self.notify(text)
        self.action_reload()

    def _failed(self, text: str) -> None:
        self.busy = False
        self.notify(self.app.t("app.error", msg=text), severity="error")

    def action_back(self) -> None:
        self.dismiss(None)


class BalanceScreen(AppModalScreen[BalanceResult | None]):
    """The dry run of a balance: each collector before and after, the spread; confirm to write it."""

    DEFAULT_CSS = """
    BalanceScreen { align: center middle; }
    BalanceScreen #bal-box { width: 84; height: auto; max-height: 100%; }
    BalanceScreen #bal-table { height: auto; max-height: 14; margin: 1 0 0 0; }
    BalanceScreen #bal-spread { margin: 1 0 0 0; height: auto; }
    BalanceScreen #bal-buttons { height: auto; margin: 1 0 0 0; }
    BalanceScreen #bal-buttons Button { margin: 0 2 0 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "common.cancel")]

    def __init__(self, result: BalanceResult) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.result = result

    def compose(self) -> ComposeResult:
        t, r = self.app.t, self.result
        n = len(r.moves)
        intro = t("asg.confirm.leaving", who=r.leaving, n=n) if r.leaving else t("asg.confirm.unassigned", n=n)
        with VerticalScroll(id="bal-box", classes="dialog"):
            yield Label(show(t("asg.confirm.title", branch=r.branch)), classes="dialog-title", markup=False)
            yield Static(show(intro), markup=False)
            yield DataTable(id="bal-table", cursor_type="none", zebra_stripes=True)
            sb, sa = r.spread_before, r.spread_after
            yield Static(
                t(
                    "asg.confirm.spread",
                    nb=sb.borrowers,
                    na=sa.borrowers,
                    ob=fmt_fen_grouped(sb.overdue_fen),
                    oa=fmt_fen_grouped(sa.overdue_fen),
                ),
                id="bal-spread",
            )
            with Horizontal(id="bal-buttons"):
                yield Button(t("asg.confirm.ok"), id="bal-ok", variant="warning", compact=True)
                yield Button(t("common.cancel"), id="bal-cancel", compact=True)

    def on_mount(self) -> None:
        t, r = self.app.t, self.result
        table = self.query_one("#bal-table", DataTable)
        table.add_columns(
            t("asg.col.collector"),
            t("asg.col.borrowers"),
            t("asg.col.after"),
            t("asg.col.overdue"),
            t("asg.col.after"),
        )
        after = {e.username: e for e in r.after}
        for e in r.before:
            a = after.get(e.username)
            name = e.username if e.username is not None else t("asg.unassigned")
            table.add_row(
                Text(show(name)),
                str(e.borrowers),
                str(a.borrowers if a else 0),
                fmt_fen_grouped(e.overdue_fen),
                fmt_fen_grouped(a.overdue_fen if a else 0),
            )
        self.query_one("#bal-cancel", Button).focus()

    @on(Button.Pressed, "#bal-ok")
    def _ok(self) -> None:
        self.dismiss(self.result)

    @on(Button.Pressed, "#bal-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
