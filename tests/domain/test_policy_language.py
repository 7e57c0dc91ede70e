"""Policy refusals read in the person's language: each problem of a policy (`policy check` lists them) is a
Said, a file that cannot be a policy is refused in one Chinese line, and the English stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import policy_from_dict
from collectui.domain.policy_store import check_reason
from collectui.domain.policy_text import load_policy_text
from collectui.tui.i18n import Translator
from tests.support.said import in_both

BAD = {"rules": {"call_window": {"start": "07:00"}, "daily_attempts": {"max": "three"}}, "bogus": 1}


def test_every_problem_of_a_policy_is_listed_in_chinese():
    with pytest.raises(InvalidInput) as caught:
        policy_from_dict(BAD, "p.toml")
    exc = caught.value
    assert Translator("en").problems(exc) == exc.problems
    zh = Translator("zh").problems(exc)
    assert "rules.daily_attempts.max：应为整数，实际是文本 'three'" in zh
    assert "bogus：未知的键" in zh
    floor = next(p for p in zh if p.startswith("rules.call_window.start"))
    assert floor.startswith('rules.call_window.start = "07:00" 放宽了底线：不得早于 08:00（')
    assert in_both(exc).startswith("p.toml 有误：")


def test_a_value_out_of_range_says_so_in_chinese():
    with pytest.raises(InvalidInput) as caught:
        policy_from_dict({"rules": {"daily_attempts": {"max": -1}}})
    [problem] = Translator("zh").problems(caught.value)
    assert problem == "rules.daily_attempts.max 的值有误：不能为负数"
    assert caught.value.problems == ["rules.daily_attempts.max: must not be negative"]


def test_a_missing_file_and_a_missing_reason_are_refused_in_chinese(tmp_path: Path):
    missing = tmp_path / "none.toml"
    with pytest.raises(InvalidInput) as caught:
        load_policy_text(missing)
    assert str(caught.value) == f"{missing}: no such file"
    assert in_both(caught.value) == f"{missing}：文件不存在"
    with pytest.raises(InvalidInput) as reason:
        check_reason("  ")
    assert in_both(reason.value) == "--reason：请说明修改政策的原因（会与该版本一起保存）"
