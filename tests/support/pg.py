"""PostgreSQL for the tests: a throwaway server per test process, a database per test from a template.

Asked for with ``pytest --pg`` (this machine's PostgreSQL binaries start a server in a temporary folder) or
``COLLECTUI_TEST_PG_URL=postgresql://user@host/db`` (a server that is already running; the URL's user must
be allowed to create databases). Without either, nothing here runs and the suite is SQLite only.

- One server per test process (each xdist worker its own: no lock to share, and the start is ~1 s). It
  listens only on a unix socket in its own folder, with ``fsync`` off: a crash loses a test database.
  PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` OS user.
- One database per test, ``CREATE DATABASE ... TEMPLATE`` of a database holding the newest schema (a file
  copy on the server: much faster than creating the schema each time), dropped at the end of the test.
- When PostgreSQL was asked for and cannot be had, the tests that need it FAIL with the reason
  (``PgUnavailable``): a run meant to test PostgreSQL never passes by skipping it.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

PG_URL_ENV = "COLLECTUI_TEST_PG_URL"
PG_BIN_ENV = "COLLECTUI_TEST_PG_BIN"  # where initdb and pg_ctl are, when not Debian's default
DEFAULT_BIN_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")
_START_TIMEOUT_S = 60
# Settings for a server whose data may be lost: nothing waits for the disk.
_TEST_SETTINGS = ("fsync=off", "full_page_writes=off", "synchronous_commit=off", "max_connections=200")


class PgUnavailable(RuntimeError):
    """PostgreSQL was asked for and cannot be had (no binaries, the server does not start or answer)."""


def find_bin_dir() -> Path:
    """The folder with ``initdb`` and ``pg_ctl``: ``COLLECTUI_TEST_PG_BIN``, else Debian's newest."""
    named = os.environ.get(PG_BIN_ENV)
    candidates = [Path(named)] if named else [Path(d) for d in DEFAULT_BIN_DIRS]
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    where = ", ".join(str(c) for c in candidates)
    raise PgUnavailable(
        f"PostgreSQL was asked for (--pg) but its server programs are not installed: no initdb/pg_ctl in {where} "
        f"(install Debian's postgresql package, or set {PG_BIN_ENV} or {PG_URL_ENV})"
    )


def _as_server_user(argv: list[str]) -> list[str]:
    # PostgreSQL will not run as root: the distribution's `postgres` user runs it instead.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, timeout=_START_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise PgUnavailable(f"PostgreSQL: {what} failed ({done.returncode}): {(done.stderr or done.stdout).strip()}")


