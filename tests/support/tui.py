"""Helpers for Textual tests: run an async body, host one screen in a minimal App, wait, sign in."""

from __future__ import annotations

import asyncio
import functools
import time

import textual._wait as textual_wait
from textual.app import App
from textual.css.query import NoMatches
from textual.widgets import Button

from collectui.tui.i18n import Translator
from tests.support.tui_bank import PASSWORD

# Pilot waits until the app is idle after every key and every pause(): it sleeps in steps of 20 ms until a
# step used almost no CPU, about 70 ms a key of pure sleeping, most of the wall time of a Pilot test that
# types. Steps of 5 ms with the same idle ratio (5 %) tell the same "idle" sooner. What a test reads after
# a key does not rest on this: Pilot.press also waits until the screen has handled every pending message,
# and work in threads is awaited with wait_for/settled below.
textual_wait.SLEEP_GRANULARITY = 1 / 200
textual_wait.SLEEP_IDLE = textual_wait.SLEEP_GRANULARITY / 20


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

    def error_text(self, exc: BaseException) -> str:  # as collectui.tui.app.CollectApp
        return self._t.error(exc)

    def error_problems(self, exc: BaseException) -> list[str]:
        return self._t.problems(exc)

    def on_mount(self) -> None:
        self.push_screen(self._screen())


async def wait_for(pilot, check, seconds: float = 30.0) -> None:
    """Poll until ``check()``; generous, because the test machine may be loaded by parallel runs. A widget
    ``check`` queries that is not mounted yet (a screen pushed but not composed: NoMatches) is "not yet"."""
    deadline = time.monotonic() + seconds
    missing: NoMatches | None = None
    while time.monotonic() < deadline:
        # Every 20 ms. Looking at once (after pause(0)) and then sooner was tried: it saved ~15 ms a wait but took
        # the help dialog's snapshot over a work list not yet refitted (about one run in two at 80 columns).
        await pilot.pause(0.02)
        try:
            if check():
                return
        except NoMatches as exc:
            missing = exc
    raise AssertionError(f"condition not reached{f' ({missing})' if missing else ''}")


async def settled(pilot, seconds: float = 30.0) -> None:
    """Wait until no worker of the app runs and the screens have handled what the workers posted: a worker's
    result arrives as a message after it ends (and its handler may start another worker), so one
    ``wait_for_complete`` is not enough; two quiet rounds in a row are. Use it before reading a screen that
    loads its data in a thread, instead of a pause long enough on an idle machine."""
    app = pilot.app
    deadline = time.monotonic() + seconds
    quiet = 0

    def busy() -> bool:
        return any(not w.is_finished for w in app.workers)

    while quiet < 2:
        if time.monotonic() > deadline:
            raise AssertionError(f"workers still running: {[w.name for w in app.workers if not w.is_finished]}")
        was_busy = busy()
        await pilot.pause(0.01) if was_busy else await pilot.pause()  # idle: every queued message handled
        # A round is quiet only if no worker ran before nor after it: a message handled in the pause may start
        # one (the training hub loads again on its ScreenResume when its first load was quick).
        quiet = 0 if was_busy or busy() else quiet + 1


async def click(pilot, selector: str) -> None:
    """Click a button once it is laid out (a stage's buttons appear in the same refresh as its text), enabled
    and its last press is over: Textual ignores a click within 0.2 s of the last one, while the button shows
    ``-active`` (two quick Checks in a row lost the second about one run in a few hundred)."""
    button = pilot.app.screen.query_one(selector, Button)
    await wait_for(pilot, lambda: button.region.width > 0 and not button.disabled and not button.has_class("-active"))
    await settled(pilot)
    await pilot.click(selector)


async def sign_in(pilot, username: str, password: str = PASSWORD) -> None:
    """Fill in the CollectApp's sign-in screen for ``username`` and press Enter in the password field (the bank
    of tui_bank.py). The password is put in the field, not typed: Textual's Pilot waits for the app to be idle
    twice after every key (about 70 ms of sleeping a key), a second a sign-in; typing the sign-in key by key
    is test_app.py's test_login_typed_with_tab_between_fields."""
    from collectui.tui.screens.login import LoginScreen

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
    app.screen.query_one("#username").value = username
    field = app.screen.query_one("#password")
    field.focus()
    field.value = password
    await pilot.press("enter")


def work_list_ready(app) -> bool:
    """The work list is on top, composed (its table mounted: under load a pushed screen is current for a
    moment before its children are), and its first page is in."""
    screen = app.screen
    if type(screen).__name__ != "WorkListScreen" or not screen.query("WorkTable"):
        return False
    return bool(screen.table.total) and screen.table.settled


async def work_list(pilot, username: str):
    """Sign in as ``username`` and wait until the work list has its first page: returns the screen."""
    await sign_in(pilot, username)
    await wait_for(pilot, lambda: work_list_ready(pilot.app))
    return pilot.app.screen
