"""Shared fixtures: a temporary database, a fixed clock (2026-11-28 10:00 Asia/Shanghai), the context;
the small seeded bank of the TUI tests (tests/support/tui_bank.py); the dashboard's hand-worked rows."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.staff import users
from collectui.storage.engine import Database
from tests.support import dashboard, hashing, tui_bank
from tests.support.clock import NOW, TZ

# --pg (PostgreSQL only), --both-engines (each database test on both) or COLLECTUI_TEST_PG_URL: tests/support/pg.py.
pytest_plugins = ["tests.support.pg"]

# One audit key for every test database, from the environment (set before any fixture, so the session-wide
# template banks use it too): a template copied into a test keeps a key that verifies it. The tests of the
# key file itself remove the variable (tests/domain/audit/test_keys.py).
os.environ.setdefault("COLLECTUI_AUDIT_KEY", "5e" * 32)

# Every test hashes passwords at a test's cost (tests/support/hashing.py), from before the first fixture.
hashing.use_cheap()


def _keep_bytecode() -> None:
    """Compiled modules are kept, outside the source tree: in <venv>/pycache. The machines this suite runs on
    set PYTHONDONTWRITEBYTECODE, so each xdist worker recompiled every module it imported and every CLI
    subprocess of a test recompiled collectui (collecting the suite took 10.8 s of CPU instead of 3.5 s).
    Set here, before the workers start, so that they and every subprocess inherit it; nothing is written
    into the checkout. Outside a virtual environment the machine's setting stands."""
    if sys.prefix == sys.base_prefix:
        return
    prefix = str(Path(sys.prefix) / "pycache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    sys.dont_write_bytecode = False
    sys.pycache_prefix = prefix


_keep_bytecode()


@pytest.fixture(autouse=True)
def _private_state_dir(tmp_path_factory, monkeypatch):
    """CLI sessions and audit keys go to a per-test folder, never the developer's own state directory; and
    the language is English unless a test asks for Chinese, whatever the machine's locale."""
    monkeypatch.setenv("COLLECTUI_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("COLLECTUI_LANG", "en")


@pytest.fixture
def cheap_hasher(monkeypatch):
    """argon2 at a test's cost: every test has it now (``hashing.use_cheap`` above); kept for the modules that
    ask for it with ``pytestmark = pytest.mark.usefixtures("cheap_hasher")``, and it puts it back in place for
    a test that changed the hasher."""
    monkeypatch.setattr(users, "_hasher", hashing.CHEAP)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, TZ)


@pytest.fixture
def db(engine, tmp_path, request) -> Database:
    if engine == "postgresql":  # --pg or --both-engines: tests/support/pg.py
        # The same test on a PostgreSQL database of its own.
        yield request.getfixturevalue("pg_db")
        return
    database = Database(tmp_path / "test.db")
    database.create_schema()
    yield database
    database.dispose()


@pytest.fixture
def new_db_at(engine, tmp_path, request) -> Callable[[str], str]:
    """Where a CLI test puts a database it creates (``init``, ``demo``): ``new_db_at("bank.db")`` is a file
    path under tmp_path on SQLite; on PostgreSQL (``--pg``, ``--both-engines``) it is the URL of an empty PostgreSQL database of its own
    (the name is ignored), dropped after the test. Tests that use it run on both engines."""
    if engine == "sqlite":
        return lambda name: str(tmp_path / name)
    databases = request.getfixturevalue("pg_databases")
    made: list[str] = []

    def on_postgresql(name: str) -> str:
        made.append(databases.new())
        return made[-1]

    request.addfinalizer(lambda: [databases.drop(url) for url in made])
    return on_postgresql


@pytest.fixture
def ctx(db, clock) -> Ctx:
    return Ctx(db=db, clock=clock, policy=Policy())


@pytest.fixture(scope="session")
def bank_template(tmp_path_factory):
    """The TUI bank built once per test process (argon2 hashes and a refresh take a few seconds)."""
    path = tmp_path_factory.mktemp("tui-bank") / "bank.db"
    ctx = tui_bank.build(path)
    ctx.db.dispose()
    return path


@pytest.fixture
def bank(bank_template, tmp_path) -> Ctx:
    """A private copy of the TUI bank: a test may write to it."""
    path = tmp_path / "bank.db"
    shutil.copy(bank_template, path)
    db = Database(path)
    yield Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy())
    db.dispose()


@pytest.fixture
def dash(ctx) -> Ctx:
    """Two branches' borrowers, calls, feedback and complaints for the supervisor dashboard."""
    dashboard.seed(ctx)
    return ctx
