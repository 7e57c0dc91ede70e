"""The command palette: the same actions as the keys of the current screen, in the user's language."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class WorkCommands(Provider):
    def _actions(self) -> Iterator[tuple[str, str]]:
        screen = self.screen
        seen: set[str] = set()
        for _key, binding in screen._bindings:
            if not binding.description or binding.action in seen:
                continue
            if screen.check_action(binding.action, ()) is False:
                continue
            seen.add(binding.action)
            yield binding.description, binding.action
        app = self.app
        for key, action in getattr(app, "PALETTE_COMMANDS", ()):
            if app.check_action(action.removeprefix("app."), ()) is not False:
                yield getattr(app, "t", str)(key), action

    async def discover(self) -> Hits:
        for text, action in self._actions():
            yield DiscoveryHit(text, partial(self.screen.run_action, action), help=action)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, action in self._actions():
            score = max(matcher.match(text), matcher.match(action))
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self.screen.run_action, action), help=action)
