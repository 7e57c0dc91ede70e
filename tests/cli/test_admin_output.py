"""What a new admin reads: times in the bank's zone to the minute (token list, login, whoami), a note when
`users add` makes a new branch, and tokens refused for an unknown branch or a scope beyond their role."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.staff import users
from tests.support.cli import PASSWORD, SYSTEM, db_arg, sign_in
from tests.support.clock import NOW, TZ

WHEN = "2026-12-03T18:06:53.474279+00:00"  # 2026-12-04 02:06 in the bank's zone (Asia/Shanghai)


pytestmark = pytest.mark.usefixtures("cheap_hasher")


@pytest.fixture
def path(db):
    ctx = Ctx(db, FixedClock(NOW, TZ), Policy())
    users.add_user(ctx, SYSTEM, "root", "admin", None, PASSWORD)
    users.add_user(ctx, SYSTEM, "amy", "collector", "城关支行", PASSWORD)
    sign_in(db_arg(db), "root", WHEN)
    return db_arg(db)


def run(path, *args, input=None, env=None):
    return CliRunner().invoke(
        build_app(), ["--db", str(path), *args], env={"COLLECTUI_NOW": WHEN, **(env or {})}, input=input
    )


def test_token_list_shows_local_minutes_like_whoami(path):
    made = run(path, "token", "create", "dialler", "--role", "collector", "--branch", "城关支行",
               "--scope", "check,call.log", "--expires", "2027-06-30")  # fmt: skip
    assert made.exit_code == 0, made.output
    listed = run(path, "token", "list", "--format", "csv")
    assert listed.exit_code == 0, listed.output
    assert "2026-12-04 02:06 +08:00,2027-07-01 00:00 +08:00" in listed.stdout
    assert "+00:00" not in listed.stdout and "474279" not in listed.stdout
    [row] = json.loads(run(path, "token", "list", "--format", "json").stdout)
    assert (row["created_at"], row["expires_at"]) == ("2026-12-04T02:06:53+08:00", "2027-07-01T00:00:00+08:00")
    who = run(path, "whoami", "--format", "json", env={"COLLECTUI_TOKEN": made.stdout.strip()})
    assert json.loads(who.stdout)[0]["expires"] == "2027-07-01 00:00 +08:00"


def test_login_and_whoami_name_the_zone(path):
    signed = run(path, "login", "amy", "--password-stdin", input=f"{PASSWORD}\n")
    assert signed.exit_code == 0, signed.output
    assert "session ends by 2026-12-04 " in signed.stdout and signed.stdout.rstrip().endswith("+08:00")
    who = json.loads(run(path, "whoami", "--format", "json").stdout)[0]
    assert who["name"] == "amy" and who["expires"].endswith(" +08:00")


def test_users_add_notes_a_new_branch_and_tokens_refuse_one(path):
    typo = run(path, "users", "add", "typo.user", "--role", "collector", "--branch", "城关之行",
               "--password-stdin", input="a-long-password\n")  # fmt: skip
    assert typo.exit_code == 0, typo.output
    assert typo.stderr == "note: branch 城关之行 is new; existing branches: 城关支行\n"
    same = run(path, "users", "add", "li", "--role", "collector", "--branch", "城关支行",
               "--password-stdin", input="a-long-password\n")  # fmt: skip
    assert same.exit_code == 0 and "note:" not in same.stderr
    unknown = run(path, "token", "create", "t5", "--role", "collector", "--branch", "不存在",
                  "--scope", "check", "--expires", "2027-06-30")  # fmt: skip
    assert unknown.exit_code == 1
    assert unknown.stderr == "error: no branch 不存在; branches: 城关之行, 城关支行\n"
    beyond = run(path, "token", "create", "t6", "--role", "collector", "--branch", "城关支行",
                 "--scope", "import", "--expires", "2027-06-30")  # fmt: skip
    assert beyond.exit_code == 1 and beyond.stderr == "error: scope import is beyond the role collector\n"
    assert json.loads(run(path, "token", "list", "--format", "json").stdout) == []
