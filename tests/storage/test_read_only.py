"""Reads work on a database in a read-only folder or a read-only file (opened read-only: no WAL switch, no
sidecar files, no schema upgrade when the version is current); a write fails with one clear line.

As root (the CI container) permissions do not bind, so the commands run under ``setpriv`` without the
capabilities that override them."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import sign_in
from tests.support.clock import NOW

pytestmark = pytest.mark.sqlite_only  # read-only SQLite files

ENV = {"COLLECTUI_NOW": NOW.isoformat()}
PERMISSIONS_BIND = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
if PERMISSIONS_BIND and shutil.which("setpriv") is None:
    pytest.skip("running as root without setpriv: file permissions cannot be made to bind", allow_module_level=True)


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*PERMISSIONS_BIND, str(Path(sys.executable).with_name("collectui")), "--db", str(db), *args]
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, **ENV}, check=False)


def make_read_only(db_path: Path, folder: Path, what: str) -> Path:
    folder.mkdir()
    path = folder / "bank.db"
    shutil.copy(db_path, path)
    os.chmod(path, 0o400)
    if what == "folder":
        os.chmod(folder, 0o555)
    return path


@pytest.fixture(params=["folder", "file"])
def read_only_bank(request, bank, tmp_path):
    """The TUI bank (admin ``root`` signed in), its folder or its file made read-only."""
    bank.db.dispose()
    sign_in(bank.db.path, "root")
    path = make_read_only(bank.db.path, tmp_path / "ro", request.param)
    yield path
    os.chmod(path.parent, 0o755)


@pytest.fixture(params=["folder", "file"])
def read_only_audited(request, ctx, tmp_path, monkeypatch):
    """A database whose every row came through the services (its audit trail is whole), read-only."""
    from argon2 import PasswordHasher

    from collectui.domain.staff import users
    from tests.support.cli import add_staff

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    add_staff(ctx, "root", "admin")
    ctx.db.dispose()
    sign_in(ctx.db.path, "root")
    path = make_read_only(ctx.db.path, tmp_path / "ro", request.param)
    yield path
    os.chmod(path.parent, 0o755)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    "command",
    [
        ["queue", "--limit", "5"],
        ["report", "activity"],
        ["report", "portfolio"],
        ["report", "portfolio", "--to", "2026-10-31"],  # no snapshot of that day: computed in TEMP tables
        ["report", "migration", "--from", "2026-10-01", "--to", "2026-10-31"],
    ],
)
def test_reads_work_and_write_nothing(read_only_bank, command):
    before = read_only_bank.read_bytes()
    files = listing(read_only_bank.parent)
    result = cli(read_only_bank, *command)
    assert result.returncode == 0, result.stderr
    assert "readonly" not in result.stderr
    assert read_only_bank.read_bytes() == before
    if stat.S_IMODE(read_only_bank.parent.stat().st_mode) == 0o555:  # the read-only folder
        assert listing(read_only_bank.parent) == files  # immutable: not even a -shm file
    else:
        # A read-only file in a folder we may write: SQLite's read-only WAL reader keeps its index in -shm
        # (not immutable: the file's owner may be writing it); the database itself is unchanged.
        assert set(listing(read_only_bank.parent)) <= {*files, "bank.db-shm", "bank.db-wal"}


@pytest.mark.parametrize("command", [["audit", "verify"], ["db", "check"]])
def test_checks_work_read_only(read_only_audited, command):
    before = read_only_audited.read_bytes()
    result = cli(read_only_audited, *command)
    assert result.returncode == 0, result.stderr
    assert read_only_audited.read_bytes() == before


def test_queue_on_a_read_only_database_is_today_s_list(read_only_bank):
    result = cli(read_only_bank, "queue", "--limit", "3", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("[") and "C00" in result.stdout


def test_a_write_fails_with_one_line(read_only_bank):
    result = cli(read_only_bank, "complaint", "open", "C0001", "--about", "service", "--text", "x")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is read-only" in lines[0] and "cannot run" in lines[0], result.stderr
    assert stat.S_IMODE(read_only_bank.stat().st_mode) == 0o400


def test_a_token_works_on_a_read_only_database(ctx, tmp_path):
    from tests.support.cli import token_env

    env = token_env(ctx.db.path, "reporting", "admin", scopes="audit")
    ctx.db.dispose()
    path = make_read_only(ctx.db.path, tmp_path / "ro", "folder")
    command = [
        *PERMISSIONS_BIND,
        str(Path(sys.executable).with_name("collectui")),
        "--db",
        str(path),
        "audit",
        "verify",
    ]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **ENV, **env}, check=False)
    os.chmod(path.parent, 0o755)
    assert result.returncode == 0, result.stderr