@dataclass
class Server:
    """A throwaway server in ``folder`` (data in ``folder/data``, its socket in ``folder``)."""

    folder: Path
    bin_dir: Path
    stopped: bool = field(default=False)

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@/postgres?host={quote(str(self.folder), safe='/')}"

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        subprocess.run(
            _as_server_user([str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=_START_TIMEOUT_S,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server(bin_dir: Path | None = None, durable: bool = False) -> Server:
    """Start a throwaway server (see the module docstring); stopped by ``Server.stop`` or at exit.
    ``durable``: PostgreSQL's own settings (fsync, full_page_writes, synchronous_commit on), for benchmarks."""
    bin_dir = bin_dir or find_bin_dir()
    for program in ("initdb", "pg_ctl"):
        if not (bin_dir / program).is_file():
            raise PgUnavailable(f"PostgreSQL: no {program} in {bin_dir}")
    folder = Path(tempfile.mkdtemp(prefix="collectui-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = Server(folder, bin_dir)
    atexit.register(server.stop)
    try:
        data = folder / "data"
        # C collation: text sorts by code point, as in SQLite (the work list's key-prefix search relies on it).
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            "initdb",
        )
        settings = ("max_connections=200",) if durable else _TEST_SETTINGS
        options = " ".join([f"-k {folder}", "-c listen_addresses=''", *(f"-c {s}" for s in settings)])
        _run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                str(_START_TIMEOUT_S),
                "start",
            ],
            "pg_ctl start",
        )
    except BaseException:
        log = folder / "server.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        server.stop()
        if tail:
            raise PgUnavailable(f"PostgreSQL did not start; its log ends:\n{tail}") from None
        raise
    return server


def with_database(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name`` (the query, e.g. ``host=``, kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_execute(admin_url: str, *statements: str) -> None:
    """Run statements outside a transaction (CREATE/DROP DATABASE need that) on the admin URL."""
    import psycopg

    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
            for sql in statements:
                conn.execute(sql)  # type: ignore[arg-type]
    except psycopg.OperationalError as exc:
        raise PgUnavailable(f"PostgreSQL at {admin_url} does not answer: {exc}") from None


@dataclass
class Databases:
    """Test databases on one server: ``new()`` makes one from the template, ``drop(url)`` removes it."""

    admin_url: str
    template: str | None = None
    _numbers: Iterator[int] = field(default_factory=itertools.count)
    _prefix: str = field(default_factory=lambda: f"t{os.getpid()}_{uuid.uuid4().hex[:6]}_")
    _file_copy: bool | None = None

    def _create(self, name: str, template: str = "") -> None:
        """CREATE DATABASE; on PostgreSQL 15 or later by copying the template's files (29 ms here) rather than
        writing its every page to the WAL (71 ms, the default since 15: it saves a checkpoint on a big
        server, which this one, without fsync, does not need). Hundreds of tests make one each."""
        if self._file_copy is None:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as conn:
                self._file_copy = conn.info.server_version >= 150000
        strategy = " STRATEGY = FILE_COPY" if self._file_copy else ""
        source = f' TEMPLATE "{template}"' if template else ""
        admin_execute(self.admin_url, f'CREATE DATABASE "{name}"{source}{strategy}')

    def make_template(self, build: Callable[[str], None]) -> None:
        """Create the template database and let ``build(url)`` fill it (its connections closed after)."""
        name = f"{self._prefix}template"
        admin_execute(self.admin_url, f'DROP DATABASE IF EXISTS "{name}"')
        self._create(name)
        build(with_database(self.admin_url, name))
        self.template = name

    def new(self, from_template: bool = False) -> str:
        """A new database: empty, or a copy of the template (which must have been made)."""
        name = f"{self._prefix}{next(self._numbers)}"
        assert self.template or not from_template, "make_template first"
        self._create(name, self.template if from_template and self.template else "")
        return with_database(self.admin_url, name)

    def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        admin_execute(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> None:
        """Remove every database this object made (the template too): for a server that outlives the run."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            names = [
                r[0]
                for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (self._prefix + "%",))
            ]
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def wanted(config: object) -> bool:
    """Did this run ask for PostgreSQL only (``--pg`` or ``COLLECTUI_TEST_PG_URL``)?"""
    getoption = getattr(config, "getoption", None)
    return bool(os.environ.get(PG_URL_ENV)) or bool(getoption and getoption("--pg", default=False))


def open_databases() -> tuple[Databases, Callable[[], None]]:
    """The run's test databases and what closes them: on ``COLLECTUI_TEST_PG_URL`` if set, else on a server
    started here. Raises ``PgUnavailable`` (the caller fails the tests with it)."""
    external = os.environ.get(PG_URL_ENV)
    if external:
        admin_execute(external, "SELECT 1")
        found = Databases(external)
        return found, found.drop_all
    server = start_server()
    admin_execute(server.admin_url, "SELECT 1")
    return Databases(server.admin_url), server.stop


# ---- the pytest side: the option, the markers, the fixtures (registered by tests/conftest.py) ----------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pg",
        action="store_true",
        default=False,
        help=f"run the database tests on PostgreSQL (a throwaway server, or {PG_URL_ENV}); "
        "tests that do not use a database are deselected",
    )
    parser.addoption(
        "--both-engines",
        action="store_true",
        default=False,
        help="run every database test twice, on SQLite and on PostgreSQL (a throwaway server per worker), "
        "in one run; the rest runs once",
    )


def both_engines(config: pytest.Config) -> bool:
    """Did this run ask for every database test on both engines (``--both-engines``, not ``--pg``)?"""
    return bool(config.getoption("--both-engines", default=False)) and not wanted(config)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # --both-engines: a test whose database comes from `engine` (the `db` and `new_db_at` fixtures) runs once
    # per engine, so one xdist run packs both: the TUI tests' waits fill with PostgreSQL tests and back.
    if not both_engines(metafunc.config) or "engine" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only") or metafunc.definition.get_closest_marker("pg"):
        return
    metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pg: needs PostgreSQL (runs only with --pg or COLLECTUI_TEST_PG_URL)")
    config.addinivalue_line("markers", "sqlite_only: about SQLite files; not run on PostgreSQL")


def _on_postgresql(item: pytest.Item) -> bool:
    """Does this test exercise PostgreSQL under --pg: it asks for a database and is not about SQLite files?"""
    if item.get_closest_marker("sqlite_only"):
        return False
    names = getattr(item, "fixturenames", ())
    return item.get_closest_marker("pg") is not None or "db" in names or "new_db_at" in names


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if wanted(config):
        # A PostgreSQL run runs what can run on PostgreSQL; the rest is the SQLite run's.
        keep = [i for i in items if _on_postgresql(i)]
        dropped = [i for i in items if not _on_postgresql(i)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = keep
        return
    if both_engines(config):
        return
    skip = pytest.mark.skip(reason="PostgreSQL: run with --pg, --both-engines or COLLECTUI_TEST_PG_URL")
    for item in items:
        if item.get_closest_marker("pg"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[Databases]:
    """The run's PostgreSQL test databases; fails every test that needs them when there is no server."""
    try:
        found, close = open_databases()
    except PgUnavailable as exc:
        pytest.fail(f"PostgreSQL unavailable: {exc}", pytrace=False)
    try:
        yield found
    finally:
        close()


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The engine of this test's database: ``sqlite`` or ``postgresql`` (``--pg``, a ``pg`` test, or this
    test's ``--both-engines`` parameter)."""
    chosen = getattr(request, "param", None)
    if chosen:
        return str(chosen)
    return "postgresql" if wanted(request.config) or request.node.get_closest_marker("pg") else "sqlite"


@pytest.fixture
def pg_url(pg_databases: Databases) -> Iterator[str]:
    """The URL of an empty database of its own, dropped after the test."""
    url = pg_databases.new()
    yield url
    pg_databases.drop(url)


def _build_template(url: str) -> None:
    from collectui.storage.pg.database import PgDatabase

    db = PgDatabase(url)
    db.create_schema()  # kind "test", like the SQLite fixture's
    db.dispose()  # CREATE DATABASE ... TEMPLATE needs the template without connections


def own_id(db: Any) -> str:
    """Give a database copied from the template an id of its own, as every new database has (the audit key
    file and its per-process cache are looked up by ``db_id``). The connection stays in ``db``'s idle pool,
    so the test's first statement does not pay for a new one."""
    from collectui.storage.kind import META_DB_ID
    from collectui.storage.raw import set_meta_raw

    new_id = uuid.uuid4().hex
    with db.raw_write() as raw:
        set_meta_raw(raw, META_DB_ID, new_id)
    return new_id


@pytest.fixture
def pg_db(pg_databases: Databases) -> Iterator[Any]:
    """A ``PgDatabase`` of its own holding the newest schema (a copy of the run's template, with an id of its
    own), dropped after."""
    from collectui.storage.pg.database import PgDatabase

    if pg_databases.template is None:
        pg_databases.make_template(_build_template)
    url = pg_databases.new(from_template=True)
    db = PgDatabase(url)
    own_id(db)
    yield db
    db.dispose()
    pg_databases.drop(url)
