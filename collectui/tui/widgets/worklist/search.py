"""The work list's search line: one row that shows what is typed while the screen is in search mode.

It never takes the focus (the screen feeds it keys), so opening and closing a search repaints one line
instead of restyling the screen, recomposing the footer and re-laying out the table.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

MAX_QUERY = 64


class SearchLine(Widget):
    DEFAULT_CSS = """
    SearchLine { height: 1; padding: 0 1; }
    """
    can_focus = False

    def __init__(self, prompt: str, hint: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.prompt, self.hint = prompt, hint
        self.active = False
        self.query_text = ""

    def open(self) -> None:
        self.active, self.query_text = True, ""
        self.refresh()

    def close(self) -> str:
        """Leave search mode; returns what was typed."""
        typed, self.active, self.query_text = self.query_text, False, ""
        self.refresh()
        return typed

    def type(self, text: str) -> None:
        self.query_text = (self.query_text + text)[:MAX_QUERY]
        self.refresh()

    def backspace(self) -> None:
        self.query_text = self.query_text[:-1]
        self.refresh()

    def render(self) -> Text:
        if not self.active:
            return Text(f"/ {self.prompt}", style="dim")
        line = Text(f"{self.prompt}: ", style="bold")
        line.append(self.query_text)
        line.append("▏", style="blink")
        if not self.query_text:
            line.append(f"  {self.hint}", style="dim")
        return line
