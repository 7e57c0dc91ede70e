"""The command palette: the same actions as the keys of the current screen, in the user's language.

Only our own commands are offered: a binding whose description is one of our catalogue's texts. Textual's
built-in bindings (focus next, copy text) and its system commands have English-only names and would show
internal action names such as ``app.focus_next``; moving the cursor is what the arrow keys are for (a palette
entry would move one row and close). Each entry's help line names its key, never the action.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from collectui.tui.i18n import LANGS, load_catalog

# Cursor movement in a table: keys, not commands.
NAVIGATION = ("table('cursor_", "table('page_", "table('first')", "table('last')", "scroll_")


class WorkCommands(Provider):
    def _ours(self) -> set[str]:
        lang = getattr(self.app, "lang", "en")
        index = LANGS.index(lang) if lang in LANGS else 1
        return {pair[index] for pair in load_catalog().values()}

    def _t(self, catalog_key: str, /, **kw: object) -> str:
        t = getattr(self.app, "t", None)
        return t(catalog_key, **kw) if t is not None else catalog_key

    def _actions(self) -> Iterator[tuple[str, str, str]]:
        """(label, action, help) for each command the current screen and the app allow now."""
        screen, app = self.screen, self.app
        ours = self._ours()
        seen: set[str] = set()
        for _key, binding in screen._bindings:
            label, action = binding.description, binding.action
            if label not in ours or label in seen or action.startswith(NAVIGATION):
                continue
            if screen.check_action(action, ()) is False:
                continue
            seen.add(label)
            key = binding.key_display or app.get_key_display(binding)
            yield label, action, self._t("palette.key", shortcut=key)
        for catalog_key, action in getattr(app, "PALETTE_COMMANDS", ()):
            label = self._t(catalog_key)
            if label in seen or not self._app_allows(action.removeprefix("app.")):
                continue
            seen.add(label)
            yield label, action, self._t("palette.everywhere")

    def _app_allows(self, action: str) -> bool:
        app = self.app
        may_quit_from = getattr(app, "may_quit_from", None)
        if action == "quit" and may_quit_from is not None:  # the palette itself is a dialog: ask for the screen
            return bool(may_quit_from(self.screen))
        return app.check_action(action, ()) is not False

    async def discover(self) -> Hits:
        for text, action, help_text in self._actions():
            yield DiscoveryHit(text, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, action, help_text in self._actions():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self.screen.run_action, action), help=help_text)
