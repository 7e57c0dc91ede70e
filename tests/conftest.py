"""Shared fixtures: a temporary database, a fixed clock (2026-11-28 10:00 Asia/Shanghai), the context."""

from __future__ import annotations

import pytest

from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.storage.engine import Database
from tests.support.clock import NOW, TZ


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, TZ)


@pytest.fixture
def db(tmp_path) -> Database:
    database = Database(tmp_path / "test.db")
    database.create_schema()
    yield database
    database.dispose()


@pytest.fixture
def ctx(db, clock) -> Ctx:
    return Ctx(db=db, clock=clock, policy=Policy())
