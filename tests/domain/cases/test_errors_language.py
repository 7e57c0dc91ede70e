"""A case refusal reads in the person's language: plans, their rules, disputes."""

from __future__ import annotations

import pytest

from collectui.domain.cases import disputes, plans
from collectui.domain.cases.plan_rules import parse_instalments
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.tui.i18n import Translator
from tests.domain.cases.test_disputes import bank  # noqa: F401  (the fixture)
from tests.domain.cases.test_plans import OVERDUE_FEN, case, seven, two  # noqa: F401  (case: the fixture)
from tests.support.cli import actor_of
from tests.support.said import in_both


def test_a_plan_that_breaks_the_rules_lists_each_problem_in_chinese(case):  # noqa: F811
    with pytest.raises(InvalidInput) as err:
        plans.propose_plan(case, actor_of(case, "amy"), "C1", two(255_000, OVERDUE_FEN - 255_000 - 1))
    assert str(err.value) == "the instalments add up to ¥5,099.99, less than the overdue amount ¥5,100.00"
    assert in_both(err.value) == "还款计划有问题：各期合计 ¥5,099.99，少于逾期金额 ¥5,100.00"
    assert Translator("zh").problems(err.value) == ["各期合计 ¥5,099.99，少于逾期金额 ¥5,100.00"]
    assert err.value.problems == [str(err.value)]  # the English problems stay as they were (logs, JSON)


def test_several_problems_are_joined_as_each_language_joins_them(case):  # noqa: F811
    with pytest.raises(InvalidInput) as err:
        plans.propose_plan(case, actor_of(case, "amy"), "C1", two(0, 600_000, second=two(0, 0)[0].due_date))
    zh = in_both(err.value)
    assert zh == "还款计划有问题：第 1 期：金额必须大于零；第 2 期：2026-12-15 与第 1 期是同一天"
    assert str(err.value) == (
        "instalment 1: the amount must be above zero; instalment 2: 2026-12-15 is also the date of instalment 1"
    )


def test_instalments_that_do_not_parse_read_in_chinese():
    with pytest.raises(InvalidInput) as err:
        parse_instalments(["15/12/2026:100", "2026-12-15:abc"])
    assert Translator("zh").problems(err.value)[0] == "第 1 期：应为 YYYY-MM-DD 格式的日期，收到 '15/12/2026'"
    assert in_both(err.value).startswith(
        "还款计划有问题：第 1 期：应为 YYYY-MM-DD 格式的日期，收到 '15/12/2026'；第 2 期："
    )


def test_the_proposer_cannot_approve_their_own_plan_in_chinese(case):  # noqa: F811
    sue = actor_of(case, "sue")
    plan = plans.propose_plan(case, sue, "C1", seven())
    with pytest.raises(PermissionDenied) as err:
        plans.approve_plan(case, sue, plan.plan_id)
    assert in_both(err.value) == f"还款计划 {plan.plan_id}：提出人不能批准自己的计划"
    with pytest.raises(InvalidInput) as live:
        plans.propose_plan(case, actor_of(case, "amy"), "C1", two(300_000, 300_000))
    assert in_both(live.value) == f"该借款人已有还款计划 #{plan.plan_id}（proposed）；主管可以取消它"


def test_a_dispute_refusal_reads_in_chinese(bank):  # noqa: F811
    sue = actor_of(bank, "sue")
    with pytest.raises(NotFound) as missing:
        disputes.resolve_dispute(bank, sue, 99, upheld=True, reason="再次核实")
    assert in_both(missing.value) == "没有异议 99"
    with pytest.raises(InvalidInput) as reason:
        disputes.resolve_dispute(bank, sue, 1, upheld=True, reason="  ")
    assert in_both(reason.value) == "reason：必须填写"


def test_a_refused_answer_template_names_its_problem_in_chinese():
    from collectui.domain.cases.dispute_answer import answer_template
    from collectui.domain.policy import policy_from_dict

    policy = policy_from_dict({"disputes": {"answer_sms": {"zh": "{masked_name}您好，异议已核实。{hotline}"}}})
    with pytest.raises(InvalidInput) as err:
        answer_template(policy, "zh")
    assert str(err.value).startswith("disputes.answer_sms.zh is refused: ")
    zh = in_both(err.value)
    assert zh == (
        "disputes.answer_sms.zh 未通过检查：异议答复中不允许使用 {masked_name}（答复从不写出借款人姓名）；"
        "允许：{bank}, {hotline}, {opened_on}"
    )
