"""`collectui login|logout|whoami|token|init|users` on a database (a file; a PostgreSQL URL under --pg), as a
person at a branch PC would."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.staff import users
from collectui.storage.locate import database_at
from tests.support.cli import PASSWORD, SYSTEM, db_arg, sign_in, token_env
from tests.support.clock import NOW, TZ
from tests.support.engines import holds_database

WHEN = "2026-11-28T10:00:00+08:00"


pytestmark = pytest.mark.usefixtures("cheap_hasher")


@pytest.fixture
def path(db):
    ctx = Ctx(db, FixedClock(NOW, TZ), Policy())
    users.add_user(ctx, SYSTEM, "root", "admin", None, PASSWORD)
    users.add_user(ctx, SYSTEM, "amy", "collector", "东城支行", PASSWORD)
    return db_arg(db)


def run(path, *args, input=None, now=WHEN, env=None):
    return CliRunner().invoke(
        build_app(), ["--db", str(path), *args], env={"COLLECTUI_NOW": now, **(env or {})}, input=input
    )


def test_login_whoami_logout(path):
    assert run(path, "whoami").exit_code == 4
    wrong = run(path, "login", "amy", "--password-stdin", input="nope-nope\n")
    assert wrong.exit_code == 1 and "wrong username or password" in wrong.stderr
    ok = run(path, "login", "amy", "--password-stdin", input=PASSWORD + "\n")
    assert ok.exit_code == 0 and "signed in as amy (collector)" in ok.stdout
    who = run(path, "whoami", "--format", "json")
    assert who.exit_code == 0, who.output
    assert '"name": "amy"' in who.stdout and '"via": "session"' in who.stdout and "2026-11-28 10:30" in who.stdout
    assert run(path, "whoami", now="2026-11-28T10:31:00+08:00").exit_code == 4  # idle 30 min: over
    run(path, "login", "--password-stdin", input=f"amy\n{PASSWORD}\n")  # the username from stdin too
    assert "signed out amy" in run(path, "logout").stdout
    assert run(path, "whoami").exit_code == 4


def test_lockout_holds_across_processes(path):
    env = dict(os.environ, COLLECTUI_NOW=WHEN)

    def login(password):
        return subprocess.run(
            [sys.executable, "-m", "collectui", "--db", str(path), "login", "amy", "--password-stdin"],
            input=password + "\n",
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    for attempt in range(1, 6):
        wrong = login("wrong-password")
        assert wrong.returncode == 1
        now_locked = "the account is now locked for 15 min" in wrong.stderr
        assert "wrong username or password" in wrong.stderr and now_locked == (attempt == 5), wrong.stderr
    locked = login(PASSWORD)
    assert locked.returncode == 1 and "locked; try again in 15 min" in locked.stderr
    # The override clock may not lift it on a test database either: the lockout is in the database,
    # measured by the clock; 15 minutes later it is over.
    env["COLLECTUI_NOW"] = "2026-11-28T10:15:01+08:00"
    assert login(PASSWORD).returncode == 0


def test_a_password_set_by_an_admin_is_changed_at_the_next_login(path):
    sign_in(path, "root")
    assert run(path, "users", "passwd", "amy", "--password-stdin", input="temporary-1\n").exit_code == 0
    listed = run(path, "users", "list", "--format", "json").stdout
    assert '"must_change_password": true' in listed
    missing = run(path, "login", "amy", "--password-stdin", input="temporary-1\n")
    assert missing.exit_code == 1 and "new password" in missing.stderr
    changed = run(path, "login", "amy", "--password-stdin", input="temporary-1\nmy-own-secret\n")
    assert changed.exit_code == 0 and "choose your own" in changed.stdout, changed.output
    assert run(path, "logout").exit_code == 0
    assert run(path, "login", "amy", "--password-stdin", input="my-own-secret\n").exit_code == 0


def test_deactivating_a_user_ends_their_session(path):
    sign_in(path, "amy")
    assert run(path, "whoami").exit_code == 0
    # The admin acts from elsewhere (here: a token, since this OS user's session is amy's).
    admin = token_env(path, "admin-desk", "admin", scopes="users.manage")
    assert run(path, "users", "deactivate", "amy", env=admin).exit_code == 0
    result = run(path, "whoami")
    assert result.exit_code == 4 and "deactivated" in result.stderr
    assert run(path, "users", "reactivate", "amy", env=admin).exit_code == 0
    assert run(path, "whoami").exit_code == 4  # reactivation does not revive the session
    assert run(path, "users", "deactivate", "root", env=admin).exit_code == 1  # the last admin stays


def test_tokens_through_the_cli(path):
    sign_in(path, "root")
    created = run(path, "token", "create", "dialler", "--role", "collector", "--branch", "东城支行",
                  "--scope", "check,call.log", "--expires", "2026-11-30")  # fmt: skip
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert "not shown again" in created.stderr and secret.startswith("cut_")
    assert secret not in run(path, "token", "list", "--format", "json").stdout
    env = {"COLLECTUI_TOKEN": secret}
    who = run(path, "whoami", "--format", "csv", env=env)
    assert (
        who.exit_code == 0 and 'token:dialler,collector,东城支行,token,"call.log,check",2026-12-01 00:00' in who.stdout
    )
    assert run(path, "whoami", env=env, now="2026-12-01T00:00:00+08:00").exit_code == 4  # expired
    assert run(path, "users", "list", env=env).exit_code == 1  # outside the scope (and the role)
    assert run(path, "token", "revoke", "dialler").exit_code == 0
    revoked = run(path, "whoami", env=env)
    assert revoked.exit_code == 4 and "revoked" in revoked.stderr
    bad = run(path, "token", "create", "x", "--role", "collector", "--branch", "b", "--scope", "everything",
              "--expires", "2026-12-31")  # fmt: skip
    assert bad.exit_code == 1 and "unknown scope 'everything'" in bad.stderr


def test_init_creates_a_production_database_with_its_first_admin(new_db_at):
    path = new_db_at("bank.db")
    result = CliRunner().invoke(
        build_app(), ["--db", str(path), "init", "--admin", "root", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    db = database_at(path)
    try:
        assert db.kind() == "production"
    finally:
        db.dispose()
    again = CliRunner().invoke(
        build_app(), ["--db", str(path), "init", "--admin", "root", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert again.exit_code == 1 and "already exists" in again.stderr
    signed = CliRunner().invoke(
        build_app(), ["--db", str(path), "login", "root", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert signed.exit_code == 0 and "signed in as root (admin)" in signed.stdout, signed.output
    other = new_db_at("b.db")
    short = CliRunner().invoke(
        build_app(), ["--db", other, "init", "--admin", "root", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1 and not holds_database(other)


def test_init_refuses_a_moved_clock_and_keys_the_trail_from_the_start(new_db_at):
    path = new_db_at("bank.db")
    moved = CliRunner().invoke(
        build_app(),
        ["--db", str(path), "init", "--admin", "root", "--password-stdin"],
        input=PASSWORD + "\n",
        env={"COLLECTUI_NOW": WHEN},
    )
    assert moved.exit_code == 2 and "COLLECTUI_NOW" in moved.stderr and not holds_database(path)
    made = CliRunner().invoke(
        build_app(), ["--db", str(path), "init", "--admin", "root", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert made.exit_code == 0 and "audit key:" in made.stdout, made.output


NOT_A_TERMINAL = "stdin is not a terminal: pass --password-stdin to read the password from it"


def test_piped_passwords_need_password_stdin(new_db_at, path):
    """Without --password-stdin a password is asked at a terminal only: piped input is refused in one line,
    before getpass could read it and warn "Can not control echo on the terminal"."""
    new = new_db_at("new.db")
    piped = subprocess.run(
        [sys.executable, "-m", "collectui", "--db", str(new), "init", "--admin", "root"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 2, piped.stderr
    assert piped.stderr.strip().splitlines() == [f"error: {NOT_A_TERMINAL}"]
    assert "Warning" not in piped.stderr and not holds_database(new)
    both = f"{PASSWORD}\n{PASSWORD}\n"
    assert run(path, "login", "amy", input=both).stderr.strip() == f"error: {NOT_A_TERMINAL}"
    assert run(path, "login", input=f"amy\n{PASSWORD}\n").exit_code == 2
    assert run(path, "whoami").exit_code == 4
    sign_in(path, "root")
    for args in (("users", "add", "bo", "--role", "collector"), ("users", "passwd", "amy")):
        refused = run(path, *args, input=both)
        assert refused.exit_code == 2 and refused.stderr.strip() == f"error: {NOT_A_TERMINAL}", refused.output
    assert run(path, "login", "amy", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
