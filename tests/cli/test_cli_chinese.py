"""The command line in Chinese, as a new user walking the README meets it: `whoami`,
`training`, the demo's first screen, the clock override on a production database, an import's refresh line,
money and headers in `queue` and `report portfolio`, lists joined with "、", `users`, `audit verify`, `check`
and the one-line errors. Each asserts the Chinese and that the English words of the old output are gone;
JSON keeps its codes, and English keeps reading as before where scripts may read it."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from collectui.cli import lang
from collectui.cli.app import build_app
from collectui.cli.commands.import_ import refreshed_words
from collectui.clock import ClockOverrideRefused, clock_from_env
from collectui.storage.locate import database_at
from collectui.storage.opening import no_database_message
from collectui.tui.i18n import Translator
from tests.support.cli import as_admin, sign_in
from tests.support.demo_bank import ADMIN, NOW, build_demo_at
from tests.support.engines import Built, holds_database
from tests.support.importing import CUSTOMERS_HEADER, one_customer_line, write

ZH = {"COLLECTUI_NOW": NOW, "COLLECTUI_LANG": "zh"}
EN = {"COLLECTUI_NOW": NOW, "COLLECTUI_LANG": "en"}
# An amount as the app shows it: the yuan sign and thousands separators.
YUAN = re.compile(r"¥\d{1,3}(,\d{3})*\.\d\d")


@pytest.fixture(scope="module")
def demo_banks(tmp_path_factory):
    built = Built(tmp_path_factory.mktemp("zh"), build_demo_at)
    yield built
    built.close()


@pytest.fixture
def bank(demo_banks, engine, new_db_at, request):
    """The module's demo bank on the test's engine (new_db_at: it puts the test in a --pg run too)."""
    return demo_banks.shared(engine, request)


def cli(db, *args, env=ZH, user=ADMIN):
    if user:
        sign_in(db, user)
    return CliRunner().invoke(build_app(), ["--db", str(db), *args], env=env)


def ok(result):
    assert result.exit_code == 0, result.output
    return result.stdout


def test_whoami_in_chinese(bank):
    text = ok(cli(bank, "whoami"))
    assert "管理员" in text and "登录会话" in text and "可查看全部支行" in text
    assert "登录方式" in text and "到期时间" in text
    for english in ("session", "via", "expires", "all"):
        assert english not in text, english
    data = json.loads(ok(cli(bank, "whoami", "--format", "json")))[0]
    assert data["role"] == "admin" and data["via"] == "session"  # JSON keeps the codes


def test_whoami_of_a_branch_supervisor_names_the_branch_only(bank):
    text = ok(cli(bank, "whoami", user="cg-supervisor"))
    assert "主管" in text and "城关支行" in text and "全部支行" not in text


def test_training_status_in_chinese_names_scenarios_by_title(bank):
    lines = ok(cli(bank, "training", "status", "cg-collector1")).splitlines()
    assert lines[0] == "cg-collector1（催收员，城关支行）"
    assert lines[1].startswith("外呼资格：有，有效期至 ")
    assert lines[2].startswith("最近一次认证：2026-11-28，人工登记")
    assert lines[3] == "测验：未参加"
    assert lines[4].startswith("必修练习场景：已通过 0 个，共 ") and lines[4].endswith("：无")
    assert lines[5].startswith("尚未通过：") and "收到提醒短信后的第一次电话" in lines[5]
    assert "、" in lines[5] and ", " not in lines[5]
    text = "\n".join(lines).replace("cg-collector1", "")
    for english in ("first_call", "certified", "quiz", "missing", "mandatory", "recorded", "collector"):
        assert english not in text, english


def test_training_certify_in_chinese(bank):
    text = ok(cli(bank, "training", "certify", "trainee", "--reason", "总行集中培训合格"))
    assert text.strip().startswith("trainee：已于 2026-11-28 取得外呼资格，有效期至 ")
    assert "certified" not in text and "expires" not in text


@pytest.mark.sqlite_only  # `demo` builds a SQLite file and refuses a PostgreSQL URL by design
def test_the_demos_first_screen_in_chinese(tmp_path):
    result = cli(tmp_path / "d.db", "demo", "--customers", "20", "--scenarios", user=None)
    text = ok(result)
    for chinese in ("演示数据库已建好", "客户 20", "借款人按最差一笔贷款的账龄", "五级分类：正常", "工作清单已就绪"):
        assert chinese in text, chinese
    assert "演示员工账号" in text and "用户名" in text and "密码" in text and "催收员" in text
    assert "培训场景" in text and "练习要点" in text and "下一步：" in text
    assert "demo-cg-collector1" in text and "cg-supervisor" in text  # the accounts stay as they are
    assert "健忘的借款人" in text and "The forgetful borrower" not in text  # the story titles' Chinese half
    for english in (
        "demo database built",
        "customers ",
        "borrowers by worst loan",
        "five categories",
        "work list ready",
        "demo staff accounts",
        "username",
        "password ",
        "what to practise",
        "next:",
        "the ranked list",
        "special_mention",
    ):
        assert english not in text, english


def test_the_demo_script_waits_with_the_catalogues_words():
    """scripts/demo asks the catalogue for its last two lines (`say_words`): both keys exist, both languages."""
    script = open("scripts/demo", encoding="utf-8").read()
    for key in ("cli.demo.building", "cli.demo.wait"):
        assert f"say_words {key}" in script
        assert Translator("zh")(key, path="x") != key and "按回车" in Translator("zh")("cli.demo.wait")


def test_the_clock_override_on_a_production_database_in_chinese(new_db_at):
    prod = new_db_at("prod.db")
    db = database_at(prod)
    db.create_schema(kind="production")
    db.dispose()
    result = cli(prod, "whoami", user=None)
    assert result.exit_code == 2
    assert "已设置 COLLECTUI_NOW：正式数据库不允许改动时钟（只有演示、练习和测试数据库可以）" in result.stderr
    assert "refused" not in result.stderr and "error" not in result.stderr
    english = cli(prod, "whoami", env=EN, user=None)
    assert english.exit_code == 2 and "the clock override is refused on a production database" in english.stderr


def test_the_catalogues_english_is_the_clocks_own(monkeypatch):
    monkeypatch.setenv("COLLECTUI_NOW", NOW)
    with pytest.raises(ClockOverrideRefused) as refused:
        clock_from_env(allow_override=False)
    assert Translator("en")("cli.clock.override_refused") == str(refused.value)


def test_what_an_import_refreshed_in_chinese(tmp_path, new_db_at):
    db = new_db_at("t.db")
    as_admin(db)
    path = write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line())
    text = ok(CliRunner().invoke(build_app(), ["--db", str(db), "import", "customers", str(path)], env=ZH))
    assert "逾期数据已刷新：" in text and "：all" not in text and "customers" not in text
    lang.set_lang("zh")
    try:
        words = [refreshed_words(w) for w in ("all", "3 customers", "none", "skipped (dry run)", "unavailable")]
        assert words == ["全部客户", "3 位客户", "无", "已跳过（试运行）", "无法刷新"]
        lang.set_lang("en")
        assert [refreshed_words(w) for w in ("all", "3 customers", "none")] == ["all", "3 customers", "none"]
    finally:
        lang.set_lang(None)


def test_queue_money_and_headers_as_the_app_shows_them(bank):
    text = ok(cli(bank, "queue", "--all"))
    assert "账龄" in text and "可拨打" in text and "阶段" not in text and "?" not in text
    assert YUAN.search(text), text
    english = ok(cli(bank, "queue", "--all", env=EN))
    assert YUAN.search(english) and "bkt" in english
    rows = json.loads(ok(cli(bank, "queue", "--all", "--format", "json")))
    assert rows and all(re.fullmatch(r"\d+\.\d\d", r["overdue_amount"]) for r in rows)  # JSON: plain yuan
    table = list(csv.DictReader(io.StringIO(ok(cli(bank, "queue", "--all", "--format", "csv")))))
    assert table and all(re.fullmatch(r"\d+\.\d\d", r["逾期金额"]) for r in table)  # CSV: numbers for sheets
    assert "账龄" in table[0] and {r["可拨打"] for r in table} <= {"是", "否"}
    assert all("; " not in r["排名依据"] for r in table) and any("；" in r["排名依据"] for r in table)


def test_report_portfolio_names_each_class_once_in_chinese(bank):
    text = ok(cli(bank, "report", "portfolio"))
    assert "关注" in text and "账龄" in text and YUAN.search(text)
    for code in ("normal", "special_mention", "substandard", "doubtful", "loss", "分类代码", "逾期档"):
        assert code not in text, code
    english = ok(cli(bank, "report", "portfolio", env=EN))
    assert "special_mention" in english and YUAN.search(english)
    data = json.loads(ok(cli(bank, "report", "portfolio", "--format", "json")))
    assert {c["category"] for c in data["by_category"]} >= {"normal", "loss"}  # JSON keeps the codes


def test_sms_plan_joins_its_skip_counts_with_the_chinese_comma(new_db_at):
    db = build_demo_at(new_db_at("sms.db"))
    last = ok(cli(db, "sms", "plan")).strip().splitlines()[-1]
    assert re.fullmatch(r"已排队 \d+ 条；跳过 \d+ 人（[^（）]+）", last), last
    counts = last[last.index("（") + 1 : -1].split("、")
    assert len(counts) >= 2 and all(re.fullmatch(r"[^\x00-\x7f]+ \d+", c) for c in counts), counts


def test_users_audit_and_check_in_chinese(bank):
    users = ok(cli(bank, "users", "list"))
    assert "管理员" in users and "催收员" in users and "是" in users and "否" in users
    assert " yes " not in users and " no " not in users and "collector" not in users.replace("-collector", "")
    audit = ok(cli(bank, "audit", "verify"))
    assert audit.startswith("审计记录完整：") and "events" not in audit and "vouched" not in audit
    checked = cli(bank, "check", "CU0000001")
    assert checked.exit_code in (0, 3)
    assert checked.stdout.startswith("拨打 CU0000001（借款人本人）：")
    assert "call " not in checked.stdout and "debtor" not in checked.stdout


def test_one_line_errors_in_chinese(bank):
    bad = cli(bank, "queue", "--bogus")
    assert bad.exit_code == 2 and bad.stderr.startswith("错误：") and "（见 `collectui queue --help`）" in bad.stderr
    assert "error:" not in bad.stderr and "see `" not in bad.stderr
    english = cli(bank, "queue", "--bogus", env=EN)
    assert english.stderr.startswith("error: ") and "(see `collectui queue --help`)" in english.stderr


def test_other_reports_name_feedback_categories_and_notes_in_chinese(bank):
    voice = ok(cli(bank, "report", "voice"))
    assert "态度" in voice or "金额准确" in voice
    for code in ("attitude", "amount_accuracy", "repayment_difficulty", "负面：other"):
        assert code not in voice, code
    assert "(2)" not in voice  # a table continued in a second one: "（2）" in Chinese
    assert "attitude" in ok(cli(bank, "report", "voice", env=EN))
    migration = ok(cli(bank, "report", "migration", "--from", "2026-11-20", "--to", "2026-11-20"))
    assert "说明：" in migration and "说明： " not in migration and "note:" not in migration


def test_call_lists_and_complaints_in_chinese(bank):
    refusals = ok(cli(bank, "call", "refusals"))
    assert refusals.startswith("2026-11-28 被拒绝的拨打（") and "refused attempts" not in refusals
    assert "未完成的通话" in ok(cli(bank, "call", "unfinished")) and "unfinished" not in refusals
    complaints = ok(cli(bank, "complaint", "list"))
    assert "投诉" in complaints and "已超期" in complaints and "逾期金额" not in complaints  # past the deadline


@pytest.mark.sqlite_only  # `db backup` and `db check` are for SQLite files (a server has pg_dump and its own checks)
def test_backups_and_checks_in_chinese(bank, tmp_path):
    backup = ok(cli(bank, "db", "backup", str(tmp_path / "b.db")))
    assert backup.startswith("备份已写入：") and "backup written" not in backup
    checked = ok(cli(bank, "db", "check"))
    assert "正常（完整性、外键、表结构" in checked and "ok (" not in checked


@pytest.mark.pg  # what a SQLite file that is not there is on a server (the file's case is the next test)
def test_an_empty_postgresql_database_in_chinese(new_db_at):
    """A database without collectui's tables: one line, in Chinese, for a command and for the app."""
    empty = new_db_at("none.db")
    for args in (("logout",), ()):  # a command, and the app
        refused = cli(empty, *args, user=None)
        assert (
            refused.exit_code == 1
            and refused.stderr == f"错误：{empty}：这里没有 collectui 数据库（请用 `collectui init` 创建）\n"
        )
    assert not holds_database(empty)


