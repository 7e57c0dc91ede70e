"""`collectui check` and `collectui call log` through the CLI: JSON shapes and exit codes 0 / 1 / 3."""

from __future__ import annotations

import json

import pytest
import tomli_w
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from tests.support.calls import RPC_CHECKS, calls_policy, seed
from tests.support.cli import db_arg, sign_in
from tests.support.clock import NOW, TZ

runner = CliRunner()


@pytest.fixture
def env(db, tmp_path):
    seed(Ctx(db, FixedClock(NOW, TZ), calls_policy()))
    path = db_arg(db)
    policy_path = tmp_path / "policy.toml"
    policy_path.write_text(tomli_w.dumps({"rules": {"sms_notice": {"enabled": False}}}))
    return path, policy_path


def run(env, *args, now="2026-11-28T10:00:00+08:00", user="amy"):
    """The command as ``user`` (signed in at ``now``; None: nobody signed in)."""
    path, policy = env
    if user is not None:
        sign_in(path, user, now)
    else:
        logout(path)
    return runner.invoke(build_app(), ["--db", str(path), "--policy", str(policy), *args], env={"COLLECTUI_NOW": now})


def logout(path):
    runner.invoke(build_app(), ["--db", str(path), "logout"])


def test_check_allowed_json_and_exit_0(env):
    result = run(env, "check", "C1", "--format", "json")
    assert result.exit_code == 0, result.output
    # policy -1: the --policy file of this test database (not a stored version)
    assert json.loads(result.stdout) == {"allowed": True, "reasons": [], "warnings": [], "policy": -1}


def test_check_refused_exit_3_with_rule_ids(env):
    result = run(env, "check", "C1", "--at", "2026-11-28T22:00:00", "--format", "json")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["allowed"] is False and [r["rule"] for r in data["reasons"]] == ["call_window"]
    assert set(data["reasons"][0]) == {"rule", "message"}
    assert run(env, "check", "C1", "--at", "2026-11-28T21:59:00").exit_code == 0
    # The clock (COLLECTUI_NOW) is the default time; an offset is honoured.
    assert run(env, "check", "C1", now="2026-11-28T22:00:00+08:00").exit_code == 3
    assert run(env, "check", "C1", "--at", "2026-11-28T13:59:00+00:00").exit_code == 0


def test_check_third_party_contact_and_user(env):
    result = run(env, "check", "C1", "--contact", "K1", "--format", "json")
    assert result.exit_code == 3
    assert [r["rule"] for r in json.loads(result.stdout)["reasons"]] == ["third_party_not_allowed"]
    table = run(env, "check", "C1", "--contact", "K1")
    assert table.exit_code == 3 and "third_party_not_allowed" in table.stdout


def test_check_bad_input(env):
    assert run(env, "check", "NOPE").exit_code == 1
    bad_at = run(env, "check", "C1", "--at", "tomorrow")
    assert bad_at.exit_code == 2 and "ISO 8601" in bad_at.stderr
    nobody = run(env, "check", "C1", user=None)
    assert nobody.exit_code == 4 and "not signed in: run `collectui login`" in nobody.stderr
    assert run(env, "check", "C1", "--contact", "K404").exit_code == 1


def _log(env, *extra, now="2026-11-28T10:00:00+08:00"):
    return run(env, "call", "log", "C1", "--format", "json", *extra, now=now)


def test_call_log_saved_prints_the_call_id(env):
    result = _log(
        env,
        "--outcome",
        "promise_to_pay",
        "--check",
        ",".join(RPC_CHECKS[:3]),
        "--check",
        ",".join(RPC_CHECKS[3:]),
        "--recording",
        "rec-7.wav",
        "--promise-amount",
        "1200.50",
        "--promise-date",
        "2026-12-10",
        "--notes",
        "周五柜台还款",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"saved": True, "call_id": 1, "reasons": [], "problems": []}
    table = run(
        env,
        "call",
        "log",
        "C1",
        "--outcome",
        "no_answer",
        "--at",
        "2026-12-11T09:00:00",
        now="2026-12-11T09:05:00+08:00",
        user="bob",
    )
    assert table.exit_code == 0 and "saved call 2" in table.stdout


