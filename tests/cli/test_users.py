"""`collectui users add|passwd` and `init`: a refused run leaves nothing behind, and the length rule is checked
on the first entry of a password (at a terminal, before "Repeat" is asked; with --password-stdin, at once)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.cli.commands import init as init_cmd
from collectui.cli.commands import users as users_cli
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.domain.staff import users
from collectui.storage.locate import database_at, is_url
from tests.support.cli import PASSWORD, SYSTEM, sign_in
from tests.support.clock import NOW, TZ

WHEN = "2026-11-28T10:00:00+08:00"
NOT_A_TERMINAL = "stdin is not a terminal: pass --password-stdin to read the password from it"
TOO_SHORT = "error: password must be at least 8 characters"

pytestmark = pytest.mark.usefixtures("cheap_hasher")


@pytest.fixture
def path(new_db_at):
    """A test database with an admin (root, signed in) and a collector (amy): a file or a PostgreSQL URL."""
    db_path = new_db_at("bank.db")
    db = database_at(db_path)
    db.create_schema()
    ctx = Ctx(db, FixedClock(NOW, TZ), Policy())
    users.add_user(ctx, SYSTEM, "root", "admin", None, PASSWORD)
    users.add_user(ctx, SYSTEM, "amy", "collector", "东城支行", PASSWORD)
    db.dispose()
    sign_in(db_path, "root")
    return db_path


@pytest.fixture
def terminal(monkeypatch):
    """Standard input is a terminal: the password is asked (hidden) and read from the runner's input."""
    monkeypatch.setattr(users_cli, "stdin_is_terminal", lambda: True)


def run(db_path, *args, input=None, now=WHEN):
    env = {"COLLECTUI_NOW": now} if now else {}
    return CliRunner().invoke(build_app(), ["--db", str(db_path), *args], env=env, input=input)


def init(db_path, *args, input=None):
    """`init` runs on the real clock (a production database refuses COLLECTUI_NOW)."""
    return run(db_path, "init", "--admin", "root", *args, input=input, now=None)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def made(target: str) -> bool:
    """Is there a database at ``target`` now: the file, or on PostgreSQL any table in the (empty) database."""
    if not is_url(target):
        return Path(target).exists()
    db = database_at(target)
    try:
        return db.exists
    finally:
        db.dispose()


def state_of(target: str, folder: Path) -> object:
    """What a refused command must leave as it was: on SQLite every file of ``folder`` byte for byte; on
    PostgreSQL every row of every table with its row version (``xmin``): a row written again with the same
    values (the login session's last use at the same instant) is a new version."""
    if not is_url(target):
        return snapshot(folder)
    db = database_at(target)
    try:
        with db.raw_read() as raw:
            tables = [
                r[0]
                for r in raw.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                    "AND table_type = 'BASE TABLE' ORDER BY table_name"
                ).fetchall()
            ]
            return {
                t: sorted(repr(tuple(r)) for r in raw.execute(f"SELECT xmin::text, * FROM {t}").fetchall())
                for t in tables
            }
    finally:
        db.dispose()


def key_files() -> list[str]:
    keys = Path(os.environ["COLLECTUI_STATE_DIR"]) / "keys"
    return sorted(p.name for p in keys.iterdir()) if keys.exists() else []


def test_without_a_terminal_nothing_is_created_or_touched(new_db_at, tmp_path, path):
    """Refused before the database is opened: no new file at a missing path (no table in an empty PostgreSQL
    database), and an existing database (and its folder) as before, not even the session's last use written."""
    missing = new_db_at(str(Path("new") / "none.db"))
    for args in (("users", "add", "bo", "--role", "collector", "--branch", "东城支行"), ("users", "passwd", "amy")):
        refused = run(missing, *args, input=f"{PASSWORD}\n{PASSWORD}\n")
        assert refused.exit_code == 2 and refused.stderr.strip() == f"error: {NOT_A_TERMINAL}", refused.output
        assert not made(missing) and not (tmp_path / "new").exists()
    refused = init(missing)
    assert refused.exit_code == 2 and refused.stderr.strip() == f"error: {NOT_A_TERMINAL}", refused.output
    assert not made(missing) and not (tmp_path / "new").exists() and key_files() == []
    before = state_of(path, tmp_path)
    for args in (("users", "add", "bo", "--role", "collector", "--branch", "东城支行"), ("users", "passwd", "amy")):
        refused = run(path, *args)
        assert refused.exit_code == 2 and refused.stderr.strip() == f"error: {NOT_A_TERMINAL}", refused.output
        assert state_of(path, tmp_path) == before
    assert "bo" not in run(path, "users", "list", "--format", "csv").stdout


