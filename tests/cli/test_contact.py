"""`collectui contact add/list/mark` and `collectui hours`: output, masking, exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.storage.models import CallAttempt
from tests.support.calls import calls_policy, seed
from tests.support.cli import db_arg, sign_in
from tests.support.clock import NOW, TZ
from tests.support.engines import rows

runner = CliRunner()
WHEN = "2026-11-28T10:00:00+08:00"


@pytest.fixture
def bank(db):
    """C1 (own number 13812340001, spouse K1) of 东城支行, collector amy, supervisor sue; call 1 with C1."""
    ctx = Ctx(db, FixedClock(NOW, TZ), calls_policy())
    seed(ctx)
    with db.write() as s:
        s.add(CallAttempt(id=1, customer_id="C1", phone="13812340001", user_id=1, status="logged", started_at=NOW,
                          outcome="no_answer"))  # fmt: skip
    return db_arg(db)


def run(path, user, *args):
    sign_in(path, user, WHEN)
    return runner.invoke(build_app(), ["--db", str(path), *args], env={"COLLECTUI_NOW": WHEN})


def q(path, sql):
    return rows(path, sql)


def test_add_a_number_and_a_third_party_then_list_them_masked(bank):
    added = run(bank, "amy", "contact", "add", "C1", "--phone", "139 1234 5678", "--call", "1")
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == "contact N-C1-1 added for C1 (unverified, from call 1)"
    third = run(
        bank, "amy", "contact", "add", "C1", "--phone", "13700001111", "--name", "钱七", "--relation", "guarantor"
    )
    assert third.exit_code == 0 and "N-C1-2 added for C1 (unverified, added by staff)" in third.stdout
    listed = run(bank, "amy", "contact", "list", "C1", "--format", "json")
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert [(r["contact"], r["relation"], r["name"], r["phone"], r["unverified"], r["from_call"]) for r in data] == [
        ("debtor", None, "李*", "138****0001", False, None),
        ("N-C1-1", "self", "李*", "139****5678", True, 1),
        ("K1", "spouse", "王*", "139****0001", False, None),
        ("N-C1-2", "guarantor", "钱*", "137****1111", True, None),
    ]
    assert data[1]["added_by"] == "amy" and data[1]["added_at"] == "2026-11-28T10:00+08:00"
    table = run(bank, "amy", "contact", "list", "C1")
    assert table.exit_code == 0 and "139****5678" in table.stdout and "unverified, from call 1" in table.stdout
    assert "(own number)" in table.stdout
    for out in (listed.stdout, table.stdout):
        assert "13912345678" not in out and "钱七" not in out


@pytest.mark.parametrize(
    "args, code, fragment",
    [
        (("--phone", "13812340001"), 1, "already the borrower's own number"),
        (("--phone", "12345"), 1, "phone: expected a mobile"),
        (("--phone", "13700001111", "--relation", "spouse"), 2, "--relation goes with --name"),
        (("--phone", "13700001111", "--name", "钱七"), 2, "a third party needs --relation"),
        (("--phone", "13700001111", "--name", "钱七", "--relation", "friend"), 1, "relation: expected one of"),
        (("--phone", "13700001111", "--call", "9"), 1, "no call 9"),
    ],
)
def test_add_refusals_are_one_line(bank, args, code, fragment):
    result = run(bank, "amy", "contact", "add", "C1", *args)
    assert result.exit_code == code, result.output
    assert fragment in result.stderr and "Traceback" not in result.output
    assert q(bank, "SELECT count(*) FROM contact") == [(1,)]


def test_mark_invalid_and_valid_again(bank):
    marked = run(bank, "sue", "contact", "mark", "C1", "--invalid", "--reason", "空号")
    assert marked.exit_code == 0 and marked.stdout.strip() == "C1 debtor: number marked invalid"
    assert run(bank, "sue", "contact", "mark", "C1", "--contact", "K1", "--invalid", "--reason", "停机").exit_code == 0
    assert q(bank, "SELECT phone_invalid FROM customer") == [(1,)] and q(bank, "SELECT phone_invalid FROM contact") == [
        (1,)
    ]
    assert run(bank, "sue", "contact", "mark", "C1", "--valid", "--reason", "客户确认").exit_code == 0
    assert q(bank, "SELECT phone_invalid FROM customer") == [(0,)]
    neither = run(bank, "sue", "contact", "mark", "C1", "--reason", "x")
    assert neither.exit_code == 2 and "say --invalid or --valid" in neither.stderr
    collector = run(bank, "amy", "contact", "mark", "C1", "--invalid", "--reason", "空号")
    assert collector.exit_code == 1 and "may not do this" in collector.stderr


def test_hours_set_and_clear(bank):
    result = run(bank, "sue", "hours", "C1", "--set", "20:00-09:00", "--reason", "夜班工作")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "C1: agreed call hours 20:00-09:00"
    assert q(bank, "SELECT consent_hours FROM customer") == [("20:00-09:00",)]
    cleared = run(bank, "sue", "hours", "C1", "--clear", "--reason", "客户撤回")
    assert cleared.exit_code == 0 and "cleared" in cleared.stdout
    assert q(bank, "SELECT consent_hours FROM customer") == [(None,)]


@pytest.mark.parametrize(
    "args, code, fragment",
    [
        (("--reason", "x"), 2, "say one of --set"),
        (("--set", "18:00-20:00", "--clear", "--reason", "x"), 2, "say one of --set"),
        (("--set", " ", "--reason", "x"), 2, "say one of --set"),
        (("--set", "18:00", "--reason", "客户要求"), 1, "hours: expected agreed call hours like 18:00-20:00"),
        (("--set", "18:00-20:00", "--reason", "打 13812345678"), 1, "leave phone, ID and account numbers out"),
    ],
)
def test_hours_refusals(bank, args, code, fragment):
    result = run(bank, "sue", "hours", "C1", *args)
    assert result.exit_code == code, result.output
    assert fragment in result.stderr
    assert q(bank, "SELECT consent_hours FROM customer") == [(None,)]