@pytest.mark.sqlite_only  # a database file that does not exist (and the app's advice on making one)
def test_a_missing_database_and_signing_out_in_chinese(tmp_path):
    missing = tmp_path / "none.db"
    refused = cli(missing, "logout", user=None)
    assert refused.exit_code == 1 and refused.stderr.startswith(f"错误：{missing} 没有数据库；请用 ")
    assert "no database" not in refused.stderr and not missing.exists()
    assert Translator("en")("cli.open.no_database", path=missing) == no_database_message(missing)
    app = cli(missing, user=None)  # the app on a path with no database: how to make one
    assert app.exit_code == 1 and "没有数据库。" in app.stderr and "新银行这样创建数据库" in app.stderr
    assert "A new bank" not in app.stderr


def test_token_and_logout_lines_in_chinese(bank):
    made = cli(bank, "token", "create", "dialler", "--role", "collector", "--branch", "城关支行", "--scope", "check",
               "--expires", "2026-12-31")  # fmt: skip
    assert made.exit_code == 0 and "已创建令牌 dialler" in made.stderr and "not shown again" not in made.stderr
    assert ok(cli(bank, "token", "revoke", "dialler")).strip() == "已撤销令牌 dialler"
    assert ok(cli(bank, "logout")).strip() == "已退出登录：admin"
    assert ok(cli(bank, "logout", user=None)).strip() == "没有需要结束的会话"


