"""The collector's ranked work list: bucket totals, the table, search, filters; keys in the footer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Footer, Header, Static

from collectui.domain.errors import CollectError
from collectui.domain.staff.certification import Uncertified, caller_state
from collectui.domain.worklist import queries as worklist
from collectui.domain.worklist.rows import WorkRow
from collectui.tui.base import localise_bindings
from collectui.tui.screens.roles import ROLE_BINDINGS, RoleActions
from collectui.tui.widgets.worklist.format import bucket_line, row_blocked, row_cells, scope_line
from collectui.tui.widgets.worklist.search import SearchLine
from collectui.tui.widgets.worklist.table import PAGE, WorkTable


class WorkListScreen(RoleActions):
    AUTO_FOCUS = ""  # the screen itself takes the keys; the search box only while searching
    HELP_KEY = "wl.help"
    # The screen holds the focus and every key (the table is not focusable here), so the footer shows the
    # actions first, then navigation, in this order.
    BINDINGS = [
        Binding("slash", "search", "wl.key.search", key_display="/"),
        Binding("f", "filters", "wl.key.filter"),
        Binding("b", "callbacks", "wl.key.callbacks"),
        Binding("enter", "table('select')", "wl.key.open", key_display="⏎"),
        Binding("r", "reload", "wl.key.refresh"),
        *ROLE_BINDINGS,
        # Not in the footer (full at 80 columns): in the help and the command palette.
        Binding("t", "app.training", "key.training", show=False),
        Binding("question_mark", "app.help", "key.help", key_display="?"),
        Binding("q", "app.quit", "wl.key.quit"),
        Binding("ctrl+l", "app.switch_language", "key.language", key_display="^l", priority=True),
        # A hidden key has no description: the shown binding beside it stands for it (↑↓jk, PgUp/Dn,
        # Home/End), so the help lists each action once.
        Binding("down", "table('cursor_down')", "wl.key.move", key_display="↑↓jk"),
        Binding("up,k", "table('cursor_up')", "", show=False),
        Binding("j", "table('cursor_down')", "", show=False),
        Binding("pagedown", "table('page_down')", "wl.key.page", key_display="PgUp/Dn"),
        Binding("pageup", "table('page_up')", "", show=False),
        Binding("end", "table('last')", "wl.key.ends", key_display="Home/End"),
        Binding("home", "table('first')", "", show=False),
    ]

    class Counted(Message):
        def __init__(
            self,
            generation: int,
            total: int,
            summary: list[worklist.BucketCount],
            cursor: int,
            callbacks: int,
            held: int = 0,
        ) -> None:
            super().__init__()
            self.generation, self.total, self.summary, self.cursor = generation, total, summary, cursor
            self.callbacks = callbacks  # callbacks due today in the same scope, whatever the callbacks filter
            self.held = held  # overdue borrowers in scope the list leaves out (not callable now)

    class Certification(Message):
        """What the gate's `certified` rule says to the signed-in person today (None: nothing)."""

        def __init__(self, uncertified: Uncertified | None) -> None:
            super().__init__()
            self.uncertified = uncertified

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Found(Message):
        def __init__(
            self,
            query: str,
            position: int | None,
            matches: int,
            page: tuple[int, int, list[WorkRow]] | None = None,
        ) -> None:
            super().__init__()
            self.query, self.position, self.matches = query, position, matches
            self.page = page  # (table generation, page index, rows) of the hit, read with the position

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        user = self.app.user
        own = user.branch if user and user.role in ("collector", "supervisor") else None
        # A collector's list: their own borrowers first, then the branch's unassigned ones.
        mine_first = user.id if user and user.role == "collector" else None
        self.work_filter = worklist.WorkFilter(branch=own, own_first=mine_first)
        self._generation = 0
        self.as_of: date | None = None
        self.callbacks_due: int | None = None
        self.held = 0

    def compose(self) -> ComposeResult:
        yield Header()
        notice = Static("", id="cert-notice")  # shown only while the signed-in person is not certified
        notice.display = False
        yield notice
        yield Static(self.app.t("wl.refreshing"), id="buckets")
        yield Static("", id="scope")
        yield Static("", id="colhead")
        table = WorkTable(row_cells(self.app), row_blocked, id="table")
        table.can_focus = False
        yield table
        yield SearchLine(self.app.t("wl.search.prompt"), self.app.t("wl.search.placeholder"), id="search")
        yield Footer(compact=True)

    @property
    def table(self) -> WorkTable:
        return self.query_one(WorkTable)

    def on_mount(self) -> None:
        self._start()

    def on_screen_resume(self) -> None:
        # Back from a profile, a call or a dialog: the ranking may have changed; keep the cursor's place.
        if self.table.total:
            self.action_reload()

    async def relocalise(self) -> None:
        """The language was switched (tui/language.py): compose again, read the list again, keep the cursor."""
        cursor = self.table.cursor
        await self.recompose()
        self._generation += 1
        self._start_at(self._generation, cursor)

    def on_work_table_laid_out(self) -> None:
        self._paint_header()  # the header follows the table's columns, whatever changed their width

    def _paint_header(self) -> None:
        self.query_one("#colhead", Static).update(self.table.header_text(self.app.t))
        self.query_one("#scope", Static).update(
            scope_line(self.app, self.work_filter, self.table.total, self.as_of, self.callbacks_due, self.held)
        )

    # --- loading -----------------------------------------------------------------------------------
    def _start(self) -> None:
        self._start_at(self._generation, 0)

    @work(thread=True, exclusive=True, group="worklist")
    def _start_at(self, generation: int, cursor: int) -> None:
        ctx = self.app.ctx
        try:
            if self.app.refresh_on_start:
                from collectui.domain.portfolio.refresh import ensure_current

                ensure_current(ctx)
        except CollectError as exc:
            self.post_message(self.Failed(self.app.error_text(exc)))
        user = self.app.user
        if user is not None:
            try:
                self.post_message(self.Certification(caller_state(ctx, user.id, user.role)))
            except CollectError as exc:
                self.post_message(self.Failed(self.app.error_text(exc)))
        self._count(generation, cursor)

    def _count(self, generation: int, cursor: int) -> None:
        ctx, flt = self.app.ctx, self.work_filter
        try:
            total = worklist.count(ctx, flt)
            summary = worklist.bucket_summary(ctx, flt)
            callbacks = worklist.callbacks_due_count(ctx, replace(flt, callbacks_due=False))
            # The same scope with the borrowers not callable now: the difference is what the list holds back.
            held = 0 if flt.include_blocked else worklist.count(ctx, replace(flt, include_blocked=True)) - total
        except CollectError as exc:
            self.post_message(self.Failed(self.app.error_text(exc)))
            return
        self.post_message(self.Counted(generation, total, summary, cursor, callbacks, held))

    @work(thread=True, exclusive=True, group="worklist")
    def _recount(self, generation: int, cursor: int) -> None:
        self._count(generation, cursor)

    def on_work_list_screen_counted(self, message: Counted) -> None:
        if message.generation != self._generation:
            return
        self.as_of = self.app.ctx.clock.today()
        self.callbacks_due = message.callbacks
        self.held = message.held
        self.query_one("#buckets", Static).update(bucket_line(self.app, message.summary))
        fetch = partial(worklist.fetch_page, self.app.ctx, self.work_filter)
        self.table.reset(message.total, fetch, message.cursor)
        self._paint_header()
        if not message.total:
            self.notify(self.app.t("wl.empty_callbacks" if self.work_filter.callbacks_due else "wl.empty"))

    def on_work_list_screen_certification(self, message: Certification) -> None:
        notice = self.query_one("#cert-notice", Static)
        found = message.uncertified
        if found is None:
            notice.display = False
            return
        if found.expired_on is not None:
            notice.update(self.app.t("wl.cert_expired", day=found.expired_on.isoformat()))
        else:
            notice.update(self.app.t("wl.uncertified"))
        notice.display = True

    def on_work_list_screen_failed(self, message: Failed) -> None:
        self.notify(self.app.t("app.error", msg=message.text), severity="error")

    def set_filter(self, flt: worklist.WorkFilter) -> None:
        self.work_filter = flt
        self._generation += 1
        self.query_one("#buckets", Static).update(self.app.t("wl.loading"))
        self._recount(self._generation, 0)

    # --- actions -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        decided = self.role_check(action)
        return True if decided is None else decided

    def selected_customer_id(self) -> str | None:
        row = self.table.current_row
        return row.customer_id if row is not None else None

    def action_reload(self) -> None:
        self._generation += 1
        self._recount(self._generation, self.table.cursor)

    @on(WorkTable.Selected)
    def _open(self, event: WorkTable.Selected) -> None:
        from collectui.tui.screens.profile import ProfileScreen

        self.app.push_screen(ProfileScreen(event.row.customer_id))

    def action_table(self, action: str) -> None:
        getattr(self.table, f"action_{action}")()

    # Search is typed into the screen itself: no widget takes the focus, so nothing is restyled, re-laid out
    # or recomposed (the footer) while a collector searches; only the one search line repaints.
    def action_search(self) -> None:
        self.query_one(SearchLine).open()

    def on_key(self, event: events.Key) -> None:
        line = self.query_one(SearchLine)
        if not line.active:
            return
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            line.close()
        elif event.key == "enter":
            query = line.close().strip()
            if query:
                self._find(query, self.work_filter, self.table.generation)
        elif event.key == "backspace":
            line.backspace()
        elif event.is_printable and event.character:
            line.type(event.character)

    def on_paste(self, event: events.Paste) -> None:
        line = self.query_one(SearchLine)
        if line.active:
            line.type(" ".join(event.text.split()))

    @work(thread=True, exclusive=True, group="worklist-search")
    def _find(self, query: str, flt: worklist.WorkFilter, generation: int) -> None:
        ctx = self.app.ctx
        try:
            # An exact customer id: its position and its page in one read; anything else the general search.
            hit = worklist.page_containing(ctx, flt, query, PAGE)
            if hit is not None:
                at, rows = hit
                self.post_message(self.Found(query, at, 1, (generation, at // PAGE, rows)))
                return
            matches = worklist.search(ctx, query, flt)
            position = next((m.rank - 1 for m in matches if m.rank > 0), None)
        except CollectError as exc:
            self.post_message(self.Failed(self.app.error_text(exc)))
            return
        self.post_message(self.Found(query, position, len(matches)))

    def on_work_list_screen_found(self, message: Found) -> None:
        t = self.app.t
        if message.page is not None:
            self.table.preload(*message.page)
        if message.position is not None:
            self.table.cursor = message.position  # the highlighted row is the answer; no toast needed
        elif message.matches:
            self.notify(t("wl.search.elsewhere", n=message.matches), severity="warning")
        else:
            self.notify(t("wl.search.none", q=message.query), severity="warning")

    def action_filters(self) -> None:
        from collectui.tui.screens.filters import FilterScreen

        self.app.push_screen(FilterScreen(self.work_filter), callback=self._filtered)

    def action_callbacks(self) -> None:
        """Only the borrowers with a callback due today (or missed), or everyone again."""
        self.set_filter(replace(self.work_filter, callbacks_due=not self.work_filter.callbacks_due))

    def _filtered(self, flt: worklist.WorkFilter | None) -> None:
        if flt is not None and flt != self.work_filter:
            self.set_filter(flt)
