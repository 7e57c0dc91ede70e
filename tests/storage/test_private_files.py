"""Files collectui creates are the owner's alone (0600, folders 0700) whatever the umask; a database others
can read gets a warning at start; leftovers of killed processes are removed by the next start, and a killed
SMS run leaves no readable copy of its batch."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.cli.opening import clean_leftovers
from collectui.domain.sms.gateway_file import FileGateway
from collectui.storage.engine import Database
from collectui.storage.opening import exposure_warning
from tests.support.tui import aio

pytestmark = pytest.mark.sqlite_only  # SQLite files and their sidecars

ENV = {"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual default that made every file -rw-r--r--
    yield
    os.umask(old)


def test_new_database_and_its_sidecars_are_private(tmp_path, open_umask):
    db = Database(tmp_path / "new" / "deeper" / "bank.db")
    db.create_schema()
    with db.raw_write() as raw:  # a write while open: -wal and -shm exist now
        raw.execute("INSERT INTO branch(name) VALUES ('城关支行')")
        sidecars = [Path(f"{db.path}-wal"), Path(f"{db.path}-shm")]
        assert all(p.exists() for p in sidecars)
        assert [mode(p) for p in sidecars] == [0o600, 0o600]
    assert mode(db.path) == 0o600
    assert mode(tmp_path / "new") == 0o700 and mode(tmp_path / "new" / "deeper") == 0o700
    db.dispose()


def test_a_database_others_can_read_gets_a_warning(db):
    db.dispose()
    assert exposure_warning(db.path) is None
    os.chmod(db.path, 0o644)
    assert "chmod 600" in (exposure_warning(db.path) or "")
    result = CliRunner().invoke(build_app(), ["--db", str(db.path), "db", "check"], env=ENV)
    first = result.output.splitlines()[0]
    assert first.startswith(f"warning: {db.path} can be read or written by other users (mode -rw-r--r--)")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_leftovers_of_dead_processes_go_and_live_ones_stay(tmp_path):
    dead, live = _dead_pid(), os.getpid()
    names = {
        f".bank.db.collectui-tmp-{dead}": True,
        f".d.db.building-{dead}": True,
        f".d.db.building-{dead}-wal": True,
        f".bank.db.writing-{dead}": True,
        f".report.csv.collectui-tmp-{live}": False,
        f".d.db.building-{live}": False,
        "bank.db": False,
        ".d.db.building-notapid": False,
    }
    for name in names:
        (tmp_path / name).write_text("x", encoding="utf-8")
    removed = clean_leftovers(tmp_path)
    assert sorted(p.name for p in removed) == sorted(n for n, gone in names.items() if gone)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, gone in names.items() if not gone)


def test_killed_demo_build_is_removed_by_the_next_start(tmp_path):
    target = tmp_path / "d.db"
    script = textwrap.dedent(f"""
        import os
        os.environ["COLLECTUI_NOW"] = "2026-11-28T10:00:00+08:00"
        from collectui.cli.app import build_app
        build_app()(["--db", {str(target)!r}, "demo", "--customers", "200000"], prog_name="collectui")
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], env=os.environ.copy())
    building = tmp_path / f".d.db.building-{proc.pid}"
    deadline = time.monotonic() + 120
    # Killed once the half-built file has its schema (the generation of 200,000 borrowers is still ahead).
    while not (building.exists() and building.stat().st_size > 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert building.exists(), "the build never started"
    assert mode(building) == 0o600  # even the half-built file is private
    assert not target.exists()
    result = CliRunner().invoke(build_app(), ["--db", str(target), "demo", "--customers", "20"], env=ENV)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if ".building-" in p.name) == []


def test_killed_sms_run_leaves_no_readable_batch_and_the_next_run_removes_it(tmp_path):
    outbox = tmp_path / "outbox"
    rows = [(f"m{i}", f"1391234{i:04d}", "您的贷款已逾期") for i in range(89)]
    script = textwrap.dedent(f"""
        import os, signal
        from datetime import datetime
        from collectui.storage import outfiles
        from collectui.domain.sms.gateway_file import FileGateway

        def killed(src, dst):  # the run dies after writing the batch, before renaming it
            os.kill(os.getpid(), signal.SIGKILL)

        outfiles.os.replace = killed
        FileGateway(outfiles.Path({str(outbox)!r})).write_batch(datetime(2026, 11, 28, 10), "r1", {rows!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    assert proc.wait() == -signal.SIGKILL
    left = list(outbox.iterdir())
    assert [p.name for p in left] == [f".sms-20261128T100000-r1.jsonl.collectui-tmp-{proc.pid}"]
    assert mode(left[0]) == 0o600 and mode(outbox) == 0o700  # nobody else can read the 89 numbers
    gateway = FileGateway(outbox)
    assert gateway.already_written() == set()  # a dead run's batch was never written
    assert list(outbox.iterdir()) == []
    batch = gateway.write_batch(datetime(2026, 11, 28, 10), "r2", rows)
    assert mode(batch.csv_path) == 0o600 and mode(batch.jsonl_path) == 0o600
    assert sorted(p.name for p in outbox.iterdir()) == [batch.csv_path.name, batch.jsonl_path.name]


def test_old_style_outbox_temp_files_are_removed(tmp_path):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    old = outbox / ".sms-20261127T100000-r0.csv.tmp"
    old.write_text("message_id,phone,text\nm1,13912345678,x\n", encoding="utf-8")
    FileGateway(outbox).already_written()
    assert not old.exists()


@aio
async def test_the_tui_warns_when_others_can_read_the_database(bank):
    from collectui.tui.app import CollectApp

    os.chmod(bank.db.path, 0o644)
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    assert any("can be read by other users" in m and str(bank.db.path) in m for m in messages)
