"""`collectui serve`: the TUI in a browser, for branch PCs that have a browser and no terminal.

textual-serve runs one `collectui tui` process per browser connection, so each tab has its own sign-in
(the TUI's password screen), its own idle lock and its own staff session: nothing is shared between tabs
but the database. What this module adds to textual-serve, and why:

- The page is our own: textual-serve's fetches a font from a CDN, which a branch network may not reach and
  which would tell a third party who uses the app; ours loads only files this server serves (the same fonts,
  shipped in textual-serve's package), under a Content-Security-Policy that forbids any other origin.
- The WebSocket address is worked out by the page from its own address, so the same server works on
  localhost and behind a TLS proxy (wss://) without being told its public name.
- A WebSocket whose Origin is another site is refused: otherwise any web page a clerk opens could start a
  session against this server from inside their browser.
- The child's error output is withheld from the server's log: Textual prints a crash with the values of
  local variables, which may be a borrower's name or phone. The log says how many bytes were withheld.
- The child's environment loses COLLECTUI_TOKEN and COLLECTUI_DEBUG: a browser session must sign in as a
  person, never inherit the operator's API token.

Nobody signs in to start it: like `collectui tui`, it only needs an OS user who can read and write the
database file; every browser session then signs in as a member of staff (docs/deploy.md says why).
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import os
import re
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import typer

from collectui.cli.common import State, err, state
from collectui.domain.errors import UsageError
from collectui.storage.locate import is_url

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger("collectui.serve")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 20
HOST_NAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
GUIDE = "docs/deploy.md"
# Variables a browser session must not inherit from whoever started the server (the database, policy and
# language are passed on the child's command line instead).
CHILD_ENV_DROP = ("COLLECTUI_TOKEN", "COLLECTUI_DEBUG", "COLLECTUI_DB", "COLLECTUI_POLICY", "COLLECTUI_LANG")

PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="static/css/xterm.css">
<style>
@font-face {{ font-family: "Roboto Mono"; src: url("static/fonts/RobotoMono-VariableFont_wght.ttf"); }}
@font-face {{ font-family: "Roboto Mono"; font-style: italic;
  src: url("static/fonts/RobotoMono-Italic-VariableFont_wght.ttf"); }}
body {{ background: #0c181f; margin: 0; font-family: "Roboto Mono", monospace; }}
.dialog {{ position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  z-index: 10; color: rgba(255, 255, 255, 0.95); }}
.dialog div {{ background: #12232d; padding: 32px; text-align: center; }}
.textual-terminal {{ opacity: 0; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
body.-first-byte .opening, .closed {{ display: none; }}
body.-closed .closed {{ display: flex; }}
body.-closed .textual-terminal {{ visibility: hidden; }}
button {{ padding: 12px 24px; margin-top: 16px; background: #5e0ba7; color: white; border: none;
  font-family: inherit; cursor: pointer; }}
#start {{ display: none; }}
</style>
<script src="static/js/textual.js"></script>
</head>
<body>
<div class="dialog opening"><div>{title}<br>正在连接 · Connecting<button type="button" id="start">Start</button></div></div>
<div class="dialog closed"><div>会话已结束 · Session ended<br>
<button type="button" id="again">重新登录 · Sign in again</button></div></div>
<div id="terminal" class="textual-terminal" data-font-size="{font_size}"></div>
<script nonce="{nonce}">
// The WebSocket is this page's own address with ws(s): no public name to configure behind a proxy.
const ws = new URL("ws", location.href);
ws.protocol = location.protocol === "https:" ? "wss:" : "ws:";
ws.search = "";
document.getElementById("terminal").dataset.sessionWebsocketUrl = ws.href;
document.getElementById("again").addEventListener("click", () => location.reload());
</script>
</body>
</html>
"""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (a name other than localhost counts as not)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str) -> str:
    """An IP address or an ASCII host name: anything else is one usage line, not a resolver's exception."""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if HOST_NAME.fullmatch(host):
        return host
    raise UsageError(f"--host: expected an IP address or a host name, got {host[:60]!r}")


def shown_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        return f"http://<this machine's address>:{port}/"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def shown_db(target: str | Path) -> str:
    """The database for the log and the page title: a URL without its password."""
    if not is_url(target):
        return str(target)
    parts = urlsplit(str(target))
    host = parts.hostname or ""
    return f"{parts.scheme}://{parts.username + '@' if parts.username else ''}{host}{parts.path}"


def child_command(st: State) -> list[str]:
    """The command each browser connection runs: this Python's collectui, the TUI on the same database.

    A PostgreSQL URL goes in the child's environment instead (``child_environment``): a command line is
    visible to every user of the machine, and the URL may hold a password.
    """
    argv = [sys.executable, "-m", "collectui"]
    if not is_url(st.db_path):
        argv += ["--db", str(Path(st.db_path).absolute())]
    if st.policy_path is not None:
        argv += ["--policy", str(Path(st.policy_path).absolute())]
    if st.lang:
        argv += ["--lang", st.lang]
    return [*argv, "tui"]


def child_environment(env: dict[str, str], target: str | Path) -> dict[str, str]:
    """``env`` without what a browser session must not inherit (CHILD_ENV_DROP); a PostgreSQL URL in
    COLLECTUI_DB (see ``child_command``)."""
    kept = {name: value for name, value in env.items() if name not in CHILD_ENV_DROP}
    if is_url(target):
        kept["COLLECTUI_DB"] = str(target)
    return kept


