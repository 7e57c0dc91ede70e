"""Switching the running app between Chinese and English (ctrl+l, or "Language" in the command palette).

Every open screen takes the new language at once: the keys (footer, help, palette) are translated again from
their catalogue keys, and each screen is composed again and shown as when it was first opened (its
``on_mount``: titles, table columns, a reload of its data), keeping its own state (the filter, the customer,
the loaded figures). A screen that does this better itself defines ``async relocalise()`` (the work list keeps
its cursor). A screen whose ``on_mount`` starts or stores something (a call, a practice call, its score, the
quiz) would do it twice, and an open dialog would lose what was typed: while one is open the switch is refused
with a message, as ``q`` is. Nothing is written to disk: the language of the next start comes from
``--lang``, ``COLLECTUI_LANG`` or the locale, as before.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from collectui.tui.base import localise_bindings
from collectui.tui.i18n import LANGS, Translator, load_catalog

if TYPE_CHECKING:
    from collectui.tui.app import CollectApp

# Full screens whose on_mount starts or stores something: the switch waits until they are closed.
BUSY_SCREENS = frozenset({"CallScreen", "PracticeScreen", "QuizScreen", "ScoreScreen"})


def other_language(lang: str) -> str:
    return LANGS[(LANGS.index(lang) + 1) % len(LANGS)]


def blocking_screen(app: CollectApp) -> Screen[object] | None:
    """The open dialog or busy screen that stops a switch now, if any."""
    for screen in app.screen_stack:
        if isinstance(screen, ModalScreen) or type(screen).__name__ in BUSY_SCREENS:
            return screen
    return None


def relocalise_bindings(node: DOMNode, app: CollectApp) -> None:
    """The node's keys from its class's catalogue keys again, in the app's language now."""
    merged = type(node)._merged_bindings
    if merged is None:
        return
    catalog = load_catalog()
    if not any(b.description in catalog for _key, b in merged):
        return  # a Textual widget's own English keys: never translated, nothing to redo
    node._bindings = merged.copy()
    localise_bindings(node, app)


async def relocalise_screen(screen: Screen[object], app: CollectApp) -> None:
    for node in (screen, *screen.query("*")):
        relocalise_bindings(node, app)
    hook = getattr(screen, "relocalise", None)
    if hook is not None:
        await hook()
    else:
        await screen.recompose()
        for node in screen.query("*"):  # the widgets composed again: their keys in the new language too
            relocalise_bindings(node, app)
        mount = getattr(screen, "on_mount", None)
        if mount is not None:
            result = mount()
            if inspect.isawaitable(result):
                await result
    screen.refresh_bindings()


async def switch_language(app: CollectApp, lang: str) -> None:
    """Show ``lang`` on every open screen now (the caller has checked ``blocking_screen``)."""
    app.lang = lang
    app._t = Translator(lang)
    relocalise_bindings(app, app)
    app.title = app.t("app.title")
    if app.user is not None:
        app.sub_title = app.user_line(app.user)
    for screen in list(app.screen_stack):
        if screen.id == "_default":
            continue  # Textual's empty default screen under everything
        await relocalise_screen(screen, app)
    app.refresh_bindings()
