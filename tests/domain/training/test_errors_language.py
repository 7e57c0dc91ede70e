"""A training refusal reads in the person's language: marking, quiz and scenario files,
recorded certifications. A file's problem keeps its path and TOML names; the rest is Chinese."""

from __future__ import annotations

import pytest

from collectui.domain.errors import InvalidInput, PermissionDenied
from collectui.domain.training import results
from collectui.domain.training.quiz import load_bank, mark
from collectui.domain.training.scenario import load_practice
from tests.domain.training.test_quiz import _paper, _question
from tests.domain.training.test_quiz import _write as write_quiz
from tests.domain.training.test_results import staff  # noqa: F401  (the fixture)
from tests.domain.training.test_scenario_files import POLICY, _example
from tests.domain.training.test_scenario_files import _write as write_scenario
from tests.support.said import in_both

pytestmark = pytest.mark.usefixtures("cheap_hasher")


def test_a_quiz_answer_out_of_range_reads_in_chinese():
    with pytest.raises(InvalidInput) as err:
        mark(_paper(3), {"q1": 3}, 80)
    assert in_both(err.value) == "题目 q1：答案 3 不在它的 3 个选项中"
    with pytest.raises(InvalidInput) as stray:
        mark(_paper(3), {"q0": 0, "q9": 1}, 80)
    assert in_both(stray.value) == "这些答案对应的题目不在本卷上：q9"


def test_a_quiz_file_problem_names_its_place_and_says_the_rest_in_chinese(tmp_path):
    path = write_quiz(tmp_path, [_question("a", answer=3)])
    with pytest.raises(InvalidInput) as err:
        load_bank(path, min_questions=1)
    assert str(err.value) == f"{path}: question a: answer: must be the 0-based index of an option, 0 to 2, got 3"
    assert in_both(err.value) == f"{path}：题目 a：answer：必须是某个选项从 0 起的序号，0 到 2，收到 3"


def test_a_scenario_file_problem_names_the_turn_and_option_in_chinese(tmp_path):
    text = _example().replace('next = "end"\n  why = { zh = "礼貌结束', 'next = "nowhere"\n  why = { zh = "礼貌结束')
    path = write_scenario(tmp_path, text)
    with pytest.raises(InvalidInput) as err:
        load_practice(path, POLICY)
    assert str(err.value) == f"{path}: turn close option 1: next names no turn: 'nowhere'"
    assert in_both(err.value) == f"{path} 中 对话轮 close 的选项 1：next 指向的 turn 不存在：'nowhere'"


def test_a_refused_certification_reads_in_chinese(ctx, staff):  # noqa: F811
    with pytest.raises(PermissionDenied) as own:
        results.record_certification(ctx, staff["tom"], "tom", "trained at head office in 2025", None)
    assert in_both(own.value) == "training.certify：任何人都不能认证自己；请找另一位培训员或管理员"
    with pytest.raises(InvalidInput) as short:
        results.record_certification(ctx, staff["tom"], "amy", "ok", None)
    assert in_both(short.value) == "--reason：请给出至少几个词的原因（3 个英文词或 4 个汉字）"
