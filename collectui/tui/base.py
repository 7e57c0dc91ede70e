"""What every screen shares: a typed way to reach the app, and translated key descriptions.

Screens derive from ``AppScreen`` (or ``AppModalScreen`` for dialogs), whose ``app`` is typed as
``CollectApp``, so ``self.app.ctx``, ``self.app.t`` and ``self.app.user`` are checked by mypy. It is declared
the way Textual declares ``MessagePump.app`` (``getters.app`` under ``TYPE_CHECKING``), so the override is
sound for mypy; at run time ``app`` stays Textual's own property. Textual's run-time ``getters.app`` is not
used: it would import ``tui.app`` (which imports the screens) and assert the app's class, and tests host a
screen in a small app that only has ``ctx``, ``user`` and ``t``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual import getters
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from collectui.domain.errors import CollectError
from collectui.domain.staff.actor import Actor, actor_for_user

if TYPE_CHECKING:
    from collectui.domain.staff.users import UserView
    from collectui.tui.app import CollectApp

ResultT = TypeVar("ResultT")
AnswerT = TypeVar("AnswerT")


class AppScreen(Screen[ResultT]):
    """A full screen of ``CollectApp``, dismissed with a ``ResultT``."""

    if TYPE_CHECKING:
        app = getters.app(CollectApp)


class AppModalScreen(ModalScreen[ResultT]):
    """A dialog of ``CollectApp`` over the screen underneath, dismissed with a ``ResultT``."""

    if TYPE_CHECKING:
        app = getters.app(CollectApp)


def signed_in(app: CollectApp) -> UserView:
    """The signed-in user, for the screens that the app shows only after sign-in."""
    if app.user is None:
        raise RuntimeError("this screen is shown only after sign-in")
    return app.user


def signed_in_actor(app: CollectApp) -> Actor:
    """The signed-in user as the services' ``Actor`` (a TUI sign-in is a session of this process)."""
    return actor_for_user(signed_in(app))


def answer_on_ui(
    app: CollectApp, done: Callable[[AnswerT | None, str | None], None], ask: Callable[[], AnswerT]
) -> None:
    """In a worker thread: run ``ask``, then hand its answer (or a service error's text) to ``done`` on the
    UI thread, so a screen's handler never runs off the event loop."""
    try:
        result = ask()
    except CollectError as exc:
        app.call_from_thread(done, None, app.error_text(exc))
        return
    app.call_from_thread(done, result, None)


def localise_bindings(node: DOMNode, app: CollectApp) -> None:
    """Class BINDINGS hold catalog keys as descriptions; replace them with the user's language."""
    t = getattr(app, "t", None)  # an app without a translator keeps the keys
    if t is None:
        return
    keys: dict[str, list[Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        keys[key] = [dataclasses.replace(b, description=t(b.description)) if b.description else b for b in bindings]
    node._bindings = BindingsMap.from_keys(keys)
