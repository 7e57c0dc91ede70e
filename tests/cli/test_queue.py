"""`collectui queue` through the CLI: JSON shape, masking, flags, exit codes."""

import json
import re

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.portfolio import refresh
from collectui.storage.models import Customer
from tests.support.cli import as_admin, db_arg
from tests.support.small_bank import Bank, D, monthly

ENV = {"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
FIELDS = {
    "rank",
    "customer_id",
    "name",
    "phone",
    "branch",
    "dpd",
    "bucket",
    "category",
    "overdue_amount",
    "outstanding",
    "score",
    "reasons",
    "callable",
    "blocked_reason",
    "last_contact_at",
    "promise",
    "loans",
}


@pytest.fixture
def dbfile(ctx):
    bank = Bank(ctx.db)
    bank.customer("C1", phone="13812345678")
    bank.loan("L1", "C1", monthly(D(2026, 8, 10), 3), collector_id=1)
    bank.pay("L1", D(2026, 8, 20), 60050)
    bank.customer("C2", branch_id=2, phone="13987654321")
    bank.loan("L2", "C2", monthly(D(2026, 10, 10), 2))
    bank.promise("C2", D(2026, 10, 1), 12345, D(2026, 10, 5))
    bank.customer("C3", phone="13711112222", do_not_call=True)
    bank.loan("L3", "C3", monthly(D(2026, 11, 1), 1))
    with ctx.db.write() as s:  # the reminders went out yesterday: the first calls of the cycle may go ahead
        for cid, phone in (("C1", "13812345678"), ("C2", "13987654321")):
            s.connection().exec_driver_sql(
                "INSERT INTO sms_message(message_id, customer_id, phone, text, lang, state, planned_for, created_at,"
                " sent_at, attempts) VALUES (?, ?, ?, 'reminder', 'zh', 'sent', '2026-11-27',"
                " '2026-11-27T01:00:00+00:00', '2026-11-27T02:00:00+00:00', 1)",
                (f"R-{cid}", cid, phone),
            )
    ctx.db.dispose()
    return db_arg(ctx.db)


def run(dbfile, *args):
    as_admin(dbfile)
    return CliRunner().invoke(build_app(), ["--db", str(dbfile), "queue", *args], env=ENV)


def test_json_shape(dbfile):
    result = run(dbfile, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["customer_id"] for r in rows] == ["C1", "C2"] and [r["rank"] for r in rows] == [1, 2]
    first = rows[0]
    assert set(first) >= FIELDS
    assert (first["dpd"], first["bucket"], first["category"]) == (110, "M4", "substandard")
    assert (first["overdue_amount"], first["outstanding"]) == ("2549.50", "2549.50")
    assert first["callable"] is True and first["blocked_reason"] is None and first["loans"] == ["L1"]
    assert first["reasons"][0] == "DPD 110: +110.00" and isinstance(first["score"], float)
    assert (first["name"], first["phone"], first["branch"]) == ("张**", "138****5678", "城关支行")
    second = rows[1]
    assert second["promise"] == {"amount": "123.45", "date": "2026-10-05", "status": "broken", "paid": "0.00"}
    assert "1 broken promise: +30.00" in second["reasons"]


def test_all_flags_the_blocked_and_filters(dbfile):
    rows = json.loads(run(dbfile, "--all", "--format", "json").stdout)
    assert [(r["customer_id"], r["callable"], r["blocked_reason"]) for r in rows] == [
        ("C1", True, None),
        ("C2", True, None),
        ("C3", False, "do_not_call"),
    ]
    assert [r["customer_id"] for r in json.loads(run(dbfile, "--branch", "河西支行", "--format", "json").stdout)] == [
        "C2"
    ]
    assert [r["customer_id"] for r in json.loads(run(dbfile, "--bucket", "m4", "--format", "json").stdout)] == ["C1"]
    assert len(json.loads(run(dbfile, "--limit", "1", "--format", "json").stdout)) == 1


def test_no_full_phone_or_id_number_in_any_output(dbfile, ctx):
    with ctx.db.read() as s:
        secrets = [v for c in s.exec(select(Customer)).all() for v in (c.phone, c.id_number, c.name)]
    for fmt in ("table", "json", "csv"):
        for extra in ([], ["--all"], ["--as-of", "2026-11-01", "--all"]):
            result = run(dbfile, "--format", fmt, *extra)
            assert result.exit_code == 0, result.output
            assert "C1" in result.output
            for secret in secrets:
                assert secret not in result.output, (fmt, extra)
            assert not re.search(r"1[3-9]\d{9}", result.output)


def test_csv_and_table(dbfile):
    lines = run(dbfile, "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("rank,customer_id,name,phone,branch,dpd,bucket,category,overdue_amount")
    assert lines[1].startswith("1,C1,张**,138****5678,城关支行,110,M4,substandard,2549.50")
    table = run(dbfile).stdout
    assert "2 of 2 callable borrowers" in table and "次级" in table


def test_as_of_another_day_does_not_touch_the_stored_state(dbfile, ctx):
    run(dbfile)
    rows = json.loads(run(dbfile, "--as-of", "2026-09-15", "--all", "--format", "json").stdout)
    assert [(r["customer_id"], r["dpd"]) for r in rows] == [("C1", 36)]
    # Judged as of that morning: no reminder had gone out yet (the one on record is from November).
    assert rows[0]["blocked_reason"] == "sms_notice"
    assert refresh.stored_as_of(ctx) == D(2026, 11, 28)
    assert json.loads(run(dbfile, "--format", "json").stdout)[0]["dpd"] == 110


@pytest.mark.parametrize(
    "args, message",
    [
        (["--bucket", "M9"], "unknown bucket"),
        (["--as-of", "2026-02-30"], "--as-of"),
        (["--as-of", "yesterday"], "--as-of"),
        (["--limit", "-1"], "--limit"),
        (["--limit", "ten"], "--limit"),
        (["--format", "xml"], "--format"),
        (["--branch", "nowhere"], "unknown branch"),
    ],
)
def test_bad_options_exit_2_with_one_line(dbfile, args, message):
    result = run(dbfile, *args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_bad_format_and_missing_database(dbfile, tmp_path):
    result = CliRunner().invoke(build_app(), ["--db", str(tmp_path / "none.db"), "queue"], env=ENV)
    assert result.exit_code == 1 and "no database" in result.stderr


def test_chinese_with_lang_or_the_environment(dbfile):
    as_admin(dbfile)
    app = build_app()
    by_option = CliRunner().invoke(app, ["--db", str(dbfile), "--lang", "zh", "queue"], env=ENV).stdout
    assert "逾期天数" in by_option and "2 位可拨打客户中的 2 位" in by_option and "可以" in by_option
    assert "逾期 110 天" in by_option  # the ranking reason, in Chinese
    by_env = CliRunner().invoke(app, ["--db", str(dbfile), "queue"], env={**ENV, "COLLECTUI_LANG": "zh"}).stdout
    assert by_env == by_option
    csv_head = (
        CliRunner()
        .invoke(app, ["--db", str(dbfile), "--lang", "zh", "queue", "--format", "csv"], env=ENV)
        .stdout.splitlines()[0]
    )
    assert csv_head.startswith("排名,客户号,姓名,电话,支行,逾期天数") and "未还余额" in csv_head
    as_json = json.loads(
        CliRunner().invoke(app, ["--db", str(dbfile), "--lang", "zh", "queue", "--format", "json"], env=ENV).stdout
    )
    assert set(as_json[0]) >= FIELDS  # JSON keys stay English for programs


def test_the_locale_decides_when_nothing_else_does(dbfile):
    as_admin(dbfile)
    env = {k: v for k, v in ENV.items()}
    result = CliRunner().invoke(
        build_app(), ["--db", str(dbfile), "queue"], env={**env, "COLLECTUI_LANG": "", "LC_ALL": "zh_CN.UTF-8"}
    )
    assert "逾期天数" in result.stdout
