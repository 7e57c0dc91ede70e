"""The key help: the keys of the screen underneath, in the user's language."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from collectui.tui.base import AppModalScreen, localise_bindings
from collectui.tui.i18n import LANGS, load_catalog


class HelpScreen(AppModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "help.close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        seen = set()
        ours = {pair[LANGS.index(self.app.lang)] for pair in load_catalog().values()}
        for node in (self.under, self.app):
            for _key, binding in node._bindings:
                # Only our own keys: Textual's built-in ones (tab, ctrl+c...) have English-only descriptions.
                if binding.description not in ours or binding.description in seen:
                    continue
                seen.add(binding.description)
                check = node.check_action(binding.action, ())
                if check is False:
                    continue
                table.add_row(binding.key_display or self.app.get_key_display(binding), binding.description)
        extra = getattr(self.under, "HELP_KEY", None)
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Label(self.app.t("help.title"), classes="dialog-title")
            yield Static(table)
            if extra:
                yield Static(self.app.t(extra), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
