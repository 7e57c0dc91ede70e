"""scripts/demo: pip runs only when the install is missing or stale, and the first run waits before the app.

The real script runs in a temporary copy of the checkout whose `.venv` holds fakes: `python -m pip` and
`collectui` only log what they were asked (no network, no pip), every other `python` call is the real one.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="scripts/demo is a bash script")

# `python -m pip install` logs and (unless FAKE_PIP_FAILS) puts a `collectui` next to itself, as pip would.
FAKE_PYTHON = f"""#!/usr/bin/env bash
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
    echo "pip $*" >>"$FAKE_LOG"
    [ -z "${{FAKE_PIP_FAILS:-}}" ] || exit 1
    cp "$FAKE_COLLECTUI" "$(dirname "$0")/collectui"
    exit 0
fi
exec {sys.executable} "$@"
"""

# `collectui --db PATH demo` makes a non-empty database file; every call is logged.
FAKE_COLLECTUI = """#!/usr/bin/env bash
echo "collectui $*" >>"$FAKE_LOG"
if [ "${3:-}" = "demo" ]; then
    echo "demo staff accounts: cg-collector1 demo-cg-collector1"
    echo built >"$2"
fi
"""

# A system python that only knows `-m venv .venv`: it lays out the fake venv.
FAKE_SYSTEM_PYTHON = """#!/usr/bin/env bash
echo "venv $*" >>"$FAKE_LOG"
mkdir -p .venv/bin
cp "$FAKE_VENV_PYTHON" .venv/bin/python
"""


def _write_exec(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A checkout with scripts/demo and a pyproject.toml, and no .venv yet."""
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, root / "scripts" / "demo")
    (root / "pyproject.toml").write_text('[project]\nname = "collectui"\n', encoding="utf-8")
    fakes = tmp_path / "fakes"
    _write_exec(fakes / "python", FAKE_PYTHON)
    _write_exec(fakes / "collectui", FAKE_COLLECTUI)
    _write_exec(fakes / "system-python", FAKE_SYSTEM_PYTHON)
    return root


def _env(root: Path) -> dict[str, str]:
    fakes = root.parent / "fakes"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COLLECTUI_", "FAKE_"))}
    env.update(
        PYTHON=str(fakes / "system-python"),
        FAKE_LOG=str(root.parent / "log"),
        FAKE_COLLECTUI=str(fakes / "collectui"),
        FAKE_VENV_PYTHON=str(fakes / "python"),
    )
    return env


def _run(root: Path, **extra: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = root.parent / "log"
    log.unlink(missing_ok=True)
    done = subprocess.run(
        ["bash", str(root / "scripts" / "demo")],
        env={**_env(root), **extra},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return done, calls


def test_first_run_creates_the_venv_installs_builds_and_opens(checkout: Path) -> None:
    done, calls = _run(checkout)
    assert done.returncode == 0, done.stderr
    db = checkout / "demo" / "collectui-demo.db"
    assert calls == [
        "venv -m venv .venv",
        "pip -m pip install --disable-pip-version-check -e .",
        f"collectui --db {db} demo",
        f"collectui --db {db}",
    ]
    assert "installing collectui" in done.stderr  # said before pip's own progress, not a silent wait
    assert "building the demo database" in done.stderr
    assert (checkout / ".venv" / "collectui-demo.stamp").is_file()


def test_second_run_skips_pip_and_the_build(checkout: Path) -> None:
    _run(checkout)
    done, calls = _run(checkout)
    assert done.returncode == 0, done.stderr
    assert calls == [f"collectui --db {checkout / 'demo' / 'collectui-demo.db'}"]
    assert done.stderr == ""


def test_a_changed_pyproject_installs_again(checkout: Path) -> None:
    _run(checkout)
    with (checkout / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write('dependencies = ["rich"]\n')
    done, calls = _run(checkout)
    assert done.returncode == 0, done.stderr
    assert calls[0].startswith("pip -m pip install")
    assert len(calls) == 2  # the database was already built
    _, calls = _run(checkout)
    assert not any(c.startswith("pip") for c in calls)


def test_a_venv_made_elsewhere_without_the_stamp_installs_once(checkout: Path) -> None:
    """`.venv` exists (scripts/test or by hand) but the demo never stamped it: one install, then none."""
    (checkout / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(checkout.parent / "fakes" / "python", checkout / ".venv" / "bin" / "python")
    shutil.copy(checkout.parent / "fakes" / "collectui", checkout / ".venv" / "bin" / "collectui")
    _, calls = _run(checkout)
    assert calls[0].startswith("pip -m pip install")
    _, calls = _run(checkout)
    assert not any(c.startswith("pip") for c in calls)


def test_a_removed_collectui_installs_again(checkout: Path) -> None:
    _run(checkout)
    (checkout / ".venv" / "bin" / "collectui").unlink()
    _, calls = _run(checkout)
    assert calls[0].startswith("pip -m pip install")


def test_a_failed_install_writes_no_stamp_and_is_retried(checkout: Path) -> None:
    done, calls = _run(checkout, FAKE_PIP_FAILS="1")
    assert done.returncode != 0
    assert not any(c.startswith("collectui") for c in calls)  # stops at the failed install
    assert not (checkout / ".venv" / "collectui-demo.stamp").exists()
    done, calls = _run(checkout)
    assert done.returncode == 0, done.stderr
    assert calls[0].startswith("pip -m pip install")


def _read_until(fd: int, needle: bytes, seconds: float = 30) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the other end closed
                break
    return seen


def test_at_a_terminal_the_first_run_waits_for_enter_before_the_app(checkout: Path) -> None:
    """The accounts printed by the build stay on screen until Enter: the app does not wipe them at once."""
    main, sub = pty.openpty()
    log = checkout.parent / "log"
    proc = subprocess.Popen(
        ["bash", str(checkout / "scripts" / "demo")], env=_env(checkout), stdin=sub, stdout=sub, stderr=sub
    )
    os.close(sub)
    try:
        shown = _read_until(main, b"Press Enter")
        assert b"demo-cg-collector1" in shown and b"Press Enter" in shown
        time.sleep(0.3)
        opened = [c for c in log.read_text(encoding="utf-8").splitlines() if c.endswith("collectui-demo.db")]
        assert opened == []  # still waiting: the app has not started
        os.write(main, b"\n")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)
    assert log.read_text(encoding="utf-8").splitlines()[-1] == (
        f"collectui --db {checkout / 'demo' / 'collectui-demo.db'}"
    )
