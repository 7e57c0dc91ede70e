"""`collectui serve` without a browser: where it listens, what each tab's process inherits, what the page
loads, which WebSockets it accepts, and what reaches its log (tests/cli/test_serve_browser.py drives it in
Chromium)."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.cli.commands import serve
from collectui.cli.common import State
from collectui.domain.errors import UsageError
from tests.support.demo_bank import NOW, build_demo

pytestmark = pytest.mark.usefixtures("cheap_hasher")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True), ("0.0.0.0", False),
     ("::", False), ("192.168.1.20", False), ("branch-server", False)],
)  # fmt: skip
def test_only_loopback_counts_as_this_machine(host, loopback):
    assert serve.is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("https://collect.bank.example", "collect.bank.example", True),  # behind a TLS proxy passing Host
        ("https://evil.example", "127.0.0.1:8000", False),  # another site's page in the clerk's browser
        ("http://127.0.0.1:9000", "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),  # a sandboxed frame or a file:// page
        ("http://127.0.0.1:8000", None, False),
        (None, "127.0.0.1:8000", True),  # not a browser: a program on the server, which has the file anyway
    ],
)
def test_a_session_may_start_from_this_servers_page_only(origin, host, allowed):
    assert serve.origin_allowed(origin, host) is allowed


def test_each_tab_runs_the_tui_on_the_same_database_and_language(tmp_path):
    st = State(db_path=Path("bank.db"), policy_path=None, lang="zh")
    argv = serve.child_command(st)
    assert argv[:3] == [sys.executable, "-m", "collectui"]
    assert argv[3:] == ["--db", str(Path("bank.db").absolute()), "--lang", "zh", "tui"]
    with_policy = serve.child_command(State(db_path=tmp_path / "x.db", policy_path=Path("p.toml"), lang=None))
    assert with_policy[-3:] == ["--policy", str(Path("p.toml").absolute()), "tui"]


def test_a_tab_never_inherits_the_operators_token():
    env = {"PATH": "/usr/bin", "COLLECTUI_TOKEN": "ct_x", "COLLECTUI_DEBUG": "1", "COLLECTUI_DB": "/other.db"}
    assert serve.child_environment(env, Path("bank.db")) == {"PATH": "/usr/bin"}


def test_a_postgresql_url_reaches_a_tab_by_its_environment_not_its_command_line():
    url = "postgresql://collect:s3cret@db.head.office/bank"
    st = State(db_path=url, policy_path=None, lang=None)  # type: ignore[arg-type]  # how the CLI passes a URL
    assert not any("s3cret" in arg for arg in serve.child_command(st))  # `ps` shows argv to every user
    assert serve.child_environment({"COLLECTUI_DB": "/other.db"}, url) == {"COLLECTUI_DB": url}
    assert serve.shown_db(url) == "postgresql://collect@db.head.office/bank"  # the log and the page title


def test_the_page_loads_nothing_from_another_origin():
    page = serve.PAGE.format(title="t", font_size=16, nonce="n")
    assert re.findall(r"(?:src|href)=\"([^\"]+)\"", page) == ["static/css/xterm.css", "static/js/textual.js"]
    assert "//" not in page.replace("// The WebSocket", "")  # no absolute URL at all (fonts included)
    assert 'url("static/fonts/RobotoMono-VariableFont_wght.ttf")' in page
    import textual_serve  # the files the page names are those the installed textual-serve ships

    shipped = Path(textual_serve.__file__).parent / "static"
    for name in ("css/xterm.css", "js/textual.js", "fonts/RobotoMono-VariableFont_wght.ttf"):
        assert (shipped / name).is_file(), name


def test_error_output_of_a_tab_is_counted_not_logged(caplog):
    async def crash() -> None:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "import sys; sys.stderr.write('Traceback: phone=13912345678 name=李四'); sys.exit(3)",
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stderr is not None
        await serve._withhold(process.stderr, process)

    with caplog.at_level(logging.INFO, logger="collectui.serve"):
        asyncio.run(crash())
    logged = caplog.text
    assert "exit 3" in logged and "bytes of error output, withheld" in logged
    assert "13912345678" not in logged and "李四" not in logged


def test_beyond_loopback_it_warns_of_no_tls_and_a_busy_port_is_one_line(tmp_path):
    db = build_demo(tmp_path / "demo.db")
    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "collectui", "--db", str(db), "serve", "--host", "0.0.0.0", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "COLLECTUI_NOW": NOW},
        )
    assert result.returncode == 2, result.stderr
    assert "WITHOUT TLS" in result.stderr and "docs/deploy.md" in result.stderr
    assert f"cannot listen on 0.0.0.0:{port}" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [("--port", "0"), ("--port", "65536"), ("--port", "1e23"), ("--port", "\x1b[2J"), ("--max-sessions", "0"),
     ("--max-sessions", "nan"), ("--max-sessions", "9" * 400)],
)  # fmt: skip
def test_bad_numbers_are_one_usage_line(tmp_path, args):
    result = CliRunner().invoke(build_app(), ["--db", str(tmp_path / "x.db"), "serve", *args])
    assert result.exit_code == 2 and "Traceback" not in result.output and "\x1b" not in result.output


@pytest.mark.parametrize(
    ("host", "said"),
    [("no-such-host.invalid", "cannot listen on no-such-host.invalid:"), ("a\u202eb\x1b[2J", "--host: expected")],
)
def test_a_host_that_cannot_be_listened_on_is_one_line(tmp_path, host, said):
    db = build_demo(tmp_path / "demo.db")
    result = subprocess.run(
        [sys.executable, "-m", "collectui", "--db", str(db), "serve", "--host", host, "--port", str(_free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLLECTUI_NOW": NOW},
    )
    assert result.returncode == 2, result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr  # printed safely


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "0.0.0.0", "localhost", "collect.bank.example", "srv-01"])
def test_addresses_and_host_names_are_accepted(host):
    assert serve.check_host(host) == host


@pytest.mark.parametrize("host", ["", " ", "-x", "a..b", "x" * 300, "例子.cn", "a b", "http://x"])
def test_anything_else_is_no_host(host):
    with pytest.raises(UsageError, match="--host: expected"):
        serve.check_host(host)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_missing_database_is_refused_before_listening(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "collectui", "--db", str(tmp_path / "none.db"), "serve", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert result.returncode != 0 and "none.db" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "none.db").exists()
