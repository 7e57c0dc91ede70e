"""Lists inside a sentence are joined as the language joins them (、 in Chinese, ", " in English), and the SMS
screen names its gateway rather than showing the policy's code (通道：文件批次, not 通道：file)."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Static

from collectui.domain.calls.targets import CallTarget
from collectui.domain.worklist.profile import EventView
from collectui.tui.i18n import Translator
from collectui.tui.screens.login import demo_accounts
from collectui.tui.screens.sms import SmsScreen
from collectui.tui.widgets.call.picker import state_label
from collectui.tui.widgets.profile.format import event_detail
from collectui.tui.wording import listed
from tests.support.tui import ScreenHost, aio
from tests.tui.test_sms import BOSS, settle

ZH, EN = Translator("zh"), Translator("en")


def test_listed_joins_as_the_language_does():
    assert listed(ZH, ["甲", "乙", "丙"]) == "甲、乙、丙"
    assert listed(EN, ["a", "b"]) == "a, b"
    assert listed(ZH, []) == ""


def test_a_refused_call_names_its_rules_joined_by_the_language():
    ev = EventView(datetime(2026, 11, 28, 9), "call", "refused", note="do_not_call, call_window")
    zh = event_detail(ZH, ev)
    assert "、" in zh and ", " not in zh and "do_not_call" not in zh
    assert event_detail(EN, ev) == "rules: do-not-call, " + EN("wl.flag.call_window")


def test_a_numbers_states_and_the_demo_accounts_in_chinese():
    target = CallTarget("C1-1", "spouse", "王*", "138****0000", refused_calls=True, phone_invalid=True)
    assert state_label(target, ZH) == f"{ZH('call.state.invalid')}、{ZH('call.state.refused')}"
    assert state_label(target, EN) == f"{EN('call.state.invalid')}, {EN('call.state.refused')}"
    assert demo_accounts("、")["other_users"] == "admin、trainer、trainee"


@aio
@pytest.mark.parametrize("lang, shown", [("zh", "通道：文件批次"), ("en", "Gateway: file batches")])
async def test_the_sms_screen_names_its_gateway(ctx, lang, shown):
    app = ScreenHost(ctx, BOSS, SmsScreen, lang)
    async with app.run_test(size=(140, 40)) as pilot:
        assert await settle(app, pilot, lambda: isinstance(app.screen, SmsScreen) and app.screen.counts)
        window = str(app.screen.query_one("#sms-window", Static).render())
        assert window.endswith(shown) and "file" not in window.replace("file batches", "")
