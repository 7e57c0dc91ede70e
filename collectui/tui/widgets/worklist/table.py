"""The work list as a Line-API scroll view: virtual height = row count, only visible pages are fetched.

Never holds the whole list. Rows arrive in pages of ``PAGE`` from a thread worker (the screen supplies
``fetch(offset, limit)``); at most ``MAX_PAGES`` pages stay cached. A generation number drops pages of an
older filter that arrive late.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from collectui.tui.widgets.worklist.columns import COLUMNS, Column, fit, layout

PAGE = 100
MAX_PAGES = 24

Fetch = Callable[[int, int], Sequence[Any]]
# (row, index) -> column key -> text; "<key>.s" an optional narrower text for the column
Cells = Callable[[Any, int], dict[str, str]]


def _cell(cells: dict[str, str], key: str, width: int) -> str:
    """The cell's text, or its narrow form (``<key>.s``) when the text is wider than the column."""
    text = cells.get(key, "")
    if cell_len(text) > width:
        return cells.get(key + ".s") or text
    return text


class WorkTable(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"worktable--cursor", "worktable--blocked", "worktable--loading", "worktable--alt"}
    DEFAULT_CSS = """
    WorkTable { scrollbar-size-vertical: 1; }
    WorkTable > .worktable--cursor { background: $accent 60%; text-style: bold; }
    WorkTable > .worktable--blocked { color: $text-muted; }
    WorkTable > .worktable--loading { color: $text-disabled; }
    WorkTable > .worktable--alt { background: $boost; }
    """
    # Hidden here; the screen shows one footer entry per pair of keys after its own actions.
    BINDINGS = [
        Binding("up,k", "cursor_up", "wl.key.up", show=False),
        Binding("down,j", "cursor_down", "wl.key.down", show=False),
        Binding("pageup", "page_up", "wl.key.pgup", show=False),
        Binding("pagedown", "page_down", "wl.key.pgdn", show=False),
        Binding("home", "first", "wl.key.home", show=False),
        Binding("end", "last", "wl.key.end", show=False),
        Binding("enter", "select", "wl.key.open", show=False),
    ]

    cursor: reactive[int] = reactive(0, init=False, always_update=True)

    class Selected(Message):
        def __init__(self, row: Any) -> None:
            super().__init__()
            self.row = row

    class CursorMoved(Message):
        def __init__(self, index: int, row: Any | None) -> None:
            super().__init__()
            self.index = index
            self.row = row

    class LaidOut(Message):
        """The columns were laid out for a new width (the column header follows them)."""

    class PageLoaded(Message):
        def __init__(self, generation: int, page: int, rows: Sequence[Any]) -> None:
            super().__init__()
            self.generation, self.page, self.rows = generation, page, rows

    def __init__(
        self,
        cells: Cells,
        is_blocked: Callable[[Any], bool] = lambda r: False,
        columns: tuple[Column, ...] = COLUMNS,
        **kw,
    ) -> None:
        super().__init__(**kw)
        self._cells = cells
        self._is_blocked = is_blocked
        self.columns = columns
        self.total = 0
        self.generation = 0
        self._fetch: Fetch | None = None
        self._pages: OrderedDict[int, Sequence[Any]] = OrderedDict()
        self._pending: set[int] = set()
        self._layout: list[tuple[Column, int]] = []
        self._layout_width = -1  # the content width ``_layout`` was made for
        self.loading_rows = False

    # --- data --------------------------------------------------------------------------------------
    def reset(self, total: int, fetch: Fetch, cursor: int = 0) -> None:
        """A new result set (new filter or refresh): forget cached pages, keep the cursor in range."""
        self.generation += 1
        self.total = total
        self._fetch = fetch
        self._pages.clear()
        self._pending.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, total)
        self.cursor = max(0, min(cursor, total - 1))
        self._scroll_cursor_into_view(center=True)
        self._request_visible()
        self.refresh()

    def preload(self, generation: int, page: int, rows: Sequence[Any]) -> None:
        """Take a page read elsewhere (a search hit's page) for this result set."""
        if generation == self.generation:
            self._pending.discard(page)
            self._pages[page] = rows
            self._pages.move_to_end(page)

    def row_at(self, index: int) -> Any | None:
        page = self._pages.get(index // PAGE)
        if page is None:
            return None
        offset = index % PAGE
        return page[offset] if offset < len(page) else None

    @property
    def current_row(self) -> Any | None:
        return self.row_at(self.cursor) if self.total else None

    @property
    def settled(self) -> bool:
        """True when every row on screen is loaded (benchmarks and tests wait on this)."""
        top = int(self.scroll_y)
        bottom = min(self.total, top + self.scrollable_content_region.height)
        return all(p in self._pages for p in range(top // PAGE, (bottom - 1) // PAGE + 1)) if bottom > top else True

    def _request_visible(self) -> None:
        """Load the pages on screen first, then one screen above and below and the last page (End)."""
        if self._fetch is None or not self.total:
            return
        top = int(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        last_row = self.total - 1

        def pages(first: int, last: int) -> list[int]:
            first, last = max(0, first), min(last_row, last)
            return list(range(first // PAGE, last // PAGE + 1)) if first <= last else []

        wanted = pages(top, top + height - 1) + [self.cursor // PAGE]
        ahead = pages(top - height, top + 2 * height) + [last_row // PAGE]
        for page in dict.fromkeys(wanted + ahead):
            if page in self._pages:
                self._pages.move_to_end(page)
            elif page not in self._pending and len(self._pending) < 4:
                self._pending.add(page)
                self._load(self.generation, page, self._fetch)

    @work(thread=True, group="worklist-pages")
    def _load(self, generation: int, page: int, fetch: Fetch) -> None:
        rows = fetch(page * PAGE, PAGE)
        self.post_message(self.PageLoaded(generation, page, rows))

    def on_work_table_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        self._pending.discard(message.page)
        self._pages[message.page] = message.rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        self.refresh()
        self._request_visible()  # prefetch what was held back by the limit on loads in flight
        if self.cursor // PAGE == message.page:
            self.post_message(self.CursorMoved(self.cursor, self.current_row))

    # --- rendering ---------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.total)
        self._relayout(self.scrollable_content_region.width)
        self._request_visible()

    def _relayout(self, width: int) -> None:
        if width == self._layout_width:
            return
        self._layout = layout(width, self.columns)
        self._layout_width = width
        self.post_message(self.LaidOut())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._request_visible()

    def header_text(self, t: Callable[[str], str]) -> str:
        self._relayout(self.scrollable_content_region.width or self.size.width)

        def title(c: Column, w: int) -> str:
            text = t(c.title)
            short = t(c.title + ".s")
            return short if cell_len(text) > w and short != c.title + ".s" else text

        return " ".join(fit(title(c, w), w, c.right) for c, w in self._layout)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        base = self.rich_style
        if index >= self.total:
            return Strip.blank(width, base)
        # The vertical scrollbar takes a column once the rows are counted, without a Resize event: lay the
        # columns out again for the width there is now (a no-op when unchanged), or every row is cut short.
        self._relayout(width)
        row = self.row_at(index)
        if row is None:
            style = base + self.get_component_rich_style("worktable--loading")
            text = fit(f"{index + 1:>4} …", width)
            return Strip([Segment(text, style)], width)
        cells = self._cells(row, index)
        text = " ".join(fit(_cell(cells, c.key, w), w, c.right) for c, w in self._layout)
        style = base
        if self._is_blocked(row):
            style += self.get_component_rich_style("worktable--blocked")
        elif index % 2:
            style += self.get_component_rich_style("worktable--alt")
        if index == self.cursor:
            style += self.get_component_rich_style("worktable--cursor")
        return Strip([Segment(fit(text, width), style)], width)

    # --- cursor ------------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self._request_visible()
        self.refresh()
        self.post_message(self.CursorMoved(new, self.row_at(new)))

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        if center and not (top <= self.cursor < top + height):
            self.scroll_to(y=max(0, self.cursor - height // 2), animate=False, immediate=True)
        elif self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _move(self, to: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, to))

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_page_up(self) -> None:
        self._move(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self._move(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(self.total - 1)

    def action_select(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(row))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < self.total:
            if index == self.cursor and event.chain >= 2:
                self.action_select()
            else:
                self._move(index)
