"""`collectui dispute list|resolve` and `collectui assign` through the CLI: output shapes and exit codes."""

from __future__ import annotations

import json

import pytest
import tomli_w
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from tests.support.calls import calls_policy, log, seed
from tests.support.cli import db_arg, sign_in
from tests.support.clock import NOW, TZ
from tests.support.engines import rows

runner = CliRunner()


@pytest.fixture
def env(db, tmp_path):
    """Branch 东城支行: collectors amy and bob, supervisor sue; C1..C4, nobody assigned to their loans;
    C1 disputes its debt (not my loan) on a call by amy."""
    ctx = Ctx(db, FixedClock(NOW, TZ), calls_policy())
    seed(ctx, customers=4)
    assert log(ctx, "amy", "dispute", dispute_reason="not_my_loan").saved
    path = db_arg(db)
    policy_path = tmp_path / "policy.toml"
    policy_path.write_text(tomli_w.dumps({"rules": {"sms_notice": {"enabled": False}}}))
    return path, policy_path


def run(env, *args, user="sue", now="2026-11-28T10:00:00+08:00"):
    path, policy = env
    sign_in(path, user, now)
    return runner.invoke(build_app(), ["--db", str(path), "--policy", str(policy), *args], env={"COLLECTUI_NOW": now})


def _q(env, sql):
    return rows(env[0], sql)


def test_dispute_list_json_and_table(env):
    result = run(env, "dispute", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["id"] == 1 and row["customer_id"] == "C1" and row["reason_code"] == "not_my_loan"
    assert row["status"] == "open" and row["due_on"] == "2026-12-13" and row["overdue"] is False
    assert row["name"] == "李*" and row["branch"] == "东城支行" and row["opened_by"] == "amy"
    late = run(env, "dispute", "list", now="2026-12-14T09:00:00+08:00")
    assert late.exit_code == 0 and "OVERDUE" in late.stdout
    bad = run(env, "dispute", "list", "--status", "closed")
    assert bad.exit_code == 2 and "status" in bad.output


def test_dispute_resolve_rejected_by_sms(env):
    result = run(env, "dispute", "resolve", "1", "--rejected", "--reason", "借款合同签字核实为本人", "--told-by", "sms")
    assert result.exit_code == 0, result.output
    assert "resolved_rejected" in result.stdout and "dispute_answer SMS D20261128-" in result.stdout
    assert _q(env, "SELECT status, told_by FROM dispute") == [("resolved_rejected", "sms")]
    assert _q(env, "SELECT COUNT(*) FROM sms_message WHERE state = 'pending'") == [(1,)]
    check = run(env, "check", "C1", "--format", "json", user="amy")
    assert "dispute_hold" not in [r["rule"] for r in json.loads(check.stdout)["reasons"]]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--reason", "x"), 2, "--upheld or --rejected"),
        (("--upheld", "--rejected", "--reason", "x"), 2, "--upheld or --rejected"),
        (("--upheld", "--reason", "x", "--told-by", "fax"), 2, "--told-by"),
        (("--upheld", "--reason", "x", "--at", "2026-11-29T09:00:00+08:00"), 1, "future"),
    ],
)
def test_dispute_resolve_usage(env, args, code, says):
    result = run(env, "dispute", "resolve", "1", *args)
    assert result.exit_code == code and says in result.output
    assert _q(env, "SELECT status FROM dispute") == [("open",)]


def test_a_collector_is_refused(env):
    result = run(env, "dispute", "resolve", "1", "--upheld", "--reason", "核实", user="amy")
    assert result.exit_code == 1 and "dispute.resolve" in result.output
    result = run(env, "assign", "C2", "--to", "amy", user="amy")
    assert result.exit_code == 1 and "assign" in result.output


def test_assign_by_hand_then_load(env):
    result = run(env, "assign", "C2", "C3", "--to", "bob")
    assert result.exit_code == 0, result.output
    assert "C2: (unassigned) -> bob" in result.stdout and "2 borrower(s) assigned to bob" in result.stdout
    load = run(env, "assign", "--load", "--format", "json")
    rows = {r["collector"]: r for r in json.loads(load.stdout)}
    assert rows["bob"]["borrowers"] == 2 and rows["amy"]["borrowers"] == 0
    assert rows[None]["borrowers"] == 2 and rows[None]["overdue"] == "10200.00"  # 5,000.00 + 100.00 interest each


def test_balance_dry_run_then_for_real(env):
    dry = run(env, "assign", "--balance", "--branch", "东城支行", "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.stdout)
    assert data["dry_run"] is True and data["moved"] == 4
    assert data["spread_before"] == {"borrowers": 0, "overdue": "0.00"}
    assert data["spread_after"] == {"borrowers": 0, "overdue": "0.00"}  # 2 and 2, the same amounts
    assert _q(env, "SELECT COUNT(*) FROM assignment") == [(0,)]
    done = run(env, "assign", "--balance", "--branch", "东城支行")
    assert done.exit_code == 0 and "4 unassigned borrower(s) moved" in done.stdout
    assert _q(env, "SELECT u.username, COUNT(*) FROM assignment a JOIN staff_user u ON u.id = a.collector_id "
                   "GROUP BY u.username ORDER BY u.username") == [("amy", 2), ("bob", 2)]  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("assign",),
        ("assign", "C1"),
        ("assign", "--balance"),
        ("assign", "--load", "--balance", "--branch", "东城支行"),
        ("assign", "C1", "--to", "amy", "--dry-run"),
        ("assign", "--load", "--from", "amy"),
    ],
)
def test_assign_usage(env, args):
    result = run(env, *args)
    assert result.exit_code == 2, result.output
