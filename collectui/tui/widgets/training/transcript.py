"""The practice call's transcript: each line's speaker in a column of its own, the words wrapping beside it.

Laid out by Textual rather than as one text: a line of Chinese has no space to break at, and wrapped inside
a single text it would continue under the speaker's name.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from collectui.domain.textsafe import show

Line = tuple[str, str, bool]  # (speaker, words, said by the trainee)


class Transcript(Vertical):
    DEFAULT_CSS = """
    Transcript { height: auto; }
    Transcript .tr-row { height: auto; }
    Transcript .tr-who { width: auto; min-width: 4; padding: 0 1 0 0; text-style: bold; }
    Transcript .tr-who.mine { color: $success; }
    Transcript .tr-words { width: 1fr; height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: list[Line] = []

    def show_lines(self, lines: Sequence[Line]) -> None:
        """Replace what is shown by ``lines``."""
        self.lines = list(lines)
        self.remove_children()
        rows = [
            Horizontal(
                Static(Text(f"{who}:"), classes="tr-who mine" if mine else "tr-who"),
                Static(Text(show(words)), classes="tr-words"),
                classes="tr-row",
            )
            for who, words, mine in self.lines
        ]
        if rows:
            self.mount_all(rows)

    def plain(self) -> str:
        """The lines as text, one per line (for tests and for reading aloud)."""
        return "\n".join(f"{who}: {words}" for who, words, _mine in self.lines)
