"""A scripts-file problem reads in the person's language: the file's place stays as it is
(path, line, situation, TOML names), what is wrong is Chinese."""

from __future__ import annotations

import pytest

from collectui.domain.conduct.scripts import load_scripts, parse_scripts
from collectui.domain.errors import InvalidInput
from collectui.tui.i18n import Translator
from tests.domain.conduct.test_scripts import SHIPPED, line_of
from tests.support.said import in_both


def test_one_problem_reads_in_chinese_with_its_place(tmp_path):
    text = SHIPPED.replace("我理解，谢谢您跟我说实话。", "我理解{who}", 1)
    path = tmp_path / "s.toml"
    with pytest.raises(InvalidInput) as err:
        parse_scripts(text, path)
    line = line_of(text, "我理解{who}")
    assert in_both(err.value) == (
        f"{path}:{line}：cannot_pay [zh] 第 1 行：未知占位符 {{who}}（已知：bank, hotline, collector, amount, due_date）"
    )


def test_several_problems_count_in_chinese_and_list_each(tmp_path):
    text = SHIPPED.replace("我理解，谢谢您跟我说实话。", "我理解{who}", 1) + "\n[nowhere]\nx = 1\n"
    path = tmp_path / "s.toml"
    with pytest.raises(InvalidInput) as err:
        parse_scripts(text, path)
    zh = in_both(err.value)
    assert zh.startswith(f"{path}：2 个问题：") and zh.endswith(" ……")
    listed = Translator("zh").problems(err.value)
    assert listed[0].startswith(f"{path}：[nowhere]：未知情境（已知：")
    assert listed[1].endswith("未知占位符 {who}（已知：bank, hotline, collector, amount, due_date）")
    assert Translator("en").problems(err.value) == err.value.problems


def test_a_missing_file_reads_in_chinese(tmp_path):
    with pytest.raises(InvalidInput) as err:
        load_scripts(tmp_path / "none.toml")
    assert in_both(err.value) == f"{tmp_path / 'none.toml'}：没有这个文件"
