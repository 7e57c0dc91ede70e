"""The throwaway PostgreSQL of the tests (tests/support/pg.py): it starts and answers; a missing one fails
loudly, never a silent skip."""

from __future__ import annotations

import pytest

from tests.support import pg


def test_missing_server_programs_fail_loudly(tmp_path, monkeypatch):
    monkeypatch.setenv(pg.PG_BIN_ENV, str(tmp_path))
    with pytest.raises(pg.PgUnavailable, match=r"not installed: no initdb/pg_ctl in .*--pg|--pg.*not installed"):
        pg.find_bin_dir()
    with pytest.raises(pg.PgUnavailable, match="no initdb"):
        pg.start_server(tmp_path)


def test_a_server_that_does_not_answer_fails_loudly(tmp_path):
    # A socket folder with no server in it: the connection is refused, and the error says where.
    url = f"postgresql://postgres@/postgres?host={tmp_path}"
    with pytest.raises(pg.PgUnavailable, match="does not answer"):
        pg.admin_execute(url, "SELECT 1")


def test_without_the_option_postgresql_is_not_wanted(pytestconfig, monkeypatch):
    monkeypatch.delenv(pg.PG_URL_ENV, raising=False)
    monkeypatch.setattr(pytestconfig.option, "pg", False)
    assert not pg.wanted(pytestconfig)
    monkeypatch.setenv(pg.PG_URL_ENV, "postgresql://x@/y")
    assert pg.wanted(pytestconfig)


def test_database_name_is_swapped_in_the_url_keeping_the_socket():
    url = "postgresql://postgres@/postgres?host=/tmp/collectui-pg-1"
    assert pg.with_database(url, "t1_5") == "postgresql://postgres@/t1_5?host=/tmp/collectui-pg-1"


@pytest.mark.pg
def test_server_starts_and_answers(pg_url):
    import psycopg

    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.execute("SHOW fsync").fetchone() in {("off",), ("on",)}  # on for an outside server


@pytest.mark.pg
def test_each_test_database_is_its_own(pg_databases):
    import psycopg

    first, second = pg_databases.new(), pg_databases.new()
    try:
        with psycopg.connect(first, autocommit=True) as conn:
            conn.execute("CREATE TABLE only_here (x int)")
        with psycopg.connect(second) as conn:
            assert conn.execute("SELECT to_regclass('only_here')").fetchone() == (None,)
    finally:
        pg_databases.drop(first)
        pg_databases.drop(second)


def test_a_pg_run_without_postgresql_fails_instead_of_skipping(tmp_path):
    # The whole chain: `pytest --pg` on a machine without the server programs errors the test that needs
    # PostgreSQL, names why, and exits non-zero; nothing is reported as skipped.
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).parents[2]
    env = {k: v for k, v in os.environ.items() if k != pg.PG_URL_ENV}
    env[pg.PG_BIN_ENV] = str(tmp_path)  # no initdb there
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--pg",
         "tests/storage/test_pg_server.py::test_server_starts_and_answers"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout
    assert "PostgreSQL unavailable" in done.stdout and "not installed" in done.stdout
    assert "ERROR tests/storage/test_pg_server.py::test_server_starts_and_answers" in done.stdout
    assert "skipped" not in done.stdout
