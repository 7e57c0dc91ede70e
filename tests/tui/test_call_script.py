"""Pilot tests of the call screen's talk-script panel: it follows the number and the outcome, F2 collapses
it, and it starts collapsed on a narrow terminal. Borrower C1 and her spouse K1: tests/support/calls.py."""

from __future__ import annotations

import pytest
from textual.widgets import Select
from textual.widgets._footer import FooterKey

from collectui.domain.policy import policy_from_dict
from collectui.domain.portfolio.refresh import run as refresh
from collectui.tui.app import CollectApp
from collectui.tui.i18n import Translator
from collectui.tui.screens.call import CallScreen
from collectui.tui.widgets.call.script_panel import ScriptPanel
from tests.support.calls import at, log, seed, set_customer
from tests.support.sms import add_message
from tests.support.tui import aio, wait_for, work_list
from tests.tui.test_call import CallTestApp, check_and_dial, pick, picker_ready, user

WIDE, NARROW = (160, 50), (100, 40)


def panel_text(screen) -> str:
    return screen.query_one("#call-script", ScriptPanel).plain


def collapsed(screen) -> bool:
    return screen.query_one("#call-script", ScriptPanel).has_class("collapsed")


def make_ctx(ctx):
    seed(ctx)
    ctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})
    refresh.refresh(ctx, ["C1"])
    add_message(ctx, "C1", "sent", at(27, 9).date(), sent_at=at(27, 9))  # the reminder before the cycle's first call
    return ctx


@aio
async def test_the_panel_follows_the_number_and_the_outcome(ctx):
    sctx = make_ctx(ctx)
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=WIDE) as pilot:
        screen = await picker_ready(pilot, app)
        assert not collapsed(screen)
        await wait_for(pilot, lambda: "Opening" in panel_text(screen))
        text = panel_text(screen)
        # The opening first, with the bank and the collector filled in and, on the cycle's first call, the SMS.
        assert text.index("now · Opening") < text.index("then · Verifying identity") < text.index("then · Stating")
        assert (
            "my name is amy, I am calling from 示例村镇银行" in text
            and "first contact of this collection cycle" in text
        )
        assert "reminder text message" in text  # it went out yesterday (make_ctx)
        assert "CNY 5,100.00, due on 2026-10-01" in text
        # The spouse's number under the cursor: the third-party script, never the amount.
        await pick(pilot, screen, "K1")
        await wait_for(pilot, lambda: "A third party answers" in panel_text(screen))
        assert "5,100.00" not in panel_text(screen) and "never disclose the debt" in panel_text(screen)
        await pick(pilot, screen, "debtor")
        await check_and_dial(pilot, screen)
        outcome = screen.query_one("#f-outcome", Select)
        for value, title in (
            ("hardship", "now · The borrower cannot pay"),
            ("dispute", "now · The debt is not theirs"),
            ("cease_request", "now · The borrower asks us to stop calling"),
            ("hung_up", "now · The borrower is angry"),
            ("promise_to_pay", "now · A promise or a plan"),
        ):
            outcome.value = value
            await wait_for(pilot, lambda t=title: t in panel_text(screen))
        assert "then · Closing" in panel_text(screen)
        outcome.value = "no_answer"
        await wait_for(pilot, lambda: "Nobody answered" in panel_text(screen))


@aio
async def test_a_vulnerable_borrower_on_a_repeat_call_in_chinese(ctx):
    sctx = make_ctx(ctx)
    set_customer(sctx, vulnerable=True)
    assert log(sctx, "sue", "no_answer", when=at(28, 9)).saved  # earlier today: not the first contact of the cycle
    app = CallTestApp(sctx, user(sctx, "sue", "supervisor"), lambda: CallScreen("C1"))
    app._t = Translator("zh")
    async with app.run_test(size=WIDE) as pilot:
        screen = await picker_ready(pilot, app)
        await wait_for(pilot, lambda: "开场" in panel_text(screen))
        text = panel_text(screen)
        assert text.index("当前 · 老年或需要特别关照的借款人") < text.index("接着 · 开场")
        assert "需特别关照的借款人" in text and "温馨提示短信" not in text  # a repeat: no SMS line


@aio
async def test_f2_collapses_and_a_narrow_terminal_starts_collapsed(ctx):
    sctx = make_ctx(ctx)
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=NARROW) as pilot:
        screen = await picker_ready(pilot, app)
        assert collapsed(screen) and not screen.query_one("#call-script").display
        await pilot.press("f2")
        assert not collapsed(screen)
        await wait_for(pilot, lambda: "Opening" in panel_text(screen))
        await pilot.press("f2")
        assert collapsed(screen)
        await pilot.resize_terminal(*WIDE)
        await wait_for(pilot, lambda: not collapsed(screen))  # wide again: the width decides
        await pilot.press("f2")
        assert collapsed(screen)
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        assert collapsed(screen)


@aio
async def test_a_scripts_file_changed_to_hold_a_banned_phrase_is_not_shown(ctx, tmp_path):
    from collectui.domain.conduct.scripts import SHIPPED_FILE

    sctx = make_ctx(ctx)
    path = tmp_path / "bank.toml"
    path.write_text(SHIPPED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    sctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}, "scripts": {"file": str(path)}})
    path.write_text(SHIPPED_FILE.read_text(encoding="utf-8").replace("Hello, my name", "Pay or jail. Hello, my name"))
    app = CallTestApp(sctx, user(sctx, "amy"), lambda: CallScreen("C1"))
    async with app.run_test(size=WIDE) as pilot:
        screen = await picker_ready(pilot, app)
        await wait_for(pilot, lambda: "No script" in panel_text(screen))
        assert "opening [en] line 1: holds the banned phrase 'jail'" in panel_text(screen)
        assert "Pay or" not in panel_text(screen)


@pytest.mark.parametrize("lang, script", [("zh", "话术"), ("en", "Script")])
@aio
async def test_the_key_is_in_the_footer_and_in_help(bank, lang, script):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await work_list(pilot, "zhang")
        app.push_screen(CallScreen("C0001"))
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen) and app.screen.scripts is not None)
        await wait_for(pilot, lambda: ("f2", script) in {(k.key, k.description) for k in app.screen.query(FooterKey)})
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        assert ("f2", script) in app.screen.rows()