def test_call_log_invalid_exit_1_lists_every_problem(env):
    result = _log(
        env,
        "--outcome",
        "promise_to_pay",
        "--check",
        "identified,smiled",
        "--promise-amount",
        "0",
        "--promise-date",
        "2027-02-01",
        "--notes",
        "不还就坐牢",
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["saved"] is False and data["call_id"] is None and data["reasons"] == []
    assert sorted({p["field"] for p in data["problems"]}) == [
        "checklist",
        "notes",
        "promise_amount",
        "promise_date",
        "recording",
    ]
    assert all(set(p) == {"field", "message"} for p in data["problems"])
    # Nothing saved: the next attempt is call 1... after the gate's refusal rows, none exist either.
    ok = _log(env, "--outcome", "no_answer")
    assert json.loads(ok.stdout)["call_id"] == 1


def test_call_log_refused_exit_3_whatever_else_is_wrong(env):
    # Logged 45 minutes after it started: within calls.late_entry_minutes, so the gate judges it.
    result = _log(env, "--outcome", "callback", "--at", "2026-11-28T22:15:00", now="2026-11-28T23:00:00+08:00")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["saved"] is False and data["call_id"] is None
    assert [r["rule"] for r in data["reasons"]] == ["call_window"]
    assert {p["field"] for p in data["problems"]} == {"checklist", "recording", "callback_at"}
    table = run(
        env,
        "call",
        "log",
        "C1",
        "--outcome",
        "no_answer",
        "--at",
        "2026-11-28T23:00",
        now="2026-11-28T23:30:00+08:00",
    )
    assert table.exit_code == 3 and "call_window" in table.stderr and "attempt 2 recorded" in table.stderr


def test_call_log_seventh_attempt_refused_through_the_cli(env):
    for minute in range(6):
        assert _log(env, "--outcome", "busy", "--at", f"2026-11-28T09:0{minute}:00").exit_code == 0
    result = _log(env, "--outcome", "busy", "--at", "2026-11-28T09:30:00")
    assert result.exit_code == 3
    assert [r["rule"] for r in json.loads(result.stdout)["reasons"]] == ["daily_attempts"]


def test_call_log_needs_a_signed_in_person_and_an_outcome(env):
    nobody = run(env, "call", "log", "C1", "--outcome", "busy", user=None)
    assert nobody.exit_code == 4 and "collectui login" in nobody.stderr
    missing = run(env, "call", "log", "C1")
    assert missing.exit_code == 2 and "outcome" in missing.output


def test_call_refusals_counts_per_rule(env):
    _log(env, "--outcome", "no_answer", "--at", "2026-11-28T07:00:00", now="2026-11-28T07:40:00+08:00")
    _log(env, "--outcome", "no_answer", "--at", "2026-11-28T07:30:00", now="2026-11-28T07:40:00+08:00")
    run(env, "call", "log", "C1", "--outcome", "no_answer", "--contact", "K1", user="bob")
    result = run(env, "call", "refusals", "--format", "json", user="sue")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"rule": "call_window", "count": 2},
        {"rule": "third_party_not_allowed", "count": 1},
    ]
    assert json.loads(run(env, "call", "refusals", "--day", "2026-11-27", "--format", "json", user="sue").stdout) == []
    assert run(env, "call", "refusals", "--day", "yesterday", user="sue").exit_code == 2
    assert run(env, "call", "refusals").exit_code == 1  # a collector: report.read is a supervisor's


# --- a dialler's path: start, then record or cancel -----------------------------------------------------------


def test_call_start_gives_the_number_then_log_records_that_call(env):
    started = run(env, "call", "start", "C1", "--format", "json")
    assert started.exit_code == 0, started.output
    data = json.loads(started.stdout)
    assert data["allowed"] and data["phone"] == "13812340001" and isinstance(data["call_id"], int)
    # another collector is held off while it runs
    assert json.loads(run(env, "check", "C1", "--format", "json", user="bob").stdout)["reasons"][0]["rule"] == "in_call"
    unfinished = json.loads(run(env, "call", "unfinished", "--format", "json").stdout)
    assert [(u["call_id"], u["state"]) for u in unfinished] == [(data["call_id"], "open")]
    logged = run(env, "call", "log", "C1", "--outcome", "no_answer", "--call", str(data["call_id"]), "--format", "json")
    assert logged.exit_code == 0, logged.output
    assert json.loads(logged.stdout)["call_id"] == data["call_id"]
    assert json.loads(run(env, "call", "unfinished", "--format", "json").stdout) == []


def test_call_cancel_frees_the_borrower_and_counts(env):
    call_id = json.loads(run(env, "call", "start", "C1", "--format", "json").stdout)["call_id"]
    cancelled = run(env, "call", "cancel", str(call_id))
    assert cancelled.exit_code == 0 and "counts as an unanswered attempt" in cancelled.stdout
    assert run(env, "check", "C1", user="bob").exit_code == 0
    again = run(env, "call", "cancel", str(call_id))
    assert again.exit_code == 1 and "not a call amy has started" in again.output
    assert run(env, "call", "cancel", str(call_id), user="bob").exit_code == 1


def test_call_start_refused_prints_no_number(env):
    result = run(env, "call", "start", "C1", "--format", "json", now="2026-11-28T22:30:00+08:00")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["phone"] is None and [r["rule"] for r in data["reasons"]] == ["call_window"]
    assert "13812340001" not in result.output


def test_call_log_callback_and_dispute_take_their_details(env):
    missing = run(env, "call", "log", "C1", "--outcome", "callback", "--check", ",".join(RPC_CHECKS),
                  "--recording", "r1", "--format", "json")  # fmt: skip
    assert missing.exit_code == 1
    assert [p["field"] for p in json.loads(missing.stdout)["problems"]] == ["callback_at"]
    ok = run(env, "call", "log", "C1", "--outcome", "callback", "--check", ",".join(RPC_CHECKS),
             "--recording", "r1", "--callback-at", "16:00")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    dispute = run(env, "call", "log", "C1", "--outcome", "dispute", "--check", ",".join(RPC_CHECKS),
                  "--recording", "r2", "--dispute-reason", "already_paid")  # fmt: skip
    assert dispute.exit_code == 0, dispute.output
