"""`collectui db copy SRC DST` end to end: a demo's SQLite file onto PostgreSQL (``--pg``) and into a new file;
who may do it (admins, signed in on SRC); the URL's password never printed nor recorded; refusals in one line."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.storage.locate import database_at
from tests.support.cli import sign_in
from tests.support.demo_bank import ADMIN, NOW, build_demo

FIXTURES = Path(__file__).parents[1] / "storage" / "fixtures"
SECRET = "s3cret-Pw"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("copy-cli") / "demo.db")


@pytest.fixture
def demo(demo_template, tmp_path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return path


def run(*args: str):
    return CliRunner().invoke(build_app(), list(args), env={"COLLECTUI_NOW": NOW})


def with_password(url: str) -> str:
    """The test server trusts local connections: the password is only there to be hidden."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.replace("@", f":{SECRET}@", 1), *parts[2:]))


def events(target: str | Path, action: str) -> list[tuple]:
    db = database_at(target)
    try:
        with db.raw_read() as raw:
            return [
                tuple(r)
                for r in raw.execute(
                    "SELECT actor, target_type, target_id, details FROM audit_event WHERE action = ?", (action,)
                )
            ]
    finally:
        db.dispose()


@pytest.mark.pg
def test_a_demo_onto_postgresql(demo, pg_url):
    sign_in(demo, ADMIN, NOW)
    target = with_password(pg_url)
    result = run("db", "copy", str(demo), target)
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output
    shown = pg_url  # the fixture's URL has no password: it is how the target is named
    assert f"copied {demo} to {shown}: 28 tables" in result.stdout
    assert "the audit chain verifies in the target" in result.stdout
    assert "customer: 20 rows in the source, 20 in the target" in result.stdout
    [(actor, kind, target_id, details)] = events(pg_url, "db.copied")
    assert (actor, kind, target_id) == (ADMIN, "database", shown)
    recorded = json.loads(details)
    assert recorded["source_engine"] == "sqlite" and recorded["source_kind"] == "demo"
    assert recorded["counts"]["customer"] == 20 and recorded["tables"] == 28
    assert SECRET not in details
    # A second copy into it is refused in one line, the target unchanged.
    again = run("db", "copy", str(demo), target)
    assert again.exit_code == 1 and "is not empty (28 of collectui's tables)" in again.stderr, again.output
    assert SECRET not in again.output and len(events(pg_url, "db.copied")) == 1
    # The copy is a collectui database like any other: the same command checks its trail there (after
    # signing in there: a sign-in is for one database, and the copy has the source's id).
    sign_in(pg_url, ADMIN, NOW)
    verify = run("--db", target, "audit", "verify")
    assert verify.exit_code == 0, verify.output
    assert SECRET not in verify.output


def test_into_a_new_file_in_chinese(demo, tmp_path):
    sign_in(demo, ADMIN, NOW)
    target = tmp_path / "copy.db"
    result = run("--lang", "zh", "db", "copy", str(demo), str(target))
    assert result.exit_code == 0, result.output
    assert f"已将 {demo} 复制到 {target}：28 张表" in result.stdout
    assert "customer：源 20 行，目标 20 行" in result.stdout
    assert [e[0] for e in events(target, "db.copied")] == [ADMIN]


def test_only_an_admin_may_copy(demo, tmp_path):
    sign_in(demo, "cg-supervisor", NOW)
    target = tmp_path / "copy.db"
    result = run("db", "copy", str(demo), str(target))
    assert result.exit_code == 1 and "may not do this" in result.stderr, result.output
    assert not target.exists()
    conn = sqlite3.connect(demo)
    try:
        denied = conn.execute("SELECT actor, target_id FROM audit_event WHERE action = 'access.denied'").fetchall()
    finally:
        conn.close()
    assert denied == [("cg-supervisor", "db.copy")]


def test_who_acts_is_signed_in_on_the_source(demo, tmp_path):
    result = run("db", "copy", str(demo), str(tmp_path / "copy.db"))
    assert result.exit_code == 4 and result.stderr.strip() == "error: not signed in: run `collectui login`"


def test_an_older_source_is_sent_to_migrate_first(tmp_path):
    old = tmp_path / "v4.db"
    conn = sqlite3.connect(old)
    conn.executescript((FIXTURES / "schema-v4.sql").read_text(encoding="utf-8"))
    conn.close()
    before = old.read_bytes()
    result = run("db", "copy", str(old), str(tmp_path / "new.db"))
    assert result.exit_code == 1, result.output
    assert "run `collectui db migrate` on the source first" in result.stderr
    assert old.read_bytes() == before and not (tmp_path / "new.db").exists()


def test_a_file_already_there_is_refused(demo, tmp_path):
    sign_in(demo, ADMIN, NOW)
    target = tmp_path / "there.db"
    shutil.copy(demo, target)
    result = run("db", "copy", str(demo), str(target))
    assert result.exit_code == 1 and "is not empty (a file is there)" in result.stderr, result.output
    assert target.read_bytes() == demo.read_bytes()
