"""Helpers for Textual tests: run an async body, host one screen in a minimal App, wait, sign in."""

from __future__ import annotations

import asyncio
import functools
import time

from textual.app import App

from collectui.tui.i18n import Translator
from tests.support.tui_bank import PASSWORD


def aio(fn):
    """Run an async test body with asyncio (no async pytest plugin is installed)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


class ScreenHost(App[None]):
    """The least an App must offer a feature screen: ``ctx``, ``user`` and ``t``; it shows ``screen()``."""

    def __init__(self, ctx, user, screen, lang: str = "en") -> None:
        super().__init__()
        self.ctx, self.user, self._t, self._screen = ctx, user, Translator(lang), screen
        self.lang = lang

    def t(self, key: str, **kw) -> str:
        return self._t(key, **kw)

    def on_mount(self) -> None:
        self.push_screen(self._screen())


async def wait_for(pilot, check, seconds: float = 30.0) -> None:
    """Poll until ``check()``; generous, because the test machine may be loaded by parallel runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if check():
            return
    raise AssertionError("condition not reached")


async def sign_in(pilot, username: str, password: str = PASSWORD) -> None:
    """Type the password of ``username`` into the CollectApp's sign-in screen (the bank of tui_bank.py)."""
    from collectui.tui.screens.login import LoginScreen

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
    app.screen.query_one("#username").value = username
    app.screen.query_one("#password").focus()
    await pilot.press(*password, "enter")


def work_list_ready(app) -> bool:
    screen = app.screen
    return type(screen).__name__ == "WorkListScreen" and bool(screen.table.total) and screen.table.settled


async def work_list(pilot, username: str):
    """Sign in as ``username`` and wait until the work list has its first page: returns the screen."""
    await sign_in(pilot, username)
    await wait_for(pilot, lambda: work_list_ready(pilot.app))
    return pilot.app.screen