def origin_allowed(origin: str | None, host: str | None) -> bool:
    """A WebSocket may come from a page of this server only: its Origin names the Host it asked for.

    A browser always sends Origin on a WebSocket; a request without one is not from a web page (a script
    on the server itself), which could reach the database file anyway.
    """
    if origin is None:
        return True
    if not host:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def _font_size(raw: str) -> int:
    try:
        return min(max(int(raw), 8), 32)
    except ValueError:
        return 16


def make_server(st: State, host: str, port: int, max_sessions: int) -> object:
    """The textual-serve server for ``st``'s database (imported here: aiohttp costs start-up time)."""
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    argv = child_command(st)
    title = f"collectui · {Path(shown_db(st.db_path)).name}"

    class TabSession(AppService):
        """One browser tab's `collectui tui` process: run without a shell, with a cleaned environment, and
        with its error output counted and withheld from the log (see the module docstring)."""

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            return child_environment(super()._build_environment(width=width, height=height), st.db_path)

        async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=self._build_environment(width=width, height=height),
            )
            assert process.stdin is not None and process.stderr is not None
            self._process = process
            self._stdin = process.stdin
            self._withheld = asyncio.create_task(_withhold(process.stderr, process))
            # textual-serve copies the child's stderr into the log when the child ends: give it nothing.
            empty = asyncio.StreamReader()
            empty.feed_eof()
            process.stderr = empty
            return process

    class CollectServer(Server):
        def __init__(self) -> None:
            super().__init__(command=" ".join(argv), host=host, port=port, title=title)
            self.sessions = 0

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/favicon.ico", _no_icon)  # a 404 in every tab's console otherwise
            return app

        def initialize_logging(self) -> None:
            # One plain line per event; never a traceback with local variables.
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", force=True)

        async def on_startup(self, app: web.Application) -> None:
            err.print(
                f"collectui serve: starting the TUI on {shown_db(st.db_path)} at {shown_url(host, port)}", markup=False
            )
            err.print("Each browser tab signs in on its own. Ctrl+C stops the server.", markup=False)

        async def handle_index(self, request: web.Request) -> web.Response:
            nonce = secrets.token_urlsafe(16)
            page = PAGE.format(
                title=html.escape(title), font_size=_font_size(request.query.get("fontsize", "16")), nonce=nonce
            )
            headers = {
                "Content-Security-Policy": (
                    f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
                    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                    "base-uri 'none'; form-action 'none'"
                ),
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            }
            return web.Response(text=page, content_type="text/html", headers=headers)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if not origin_allowed(request.headers.get("Origin"), request.host):
                log.warning("refused a session from another site's page (Origin %r)", request.headers.get("Origin"))
                raise web.HTTPForbidden(text="cross-site session refused")
            if self.sessions >= max_sessions:
                log.warning("refused a session: %d are open (--max-sessions)", self.sessions)
                raise web.HTTPServiceUnavailable(text="too many sessions")
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _size(request.query.get("width", "80"), 80)
            height = _size(request.query.get("height", "24"), 24)
            await websocket.prepare(request)

            async def close() -> None:
                await websocket.close()

            session = TabSession(
                "",
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
            )
            self.sessions += 1
            log.info("session %s opened (%d open)", session.app_service_id[:8], self.sessions)
            try:
                await session.start(width, height)
                await self._process_messages(websocket, session)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as exc:  # one line: a traceback could carry what the tab typed
                log.error("session %s failed: %s", session.app_service_id[:8], type(exc).__name__)
            finally:
                await session.stop()
                self.sessions -= 1
                log.info("session %s closed (%d open)", session.app_service_id[:8], self.sessions)
            return websocket

    return CollectServer()


async def _no_icon(request: web.Request) -> web.Response:
    from aiohttp import web

    return web.Response(status=204)


def _size(raw: str, default: int) -> int:
    try:
        return min(max(int(raw), 10), 1000)
    except ValueError:
        return default


async def _withhold(stream: asyncio.StreamReader, process: asyncio.subprocess.Process) -> None:
    withheld = 0
    while chunk := await stream.read(4096):
        withheld += len(chunk)
    code = await process.wait()
    if withheld:
        log.warning(
            "a session ended (exit %s) with %d bytes of error output, withheld from this log because it may "
            "name borrowers: run `collectui tui` on this machine to see the error",
            code,
            withheld,
        )


def run(st: State, host: str, port: int, max_sessions: int, say: Callable[[str], None]) -> None:
    """Check the database, warn about a non-loopback address, then serve until Ctrl+C."""
    check_host(host)
    st.ctx()  # refuses a missing or foreign file, upgrades an older one, warns when others can read it
    if not is_loopback(host):
        say(
            f"warning: serving on {host}, beyond this machine, WITHOUT TLS: passwords and borrowers' data would "
            f"cross the network in clear. Put a TLS proxy in front and bind to 127.0.0.1 (see {GUIDE})."
        )
    server = make_server(st, host, port, max_sessions)
    try:
        server.serve()  # type: ignore[attr-defined]
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: str = typer.Option(
            DEFAULT_HOST,
            "--host",
            help=f"Address to listen on. Anything but loopback is served without TLS: put a proxy in front ({GUIDE}).",
        ),
        port: int = typer.Option(DEFAULT_PORT, "--port", min=1, max=65535, help="TCP port to listen on."),
        max_sessions: int = typer.Option(
            DEFAULT_MAX_SESSIONS,
            "--max-sessions",
            min=1,
            max=500,
            help="Browser tabs open at once (each runs its own TUI process, about 100 MB).",
        ),
    ) -> None:
        """Serve the TUI to browsers: each tab signs in on its own. Binds to 127.0.0.1 unless told otherwise."""
        os.environ.pop("COLLECTUI_TOKEN", None)
        run(state(ctx), host, port, max_sessions, lambda line: err.print(line, markup=False))
