"""The CLI on a PostgreSQL database named by URL (`--db postgresql://...` or COLLECTUI_DB): init, sign-in,
a command, `db migrate`; the SQLite-file commands refuse it with one line (these need --pg:
tests/support/pg.py). `db migrate` on a SQLite file too."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.storage.locate import database_at
from collectui.storage.version import LATEST_VERSION

SECRET = "a long enough password 1"


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    # A production database (`init`) runs on the real clock: no COLLECTUI_NOW.
    return CliRunner().invoke(build_app(), list(args), input=stdin, env={"COLLECTUI_NOW": None, **(env or {})})


@pytest.mark.pg
def test_init_then_sign_in_and_work_on_a_url(pg_url):
    made = run("--db", pg_url, "init", "--admin", "root", "--password-stdin", stdin=SECRET + "\n")
    assert made.exit_code == 0, made.output
    shown = pg_url.split("?")[0]
    assert shown in made.output and "root" in made.output
    db = database_at(pg_url)
    assert db.kind() == "production" and db.schema_version() == LATEST_VERSION
    db.dispose()
    again = run("--db", pg_url, "init", "--admin", "root", "--password-stdin", stdin=SECRET + "\n")
    assert again.exit_code != 0 and "already exists" in again.output
    login = run("login", "root", "--password-stdin", stdin=SECRET + "\n", env={"COLLECTUI_DB": pg_url})
    assert login.exit_code == 0, login.output
    who = run("--db", pg_url, "whoami")
    assert who.exit_code == 0 and "root" in who.output, who.output
    users = run("--db", pg_url, "users", "list")
    assert users.exit_code == 0 and "root" in users.output, users.output


@pytest.mark.pg
def test_db_migrate_says_the_version_and_file_commands_refuse_a_url(pg_url):
    db = database_at(pg_url)
    db.create_schema()
    db.dispose()
    result = run("--db", pg_url, "db", "migrate")
    assert result.exit_code == 0, result.output
    assert f"schema version {LATEST_VERSION}, already current" in result.output and "postgresql://" in result.output
    backup = run("--db", pg_url, "db", "backup", "x.db")
    assert backup.exit_code == 2 and "pg_dump" in backup.output and "Traceback" not in backup.output


@pytest.mark.pg
def test_a_database_without_collectui_is_refused_with_one_line(pg_url):
    result = run("--db", pg_url, "queue")
    assert result.exit_code != 0 and "no collectui database" in result.output
    assert database_at(pg_url).schema_version() is None  # nothing was created


@pytest.mark.pg
def test_the_demo_is_a_sqlite_file_and_says_so(pg_url):
    result = run("--db", pg_url, "demo", env={"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"})
    assert result.exit_code == 2 and "SQLite file" in result.output and "Traceback" not in result.output
    assert database_at(pg_url).schema_version() is None


def test_db_migrate_upgrades_an_older_sqlite_file_and_says_so(tmp_path):
    # The same command on the other engine: a SQLite file one version behind (its last step's tables gone).
    import sqlite3

    from collectui.storage.engine import Database

    path = tmp_path / "bank.db"
    Database(path).create_schema()
    conn = sqlite3.connect(path)
    for table in ("certification", "quiz_attempt", "training_attempt"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(LATEST_VERSION - 1),))
    conn.commit()
    conn.close()
    result = run("--db", str(path), "db", "migrate", env={"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"})
    assert result.exit_code == 0, result.output
    assert f"upgraded from version {LATEST_VERSION - 1} to {LATEST_VERSION}" in result.output
    assert Database(path).schema_version() == LATEST_VERSION


@pytest.mark.pg
def test_the_tui_on_an_empty_database_names_the_url_and_offers_no_demo(pg_url):
    with_password = pg_url.replace("postgres@", "postgres:hush@", 1)
    for args in (("--db", with_password), ("--db", with_password, "tui"), ("--db", with_password, "queue")):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert f"{pg_url}: no collectui database there (create one with `collectui init`)" in result.output
        assert "hush" not in result.output and "demo" not in result.output and "state" not in result.output
    zh = run("--lang", "zh", "--db", with_password)
    assert zh.exit_code == 1 and f"{pg_url}：这里没有 collectui 数据库" in zh.output, zh.output
    assert database_at(pg_url).schema_version() is None  # nothing was created


def test_a_server_that_cannot_be_reached_is_not_called_an_empty_database(tmp_path):
    nowhere = f"postgresql://bank:hush@/bank?host={tmp_path}"  # no server listens on this socket folder
    for args in (("--db", nowhere), ("--db", nowhere, "queue")):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert f"postgresql://bank@/bank?host={tmp_path}: cannot connect to the PostgreSQL server (" in result.output
        assert "no collectui database" not in result.output and "hush" not in result.output
    zh = run("--lang", "zh", "--db", nowhere, "queue")
    assert zh.exit_code == 1 and "无法连接 PostgreSQL 服务器" in zh.output, zh.output


def test_init_on_a_server_that_cannot_be_reached_says_so_before_asking_for_a_password(tmp_path):
    nowhere = f"postgresql://bank:hush@/bank?host={tmp_path}"
    result = run("--db", nowhere, "init", "--admin", "boss", "--password-stdin", stdin="a-long-password\n")
    assert result.exit_code == 1, result.output
    assert f"postgresql://bank@/bank?host={tmp_path}: cannot connect to the PostgreSQL server (" in result.output
    assert "password" not in result.output and "hush" not in result.output
    # Without --password-stdin and no terminal, the refusal is still the server's, not the missing terminal's.
    bare = run("--lang", "zh", "--db", nowhere, "init", "--admin", "boss")
    assert bare.exit_code == 1 and "无法连接 PostgreSQL 服务器" in bare.output, bare.output


def test_a_url_without_the_postgresql_extra_says_how_to_install_it(monkeypatch):
    from collectui.storage import locate

    monkeypatch.setattr(locate, "find_spec", lambda name: None)  # as if psycopg were not installed
    for args in (("--db", "postgresql://bank@/bank", "queue"), ("--db", "postgresql://bank@/bank")):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert "PostgreSQL support is not installed here: pip install 'collectui[postgresql]'" in result.output
        assert "Traceback" not in result.output
    zh = run("--lang", "zh", "--db", "postgresql://bank@/bank", "init", "--admin", "boss")
    assert zh.exit_code == 1 and "此处未安装 PostgreSQL 支持" in zh.output, zh.output