def test_case_lists_in_chinese(bank):
    disputes = ok(cli(bank, "dispute", "list"))
    assert "客户异议" in disputes and "原因代码" not in disputes
    assert not re.search(r"amount_wrong|not_my_loan|already_paid|resolved_|\bopen\b", disputes), disputes
    complaints = ok(cli(bank, "complaint", "list"))
    assert not re.search(r"\b(collection|service|open|acknowledged|closed)\b", complaints), complaints
    numbers = ok(cli(bank, "contact", "list", "CU0000001"))
    assert numbers.startswith("CU0000001 的号码") and "（本人号码）" in numbers and "借款人本人" in numbers
    assert "own number" not in numbers and "debtor" not in numbers and "numbers of" not in numbers
    plans = ok(cli(bank, "plan", "list"))
    assert plans.strip().startswith("还款计划") and "payment plans" not in plans
    english = ok(cli(bank, "contact", "list", "CU0000001", env=EN))
    assert "(own number)" in english and "debtor" in english  # English unchanged


def test_a_complaint_and_a_contact_in_chinese(bank):
    opened = ok(cli(bank, "complaint", "open", "CU0000002", "--about", "service", "--text", "等候时间太长"))
    assert opened.startswith("已受理投诉 ") and "decision due" not in opened
    cid = re.search(r"已受理投诉 (\d+)", opened).group(1)
    assert ok(cli(bank, "complaint", "ack", cid)).strip() == f"投诉 {cid}：已确认收到"
    added = ok(cli(bank, "contact", "add", "CU0000002", "--phone", "13800138000"))
    assert "添加联系方式" in added and "未核实，由员工添加" in added and "unverified" not in added


def test_talk_scripts_chrome_in_chinese(bank):
    shown = ok(cli(bank, "scripts", "show", "opening", "--lang", "zh"))
    assert shown.startswith("# 话术，版本 ") and "（本轮首次来电，第 1 句之后）" in shown
    assert "talk scripts" not in shown and "first call of a cycle" not in shown
    assert re.match(r"通过：\d+ 个情境（版本 ", ok(cli(bank, "scripts", "check")))


def test_balance_summary_in_chinese(bank):
    text = ok(cli(bank, "assign", "--balance", "--branch", "城关支行", "--dry-run"))
    assert "城关支行 的均衡分配（试运行：未写入）" in text
    last = text.strip().splitlines()[-1]
    assert last.startswith("将调整未分配的借款人 ") and " → " in last and "->" not in last and "would move" not in last