def test_a_short_password_is_refused_on_the_first_entry(terminal, new_db_at, path):
    for args in (("users", "add", "bo", "--role", "collector", "--branch", "东城支行"), ("users", "passwd", "amy")):
        short = run(path, *args, input="short\n")
        assert short.exit_code == 1 and short.stderr.strip().endswith(TOO_SHORT), short.output
        assert "Password" in short.stderr and "Repeat" not in short.stderr
    new = new_db_at("prod.db")
    short = init(new, input="short\n")
    assert short.exit_code == 1 and short.stderr.strip().endswith(TOO_SHORT), short.output
    assert "Repeat" not in short.stderr and not made(new) and key_files() == []
    # Eight characters pass the first entry; then the two entries must agree.
    differ = run(
        path, "users", "add", "bo", "--role", "collector", "--branch", "东城支行", input="12345678\n1234567x\n"
    )
    assert differ.exit_code == 1 and "Repeat" in differ.stderr and "the two passwords differ" in differ.stderr
    assert "bo," not in run(path, "users", "list", "--format", "csv").stdout
    added = run(path, "users", "add", "bo", "--role", "collector", "--branch", "东城支行", input="12345678\n12345678\n")
    assert added.exit_code == 0 and "created collector bo" in added.stdout, added.output
    created = init(new, input="12345678\n12345678\n")
    assert created.exit_code == 0 and "created production database" in created.stdout, created.output
    assert made(new)


def test_a_short_password_on_stdin_is_refused_and_nothing_made(new_db_at, path):
    new = new_db_at("prod.db")
    short = init(new, "--password-stdin", input="1234567\n")
    assert short.exit_code == 1 and short.stderr.strip() == TOO_SHORT and not made(new) and key_files() == []
    add = run(
        path, "users", "add", "bo", "--role", "collector", "--branch", "东城支行", "--password-stdin", input="x\n"
    )
    assert add.exit_code == 1 and add.stderr.strip() == TOO_SHORT
    assert "bo," not in run(path, "users", "list", "--format", "csv").stdout
    passwd = run(path, "users", "passwd", "amy", "--password-stdin", input="1234567\n")
    assert passwd.exit_code == 1 and passwd.stderr.strip() == TOO_SHORT
    assert run(path, "login", "amy", "--password-stdin", input=PASSWORD + "\n").exit_code == 0  # unchanged


def test_init_refuses_before_the_password_is_asked(terminal, new_db_at, tmp_path):
    """A bad username or a --policy file is refused before anyone types a password."""
    new = new_db_at("prod.db")
    bad_name = run(new, "init", "--admin", "ro ot", input="", now=None)
    assert bad_name.exit_code == 1 and "username" in bad_name.stderr and "Password" not in bad_name.stderr
    policy = tmp_path / "policy.toml"
    policy.write_text('bank_name = "某某县农村商业银行"\n', encoding="utf-8")
    with_policy = CliRunner().invoke(
        build_app(), ["--db", str(new), "--policy", str(policy), "init", "--admin", "root"], input=""
    )
    assert with_policy.exit_code == 2 and "--policy: not for init" in with_policy.stderr, with_policy.output
    assert "Password" not in with_policy.stderr and not made(new)


def test_a_failed_init_removes_the_new_database_and_its_key(monkeypatch, new_db_at, tmp_path):
    def refuse(*args, **kwargs):
        raise InvalidInput("refused for the test")

    monkeypatch.setattr(init_cmd, "add_user", refuse)
    new = new_db_at("prod.db")
    failed = init(new, "--password-stdin", input=PASSWORD + "\n")
    assert failed.exit_code == 1 and "refused for the test" in failed.stderr, failed.output
    # No file (nor -wal, -shm) on SQLite; on PostgreSQL the schema was rolled back with the admin.
    assert not made(new) and sorted(p.name for p in tmp_path.iterdir()) == [] and key_files() == []


def test_a_new_password_at_login_is_checked_on_the_first_entry(terminal, path):
    """amy's password was set by an admin: at her sign-in the new one's length is checked before "Repeat"."""
    assert run(path, "users", "passwd", "amy", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    short = run(path, "login", "amy", input=f"{PASSWORD}\nshort\n")
    assert short.exit_code == 1 and short.stderr.strip().endswith(TOO_SHORT), short.output
    assert "New password" in short.stderr and "Repeat" not in short.stderr


def test_accounts_and_sign_in_speak_chinese_when_asked(path, new_db_at):
    added = run(
        path,
        "--lang",
        "zh",
        "users",
        "add",
        "wu",
        "--role",
        "collector",
        "--branch",
        "新街支行",
        "--password-stdin",
        input="longpassword-1\n",
    )
    assert added.exit_code == 0, added.output
    assert "已创建催收员 wu" in added.stdout
    assert "注意：支行 新街支行 是新建的；已有支行：东城支行" in added.stderr
    signed = run(path, "--lang", "zh", "login", "amy", "--password-stdin", input=f"{PASSWORD}\n")
    assert signed.exit_code == 0 and "已登录：amy（催收员）；会话最晚于" in signed.stdout
    fresh = new_db_at(str(Path("fresh") / "bank.db"))
    made = run(fresh, "--lang", "zh", "init", "--admin", "root", "--password-stdin", input="longpassword-1\n", now=None)
    assert made.exit_code == 0, made.output
    assert f"已创建正式数据库 {fresh}，管理员 root" in made.stdout and "下一步：" in made.stdout
