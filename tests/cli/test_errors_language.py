"""A service error on the command line reads in the run's language: `contact add` with a
number the borrower already has, under COLLECTUI_LANG=zh and in English."""

from __future__ import annotations

from typer.testing import CliRunner

from collectui.cli.app import build_app
from tests.cli.test_contact import WHEN, bank, q  # noqa: F401  (bank: the fixture)
from tests.support.cli import sign_in


def _add(path, lang: str, *args: str):
    sign_in(path, "amy", WHEN)
    env = {"COLLECTUI_NOW": WHEN, "COLLECTUI_LANG": lang}
    return CliRunner().invoke(build_app(), ["--db", str(path), "contact", "add", "C1", *args], env=env)


def test_a_duplicate_number_is_refused_in_chinese_under_zh(bank):  # noqa: F811
    result = _add(bank, "zh", "--phone", "13812340001")
    assert result.exit_code == 1, result.output
    assert "phone：138****0001 已是借款人本人的号码" in result.stderr
    assert "already" not in result.stderr and "Traceback" not in result.output
    assert q(bank, "SELECT count(*) FROM contact") == [(1,)]


def test_the_same_refusal_in_english(bank):  # noqa: F811
    result = _add(bank, "en", "--phone", "13812340001")
    assert result.exit_code == 1
    assert "phone: 138****0001 is already the borrower's own number" in result.stderr


def test_a_plan_breaking_a_rule_is_refused_in_chinese(bank):  # noqa: F811
    sign_in(bank, "amy", WHEN)
    env = {"COLLECTUI_NOW": WHEN, "COLLECTUI_LANG": "zh"}
    args = [
        "--db",
        str(bank),
        "plan",
        "propose",
        "C1",
        "--instalment",
        "2026-12-15:0",
        "--instalment",
        "2026-12-15:100",
    ]
    result = CliRunner().invoke(build_app(), args, env=env)
    assert result.exit_code == 1, result.output
    assert "第 1 期：金额必须大于零" in result.stderr and "第 2 期：2026-12-15 与第 1 期是同一天" in result.stderr
