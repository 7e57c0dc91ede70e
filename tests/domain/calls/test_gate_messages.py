"""The gate says its reasons as codes and values (``domain.said``); the faces translate them.

Read from the source, every ``said("gate....", ...)`` of the rules has a catalogue entry in both languages
whose placeholders are exactly the values given; asked for real, refusals carry their key, the English
entry rendered with the values is the domain's own wording, and the Chinese one reads in Chinese."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from collectui.domain.calls.record import check_call
from collectui.domain.policy import policy_from_dict
from collectui.tui.i18n import Translator, load_catalog
from collectui.tui.widgets.call.verdict import hit_text
from tests.support.calls import at, calls_policy, log, seed, set_customer
from tests.support.cli import actor_of

SOURCES = [
    Path("collectui/domain/calls/gate.py"),
    Path("collectui/domain/sms/notice.py"),
    Path("collectui/domain/portfolio/plan_hold.py"),
    Path("collectui/domain/staff/certification.py"),
]
WINDOW = {"earliest", "latest"}  # the sms_notice messages pass the reminder window as **window


def _said_calls() -> list[tuple[str, set[str], str]]:
    """(key, value names, where) of every said("gate....", text, **values) in the rules' modules."""
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "said":
                key = node.args[0]
                names = {k.arg for k in node.keywords if k.arg}
                if any(k.arg is None for k in node.keywords):  # **window
                    names |= WINDOW
                keys = [key.value] if isinstance(key, ast.Constant) else []
                found += [(k, names, f"{path}:{node.lineno}") for k in keys]
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_reason_key_has_both_languages_with_the_same_values():
    catalogue = load_catalog()
    calls = _said_calls()
    assert len(calls) >= 20  # the scan found the rules' messages
    for key, names, where in calls:
        assert key in catalogue, where
        zh, en = catalogue[key]
        assert _placeholders(zh) == names == _placeholders(en), where
        assert re.search(r"[\u4e00-\u9fff]", zh), where


@pytest.fixture
def sctx(ctx):
    seed(ctx, customers=2)
    ctx.policy = calls_policy()
    ctx.clock.current = at(28, 10)
    return ctx


def _refusal(ctx, rule, **kw):
    gate = check_call(ctx, actor_of(ctx, "amy"), kw.pop("customer", "C1"), at=kw.pop("when", None))
    hits = [r for r in gate.reasons + gate.warnings if r.rule == rule]
    assert hits, gate.reasons
    return hits[0]


def _both(hit):
    en, zh = Translator("en"), Translator("zh")
    assert hit.key.startswith("gate.")
    assert hit_text(hit, en) == hit.message  # the English entry is the domain's own wording
    text = hit_text(hit, zh)
    assert text != hit.message and re.search(r"[\u4e00-\u9fff]", text)
    return text


def test_call_window_late_at_night(sctx):
    text = _both(_refusal(sctx, "call_window", when=at(28, 22, 30)))
    assert "22:30" in text and "08:00-22:00" in text


def test_daily_attempts_and_do_not_call(sctx):
    sctx.clock.current = at(28, 14)  # the six attempts are in the past
    for hour in range(8, 14):
        log(sctx, when=at(28, hour), outcome="no_answer")
    assert "6" in _both(_refusal(sctx, "daily_attempts", when=at(28, 15)))
    set_customer(sctx, "C2", do_not_call=True)
    assert _both(_refusal(sctx, "do_not_call", customer="C2")) == "借款人要求不再来电"


def test_vulnerable_and_sms_notice(sctx):
    set_customer(sctx, "C1", vulnerable=True)
    _both(_refusal(sctx, "vulnerable_senior_only"))
    sctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": True}}})
    assert "提醒短信" in _both(_refusal(sctx, "sms_notice", customer="C2"))
