"""A refused permission, an unknown account and a policy's problems on the command line read in the run's
language: `错误：催收员无权…` under COLLECTUI_LANG=zh, the English wording otherwise."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.storage.locate import database_at
from tests.support.calls import calls_policy, seed
from tests.support.cli import sign_in
from tests.support.clock import NOW, TZ

WHEN = "2026-11-28T10:00:00+08:00"


@pytest.fixture
def bank(new_db_at) -> str:
    """Borrower C1 of 东城支行, collector amy, supervisor sue (tests/support/calls.py): a file or a URL."""
    path = new_db_at("cli.db")
    db = database_at(path)
    db.create_schema()
    seed(Ctx(db, FixedClock(NOW, TZ), calls_policy()))
    db.dispose()
    return path


def _as_amy(path: str, lang: str, *args: str):
    sign_in(path, "amy", WHEN)
    env = {"COLLECTUI_NOW": WHEN, "COLLECTUI_LANG": lang}
    return CliRunner().invoke(build_app(), ["--db", str(path), *args], env=env)


def test_a_collector_listing_accounts_is_refused_in_chinese(bank):
    result = _as_amy(bank, "zh", "users", "list")
    assert result.exit_code != 0, result.output
    assert "错误：催收员无权管理员工账户" in result.stderr
    assert "may not" not in result.stderr and "Traceback" not in result.output


def test_the_same_refusal_in_english(bank):
    result = _as_amy(bank, "en", "users", "list")
    assert result.exit_code != 0
    assert "users.manage: a collector may not do this" in result.stderr


def test_policy_check_lists_its_problems_in_chinese(bank, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("bogus = 1\n[rules.daily_attempts]\nmax = -1\n", encoding="utf-8")
    result = _as_amy(bank, "zh", "policy", "check", str(bad))
    assert result.exit_code == 1, result.output
    assert f"{bad}：2 个问题" in result.stderr
    assert "  bogus：未知的键" in result.stderr
    assert "  rules.daily_attempts.max 的值有误：不能为负数" in result.stderr
    english = _as_amy(bank, "en", "policy", "check", str(bad))
    assert "  rules.daily_attempts.max: must not be negative" in english.stderr
