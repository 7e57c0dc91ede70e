"""Helpers for Textual tests: run an async body, and host one screen in a minimal App."""

from __future__ import annotations

import asyncio
import functools

from textual.app import App

from collectui.tui.i18n import Translator


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

    def t(self, key: str, **kw) -> str:
        return self._t(key, **kw)

    def on_mount(self) -> None:
        self.push_screen(self._screen())
