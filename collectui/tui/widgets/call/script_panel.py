"""The call screen's side panel: the talk script (话术) for the call's situation so far.

The screen hands it the scripts in force, the situations ``conduct.scripts.choose`` picked (the current one
first), the call's facts and the language; the panel only lays them out: the current situation in full, the
ones that follow after it, placeholders filled (``render``). It never decides what to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from collectui.domain.conduct.scripts import Scripts, render
from collectui.domain.textsafe import show

Translate = Callable[..., str]

WIDE = 120  # narrower terminals get the panel collapsed: the form keeps the whole width


class ScriptPanel(VerticalScroll):
    """Collapsed with the class ``collapsed``; ``show_script`` / ``show_message`` fill it."""

    DEFAULT_CSS = """
    ScriptPanel { width: 2fr; max-width: 72; height: 1fr; border-left: vkey $primary; padding: 0 1; }
    ScriptPanel.collapsed { display: none; }
    ScriptPanel #script-head { text-style: bold; color: $primary; }
    ScriptPanel #script-hint { color: $text-muted; }
    ScriptPanel #script-body { margin: 1 0 0 0; height: auto; }
    """

    def __init__(self, t: Translate, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = t
        self.can_focus = False  # Tab moves through the form; the panel is read, not used
        self.plain = ""  # what the panel shows, as plain text (for the tests and for copying)

    def compose(self) -> ComposeResult:
        yield Static(self.t("script.title"), id="script-head")
        yield Static(self.t("script.hint"), id="script-hint")
        yield Static(self.t("script.loading"), id="script-body")

    def show_message(self, message: str) -> None:
        self.plain = message
        self.query_one("#script-body", Static).update(Text(message))

    def show_script(
        self,
        scripts: Scripts,
        situations: list[str],
        lang: str,
        first_contact: bool,
        values: Mapping[str, str],
        notes: list[str],
    ) -> None:
        """``situations`` as chosen (the current one first); ``notes``: facts worth a glance (vulnerable...);
        ``first_contact``: add the opening's lines for a cycle's first call."""
        t = self.t
        if not situations:
            self.show_message(t("script.unanswered"))
            return
        parts: list[RenderableType] = [Text(f"! {note}", style="bold") for note in notes]
        plain = [f"! {note}" for note in notes]
        for i, sid in enumerate(situations):
            title = f"{t('script.now') if i == 0 else t('script.then')} · {show(scripts.title(sid, lang))}"
            parts += [Text(""), Text(title, style="bold reverse" if i == 0 else "bold")]
            plain.append(title)
            # A grid, so a wrapped line hangs under its text (Chinese has no spaces to wrap at after "1.").
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column(ratio=1, overflow="fold")
            lines = render(scripts.lines(sid, lang, first_contact=first_contact and sid == "opening"), values)
            for n, line in enumerate(lines, start=1):
                grid.add_row(f"{n}.", Text(show(line)))
                plain.append(f"{n}. {show(line)}")
            parts.append(grid)
        self.plain = "\n".join(plain)
        self.query_one("#script-body", Static).update(Group(*parts))
        self.scroll_home(animate=False)
