"""The `collectui sms` commands end to end on a database file: plan, send, status, receipts, then the gate."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from tests.support.cli import as_admin, db_arg
from tests.support.sms import add_borrowers


@pytest.fixture
def bank(ctx, tmp_path):
    add_borrowers(ctx, 3, do_not_call=[0])
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[sms.file]\noutbox = "{(tmp_path / "outbox").as_posix()}"\n', encoding="utf-8")
    ctx.db.dispose()
    return tmp_path, db_arg(ctx.db), policy


def run(bank, *args, now="2026-11-28T08:30:00+08:00"):
    _, db, policy = bank
    as_admin(db, now)
    return CliRunner().invoke(
        build_app(), ["--db", str(db), "--policy", str(policy), *args], env={"COLLECTUI_NOW": now}
    )


def test_a_day_of_reminders(bank):
    tmp_path = bank[0]
    planned = run(bank, "sms", "plan")
    assert planned.exit_code == 0, planned.output
    assert "skipped C001 do_not_call" in planned.output and "queued 2; skipped 1" in planned.output
    assert "138****0002" in planned.output and "13800000002" not in planned.output
    # The policy still has the sample bank name: planning real reminders says so.
    assert "bank_name is still the sample 示例村镇银行" in planned.stderr

    early = run(bank, "sms", "send", "--at", "2026-11-28T07:59", now="2026-11-28T07:59:00+08:00")
    assert early.exit_code == 1 and "nothing sent" in early.output and "2026-11-28 08:00" in early.output

    sent = run(bank, "sms", "send", "--at", "2026-11-28T08:00", now="2026-11-28T08:00:00+08:00")
    assert sent.exit_code == 0, sent.output
    assert "2 of 2 due message(s) accepted" in sent.output
    assert len(list((tmp_path / "outbox").glob("*.csv"))) == 1

    status = json.loads(run(bank, "sms", "status", "--format", "json").stdout)
    assert {r["state"] for r in status} == {"sent"} and all("****" in r["phone"] for r in status)
    assert {r["sent_at"] for r in status} == {"2026-11-28T08:00:00+08:00"}
    mid = next(r["message_id"] for r in status if r["customer_id"] == "C002")

    receipts = tmp_path / "receipts.csv"
    receipts.write_text(
        "message_id,phone,event,text,at\n"
        f"{mid},,delivered,,2026-11-28T08:01\n"
        ",13800000003,reply,ｔｄ,2026-11-28T08:05\n",
        encoding="utf-8",
    )
    imported = run(bank, "sms", "receipts", str(receipts))
    assert imported.exit_code == 0, imported.output
    assert "1 delivered" in imported.output and "opted out: 138****0003" in imported.output

    # The gate: 08:30 is only 30 minutes after the reminder; from 09:00 the first call may go ahead.
    too_soon = run(bank, "check", "C002", "--format", "json")
    assert too_soon.exit_code == 3 and json.loads(too_soon.stdout)["reasons"][0]["rule"] == "sms_notice"
    assert run(bank, "check", "C002", "--at", "2026-11-28T09:00").exit_code == 0
    assert run(bank, "check", "C003", "--at", "2026-11-28T08:30").exit_code == 0  # opted out: rule not applied


def test_bad_input_is_one_line_with_exit_codes(bank):
    assert run(bank, "sms", "plan", "--for", "28/11/2026").exit_code == 2
    assert run(bank, "sms", "send", "--at", "tomorrow").exit_code == 2
    assert run(bank, "sms", "status", "--state", "lost").exit_code == 2
    bad = bank[0] / "bad.csv"
    bad.write_text("message_id,phone,event,text,at\nX,,delivered,,2026-11-28T08:01\n", encoding="utf-8")
    result = run(bank, "sms", "receipts", str(bad))
    assert result.exit_code == 1 and "line 2" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["send", "plan"])
def test_at_far_from_the_clock_is_a_bad_option_value_and_nothing_is_written(bank, command):
    """Now 08:30: --at is held to within 5 minutes of it (as `call log`); beyond, one line, exit 2."""
    tmp_path = bank[0]
    if command == "send":
        assert run(bank, "sms", "plan").exit_code == 0
    before = json.loads(run(bank, "sms", "status", "--format", "json").stdout)
    for at, word in [
        ("2026-11-28T08:35:01", "in the future"),
        ("2026-11-29T08:30", "in the future"),
        ("2026-11-28T08:24:59", "in the past"),
    ]:
        result = run(bank, "sms", command, "--at", at)
        assert result.exit_code == 2, result.output
        assert word in result.output and len(result.output.strip().splitlines()) == 1
        assert "Traceback" not in result.output
    assert json.loads(run(bank, "sms", "status", "--format", "json").stdout) == before
    assert not (tmp_path / "outbox").exists()
    edge = run(bank, "sms", command, "--at", "2026-11-28T08:35")
    assert edge.exit_code == 0, edge.output


def test_http_gateway_without_url_is_a_clear_error(bank):
    _, db, policy = bank
    policy.write_text('[sms]\ngateway = "http"\n', encoding="utf-8")
    run(bank, "sms", "plan")
    result = run(bank, "sms", "send", "--at", "2026-11-28T09:00")
    # Refused when the --policy file is read (a cross-key check: a bad option value), before anything is sent.
    assert result.exit_code == 2 and 'sms.http.url: needed when sms.gateway = "http"' in result.output
