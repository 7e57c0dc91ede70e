"""Fixtures of the TUI tests: the seeded bank with more life in it for the screen snapshots."""

from __future__ import annotations

import shutil

import pytest

from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.storage.engine import Database
from tests.support import screens
from tests.support.clock import NOW, TZ


@pytest.fixture(scope="session")
def screens_bank_template(bank_template, tmp_path_factory):
    """The TUI bank plus SMS, eight weeks of calls and feedback, today's refusals; built once per process."""
    path = tmp_path_factory.mktemp("screens-bank") / "bank.db"
    shutil.copy(bank_template, path)
    db = Database(path)
    screens.enrich(Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy()))
    db.dispose()
    return path


@pytest.fixture
def screens_bank(screens_bank_template, tmp_path) -> Ctx:
    """A private copy: signing in, locking and starting a call write to it."""
    path = tmp_path / "bank.db"
    shutil.copy(screens_bank_template, path)
    db = Database(path)
    yield Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy())
    db.dispose()


@pytest.fixture
def plotext_in_order(monkeypatch):
    """plotext drops duplicate points and labels through a ``set``: where tick labels collide (narrow charts) the
    ones it keeps then depend on the hash seed of the process. Its own order-keeping alternative makes the
    dashboard's charts the same in every run (the snapshots compare them)."""
    from plotext import _utility

    monkeypatch.setattr(_utility, "no_duplicates", lambda data: list(dict.fromkeys(data)))
