"""`collectui plan ...` through the CLI: propose (texts parsed, problems named), decide, list, queue JSON.

Borrower C1 (tests/support/calls.py): overdue 5,100.00, total outstanding 10,100.00 on 2026-11-28.
"""

from __future__ import annotations

import json

import pytest
import tomli_w
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.storage.locate import database_at
from collectui.storage.models import StaffUser
from tests.support.calls import calls_policy, seed
from tests.support.cli import sign_in
from tests.support.clock import NOW, TZ

runner = CliRunner()
SEVEN = [x for m in ["2026-12-15"] + [f"2027-{m:02d}-15" for m in range(1, 7)] for x in ("--instalment", f"{m}:800")]


@pytest.fixture
def env(new_db_at, tmp_path):
    path = new_db_at("cli.db")
    db = database_at(path)
    db.create_schema()
    ctx = Ctx(db, FixedClock(NOW, TZ), calls_policy())
    seed(ctx, customers=2)
    with db.write() as s:
        s.add(StaffUser(username="tom", display_name="tom", role="supervisor", branch_id=1, password_hash="x",
                        created_at=NOW))  # fmt: skip
    db.dispose()
    policy_path = tmp_path / "policy.toml"
    policy_path.write_text(tomli_w.dumps({"rules": {"sms_notice": {"enabled": False}}}))
    return path, policy_path


def run(env, *args, user="amy", now="2026-11-28T10:00:00+08:00"):
    path, policy = env
    sign_in(path, user, now)
    return runner.invoke(build_app(), ["--db", str(path), "--policy", str(policy), *args], env={"COLLECTUI_NOW": now})


def test_propose_within_the_threshold_is_active_at_once_and_holds_the_queue(env):
    result = run(env, "plan", "propose", "C1", "--instalment", "2026-12-15:3,000", "--instalment", "2027-01-15:2100")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "plan 1: 2 instalments, ¥5,100.00 from 2026-11-28, active: collection calls hold while it is kept"
    )
    queue = json.loads(run(env, "queue", "--all", "--format", "json").stdout)
    row = next(r for r in queue if r["customer_id"] == "C1")
    assert row["plan"] == {
        "id": 1,
        "status": "active",
        "total": "5100.00",
        "paid": "0.00",
        "instalments": 2,
        "next_date": "2026-12-15",
        "next_amount": "3000.00",
    }
    assert next(r for r in queue if r["customer_id"] == "C2")["plan"] is None


def test_problems_name_their_instalment_and_exit_1(env):
    result = run(env, "plan", "propose", "C1", "--instalment", "2026-12-15:3000", "--instalment", "2027-13-01:x")
    assert result.exit_code == 1
    assert "instalment 2: expected a date YYYY-MM-DD, got '2027-13-01'" in result.stderr
    below = run(env, "plan", "propose", "C1", "--instalment", "2026-12-15:3000", "--instalment", "2027-01-15:2099.99")
    assert below.exit_code == 1 and "less than the overdue amount ¥5,100.00" in below.stderr


def test_maker_checker_and_list(env):
    assert run(env, "plan", "propose", "C1", *SEVEN, user="sue").stdout.strip().endswith("waits for approval")
    own = run(env, "plan", "approve", "1", user="sue")
    assert own.exit_code == 1 and "the proposer cannot approve their own plan" in own.stderr
    assert run(env, "plan", "approve", "1", "--reason", "秋收后还款", user="tom").stdout.strip() == (
        "plan 1: approved, active"
    )
    listed = json.loads(run(env, "plan", "list", "--format", "json").stdout)
    assert [(p["id"], p["status"], p["proposed_by"], p["decided_by"], p["reason"]) for p in listed] == [
        (1, "active", "sue", "tom", "秋收后还款")
    ]
    assert len(listed[0]["instalments"]) == 7 and listed[0]["name"] == "李*"
    assert json.loads(run(env, "plan", "list", "--status", "kept", "--format", "json").stdout) == []
    bad = run(env, "plan", "list", "--status", "completed")
    assert bad.exit_code == 2 and "--status: expected one of" in bad.stderr
    table = run(env, "plan", "list")
    assert table.exit_code == 0 and "payment plans" in table.stdout
