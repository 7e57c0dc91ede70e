"""The trainer's report and the score screen name a mistake the same way, in the reader's language: a quiz
topic by its name, a wrong outcome with the outcome filled in (never a raw ``{outcome}``), a checklist item by
its name, and a bank's own id as it is."""

from __future__ import annotations

import pytest

from collectui.tui.i18n import Translator
from collectui.tui.screens.training_report import _mistake_name


@pytest.mark.parametrize(
    ("lang", "mistake_id", "expected"),
    [
        ("zh", "call_hours", "拨打时段"),
        ("en", "call_hours", "call hours"),
        ("zh", "outcome.no_answer", "记录的结果“无人接听”不符合预期"),
        ("en", "gate_ignored", Translator("en")("trn.mistake.gate_ignored")),
        ("zh", "our_own_rule", "our_own_rule"),
    ],
)
def test_a_mistake_reads_by_name(lang, mistake_id, expected):
    name = _mistake_name(Translator(lang), mistake_id)
    assert name == expected
    assert "{" not in name


def test_a_checklist_item_is_named_in_both_languages():
    zh = _mistake_name(Translator("zh"), "checklist.verified_identity")
    en = _mistake_name(Translator("en"), "checklist.verified_identity")
    assert zh.startswith("核对项未勾选：") and "verified_identity" not in zh
    assert en.startswith("Checklist item missing: ")
