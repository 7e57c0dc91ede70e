"""`collectui serve` in a real headless browser: Debian's Chromium driven by Playwright.

The server runs as a person would start it (`python -m collectui ... serve`) on a small demo database. The
test reads what the browser was sent over the WebSocket (the terminal's output, escape sequences removed)
because xterm.js draws on a canvas: there is no DOM text to read. A missing Chromium FAILS with the command
that installs it (scripts/test installs it): a browser test that skips would pass CI without ever running.

COLLECTUI_SERVE_SCREENSHOT=docs/images/serve.png writes the work-list screenshot of the docs; without it the
screenshot goes to the test's temp folder only.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.demo_bank import NOW, build_demo

CHROMIUM = Path("/usr/bin/chromium")
USER, PASSWORD = "dc-supervisor", "demo-dc-supervisor"
# Escape sequences: CSI (cursor moves, colours), OSC (pointer shape; ends with BEL or ST), charset, others.
ESCAPES = re.compile(r"\x1b(\[[0-9;?$<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)")
MASKED_NAME = re.compile(r"[\u4e00-\u9fff]\*+")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

pytestmark = pytest.mark.usefixtures("cheap_hasher")  # the demo's twelve accounts, hashed at a test's cost


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _handshake(url: str, origin: str) -> str:
    """The status line the server answers a browser's WebSocket handshake from ``origin`` with."""
    host = url.split("//", 1)[1].rstrip("/")
    name, port = host.split(":")
    request = (
        f"GET /ws?width=80&height=24 HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
    )
    with socket.create_connection((name, int(port)), timeout=10) as conn:
        conn.sendall(request.encode())
        return conn.recv(200).decode(errors="replace").split("\r\n", 1)[0]


class Tab:
    """One browser tab on the server: what its terminal was sent, as text with the escapes taken out."""

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.frames: list[bytes] = []
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._received))
        response = self.page.goto(url)
        assert response is not None and response.ok
        self.csp = response.headers.get("content-security-policy", "")

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):  # text frames are the page's pings, not the screen
            self.frames.append(payload)

    def text(self) -> str:
        # Lines are joined with a newline where an escape was, so no two fields run into one number.
        return ESCAPES.sub("\n", b"".join(self.frames).decode("utf-8", "replace"))

    def wait_for(self, pattern: str | re.Pattern[str], timeout_s: float = 40.0, after: int = 0) -> None:
        """Wait until ``pattern`` is in what the tab was sent (from character ``after`` on: pass ``len(text())``
        taken before a key to see only what the key brought)."""
        found = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        start = len(self.text())
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if found.search(self.text(), after):
                return
            self.page.wait_for_timeout(200)  # lets Playwright deliver the frames (time.sleep would not)
        raise AssertionError(
            f"{found.pattern!r} not on the screen after {timeout_s}s; since: {self.text()[start:][-400:]!r}"
        )

    def sign_in(self, user: str, password: str) -> None:
        # Keys go to xterm's hidden textarea: a mouse click would land on whatever widget is mid-screen.
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.type(user)
        self.wait_for(user, 10)  # echoed by the username field: the app has the keys
        self.type_line("Tab", password)
        # Echoed masked by the password field before Enter: on a loaded machine the sign-in once never came,
        # with no way to tell which key the app had not yet had.
        self.wait_for("•" * len(password), 20)
        self.type_line("Enter")

    def type_line(self, *keys: str) -> None:
        for key in keys:
            if key in ("Tab", "Enter", "Escape"):
                self.page.keyboard.press(key)
            else:
                self.page.keyboard.type(key)


@pytest.fixture
def server(tmp_path):
    # The docs' screenshot shows a fuller list; the test itself needs a few borrowers only.
    db = build_demo(tmp_path / "demo.db", customers=400 if os.environ.get("COLLECTUI_SERVE_SCREENSHOT") else 40)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+b")
    env = {**os.environ, "COLLECTUI_NOW": NOW}
    proc = subprocess.Popen(
        [sys.executable, "-m", "collectui", "--lang", "en", "--db", str(db), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError(
                        f"collectui serve did not start: {log.read().decode(errors='replace')}"
                    ) from None
                time.sleep(0.2)
        yield url, tmp_path / "serve.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser test needs Debian's Chromium (apt-get install -y chromium; "
            "scripts/test installs it)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield chromium
        finally:
            chromium.close()


def test_sign_in_work_list_and_profile_in_a_browser(server, browser, tmp_path):
    url, log_path = server
    tab = Tab(browser, url)
    assert "default-src 'self'" in tab.csp  # nothing from another origin may load, let alone a CDN
    tab.wait_for("Username")
    tab.sign_in(USER, PASSWORD)

    # The work list: masked names and masked phones only.
    tab.wait_for(MASKED_NAME)
    tab.wait_for(re.compile(r"1\d\d\*{4}\d{4}"))
    tab.page.wait_for_timeout(1500)  # the rest of the rows and the footer
    shot = Path(os.environ.get("COLLECTUI_SERVE_SCREENSHOT") or tmp_path / "serve.png")
    tab.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    # A second tab is its own session: it asks for a sign-in of its own, while the first stays signed in.
    other = Tab(browser, url)
    other.wait_for("Username")
    assert MASKED_NAME.search(other.text()) is None
    other.page.close()

    # The profile of the first borrower (Enter on the list's first row).
    mark = len(tab.text())
    tab.type_line("Enter")
    tab.wait_for("ID number", after=mark)
    tab.wait_for("Agreed hours", after=mark)
    screen = tab.text()
    assert MASKED_NAME.search(screen)
    assert FULL_PHONE.findall(screen) == [], "a full phone number reached the browser"
    assert re.search(r"\d{17}[\dX]", screen) is None, "a full ID number reached the browser"

    # Quitting the app ends the tab's session: the page says so, hides the last screen, offers to sign in.
    mark = len(tab.text())
    tab.type_line("Escape")
    tab.wait_for("Rank", after=mark)
    tab.type_line("q")
    tab.page.wait_for_selector("body.-closed", timeout=30_000)
    assert tab.page.is_visible("text=Session ended")
    assert not tab.page.is_visible("#terminal")  # the last screen's borrowers are not left on a branch PC

    # Only this server was asked for anything: no CDN font, no script from elsewhere.
    others = [r for r in tab.requests if not r.startswith(url) and not r.startswith(url.replace("http", "ws", 1))]
    assert others == []
    assert any(r.endswith(".ttf") for r in tab.requests)  # the font is served locally
    tab.page.close()

    # A WebSocket from another site's page is refused before any process starts; this server's own is not.
    assert _handshake(url, "http://evil.example").startswith("HTTP/1.1 403")
    assert _handshake(url, url.rstrip("/")).startswith("HTTP/1.1 101")

    # The server's log names sessions, never what was typed nor what was shown.
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    assert "session" in log_text and "opened" in log_text and "closed (" in log_text
    assert PASSWORD not in log_text and FULL_PHONE.search(log_text) is None
    assert MASKED_NAME.search(log_text) is None and "Traceback" not in log_text
