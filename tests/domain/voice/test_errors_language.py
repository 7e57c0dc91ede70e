"""A complaint or feedback refusal reads in the person's language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collectui.domain.errors import InvalidInput
from collectui.domain.voice import complaints
from collectui.domain.voice.feedback import FeedbackInput, add_feedback
from collectui.tui.i18n import Translator
from tests.domain.voice.test_complaints import seeded  # noqa: F401  (the fixture)
from tests.support.cli import actor_of
from tests.support.said import in_both


def test_a_complaint_refusal_reads_in_chinese(seeded, clock):  # noqa: F811
    li = actor_of(seeded, "li")
    with pytest.raises(InvalidInput) as about:
        complaints.open_complaint(seeded, li, "C1", "weather", "x")
    assert in_both(about.value).startswith("about：应为 ") and in_both(about.value).endswith(" 之一，收到 'weather'")
    with pytest.raises(InvalidInput) as future:
        complaints.open_complaint(seeded, li, "C1", "service", "x", at=clock.now() + timedelta(hours=1))
    assert in_both(future.value) == "at：不能是将来的时间"
    cid = complaints.open_complaint(seeded, li, "C1", "service", "x")
    with pytest.raises(InvalidInput) as hold:
        complaints.clear_hold(seeded, actor_of(seeded, "boss"), cid, "核实完毕")
    assert in_both(hold.value) == f"投诉 {cid} 没有生效中的暂停"


def test_feedback_field_problems_are_listed_in_chinese(fb):
    bad = FeedbackInput("C1", "angry", "survey", satisfaction=6)
    with pytest.raises(InvalidInput) as err:
        add_feedback(fb, actor_of(fb, "li"), bad)
    assert str(err.value) == (
        "sentiment: expected one of positive, neutral, negative, got 'angry'; satisfaction: expected 1-5, got 6"
    )
    assert in_both(err.value) == (
        "反馈有问题：sentiment：应为 positive, neutral, negative 之一，收到 'angry'；satisfaction：应为 1-5，收到 6"
    )
    assert (
        Translator("en").problems(err.value)
        == err.value.problems
        == [
            "sentiment: expected one of positive, neutral, negative, got 'angry'",
            "satisfaction: expected 1-5, got 6",
        ]
    )
