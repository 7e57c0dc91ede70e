"""Feedback: validation, the link to the call and its collector, personal numbers masked in the text, CLI."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.voice.feedback import FeedbackInput, add_feedback, list_feedback, scrub_personal_data
from collectui.storage.models import AuditEvent
from tests.support.cli import actor_of, db_arg, sign_in
from tests.support.report_rows import local


@pytest.mark.parametrize(
    "text, expected, kinds",
    [
        ("打我13812345678", "打我138****5678", {"phone": 1}),
        ("号码 138 1234 5678 和 138-1234-5678", "号码 138****5678 和 138****5678", {"phone": 2}),
        ("+86 13812345678", "138****5678", {"phone": 1}),
        ("全角１３８１２３４５６７８", "全角138****5678", {"phone": 1}),
        ("身份证110101199003070011，", "身份证1*************0011，", {"id_number": 1}),
        ("id 11010119900307001x", "id 1*************001x", {"id_number": 1}),
        ("座机 010-12345678", "座机 0101*****78", {"phone": 1}),
        ("卡号6222020200112233445", "卡号***************3445", {"account": 1}),
        ("欠款 1234.50 元，12 期", "欠款 1234.50 元，12 期", {}),
        ("订单2026112812", "订单2026112812", {}),
    ],
)
def test_scrub(text, expected, kinds):
    result = scrub_personal_data(text)
    assert result.text == expected
    assert result.masked == kinds


def test_add_links_call_and_collector(fb):
    fid = add_feedback(
        fb,
        actor_of(fb, "li"),
        FeedbackInput(
            "C1",
            "negative",
            "call",
            ("attitude", "privacy"),
            2,
            3,
            "他把我电话13812345678告诉了别人",
            call_id=fb.call_id,
        ),
    )
    [row] = list_feedback(fb, "C1")
    assert row.id == fid and row.collector_id is not None and row.call_id == fb.call_id
    assert row.text == "他把我电话138****5678告诉了别人" and row.categories == ["attitude", "privacy"]
    with fb.db.read() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "feedback.add")).one()
    assert event.details["masked_numbers"] == {"phone": 1} and "13812345678" not in json.dumps(event.details)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(sentiment="angry"), "sentiment"),
        (dict(channel="fax"), "channel"),
        (dict(categories=("rudeness",)), "category"),
        (dict(categories=("attitude", "attitude")), "twice"),
        (dict(satisfaction=0), "satisfaction"),
        (dict(satisfaction=6), "satisfaction"),
        (dict(recommend=11), "recommend"),
        (dict(recommend=-1), "recommend"),
        (dict(text="x" * 2001), "at most"),
    ],
)
def test_bad_input(fb, kwargs, error):
    base = dict(customer_id="C1", sentiment="neutral", channel="survey")
    with pytest.raises(InvalidInput, match=error):
        add_feedback(fb, actor_of(fb, "li"), FeedbackInput(**{**base, **kwargs}))
    assert list_feedback(fb, "C1") == []


def test_references(fb):
    with pytest.raises(NotFound):
        add_feedback(fb, actor_of(fb, "li"), FeedbackInput("C9", "neutral", "survey"))
    with pytest.raises(NotFound):
        add_feedback(fb, actor_of(fb, "li"), FeedbackInput("C1", "neutral", "call", call_id=999))
    with pytest.raises(InvalidInput, match="not with customer"):
        add_feedback(fb, actor_of(fb, "li"), FeedbackInput("C2", "neutral", "call", call_id=fb.call_id))
    with pytest.raises(InvalidInput, match="did not make call"):
        add_feedback(
            fb, actor_of(fb, "li"), FeedbackInput("C1", "neutral", "call", call_id=fb.call_id, collector="wang")
        )
    with pytest.raises(NotFound):
        add_feedback(fb, actor_of(fb, "li"), FeedbackInput("C1", "neutral", "branch", collector="ghost"))
    with pytest.raises(InvalidInput, match="future"):
        add_feedback(
            fb, actor_of(fb, "li"), FeedbackInput("C1", "neutral", "branch", at=fb.clock.now() + timedelta(days=1))
        )


def test_cli_feedback_add(fb):
    args = [
        "--db",
        db_arg(fb.db),
        "feedback",
        "add",
        "C1",
        "--sentiment",
        "positive",
        "--channel",
        "call",
        "--category",
        "attitude",
        "--category",
        "language",
        "--satisfaction",
        "5",
        "--recommend",
        "9",
        "--call",
        str(fb.call_id),
        "--text",
        "态度很好",
        "--at",
        "2026-11-27T15:00",
    ]
    sign_in(db_arg(fb.db), "li")
    r = CliRunner().invoke(build_app(), args, env={"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"})
    assert r.exit_code == 0, r.output
    [row] = list_feedback(fb, "C1")
    assert row.categories == ["attitude", "language"] and row.satisfaction == 5 and row.collector_id is not None
    assert row.at == local(2026, 11, 27, 15)
    bad = CliRunner().invoke(
        build_app(), args[:-2] + ["--satisfaction", "9"], env={"COLLECTUI_NOW": "2026-11-28T10:00"}
    )
    assert bad.exit_code == 2 and "satisfaction" in bad.output  # out of 1-5: a usage error
    assert len(list_feedback(fb, "C1")) == 1


def test_a_quoted_threat_is_kept_word_for_word_and_flagged_for_a_supervisor(fb):
    text = "催收员说不还钱就让你坐牢"
    add_feedback(fb, actor_of(fb, "li"), FeedbackInput("C1", "negative", "call", ("attitude",), 1, None, text))
    [row] = list_feedback(fb, "C1")
    assert row.text == text
    with fb.db.read() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "feedback.add")).one()
    assert event.details["phrases_flagged"] == ["threats"] and text not in json.dumps(event.details)
    add_feedback(fb, actor_of(fb, "li"), FeedbackInput("C1", "positive", "call", (), 5, None, "态度很好"))
    with fb.db.read() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "feedback.add")).all()
    assert "phrases_flagged" not in events[-1].details
