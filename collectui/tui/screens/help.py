"""The key help: the keys of the screen underneath, in the user's language.

Each key and each description is listed once: a screen's binding that repeats one of the app's (Help, Quit)
is not shown twice, nor are the alternative keys of one move (↑↓jk is one row). The note under the table
says where q does not quit, so the rule is never a surprise.
"""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Label, Static

from collectui.tui.base import AppModalScreen, localise_bindings
from collectui.tui.i18n import LANGS, load_catalog


class HelpScreen(AppModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "help.close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.under = under

    def rows(self) -> list[tuple[str, str]]:
        """(key, description) of every key the screen underneath offers now, each once."""
        ours = {pair[LANGS.index(self.app.lang)] for pair in load_catalog().values()}
        seen_text: set[str] = set()
        seen_keys: set[str] = set()
        rows: list[tuple[str, str]] = []
        # The app's own keys only: Textual's App adds ctrl+q "Quit", whose English text is also ours.
        app_keys = {getattr(b, "key", None) for b in type(self.app).BINDINGS}
        nodes: tuple[DOMNode, ...] = (self.under, self.app)
        for node in nodes:
            for _key, binding in node._bindings:
                if node is self.app and binding.key not in app_keys:
                    continue
                # Only our own keys: Textual's built-in ones (tab, ctrl+c...) have English-only descriptions.
                if binding.description not in ours or binding.description in seen_text:
                    continue
                key = binding.key_display or self.app.get_key_display(binding)
                if key in seen_keys or not self._allowed(node, binding.action):
                    continue
                seen_text.add(binding.description)
                seen_keys.add(key)
                rows.append((key, binding.description))
        return rows

    def _allowed(self, node: DOMNode, action: str) -> bool:
        if node is self.app and action == "quit":  # asked for the screen underneath, not this dialog
            return bool(self.app.may_quit_from(self.under))
        return node.check_action(action, ()) is not False

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key, description in self.rows():
            table.add_row(key, description)
        extra = getattr(self.under, "HELP_KEY", None)
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Label(self.app.t("help.title"), classes="dialog-title")
            yield Static(table)
            if extra:
                yield Static(self.app.t(extra), classes="hint")
            yield Static(self.app.t("help.quit_note"), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
