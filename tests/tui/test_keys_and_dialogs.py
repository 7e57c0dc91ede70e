"""Pilot tests of the TUI's keys and dialogs: the palette, the help, q, u and unmasking."""

import pytest
from sqlmodel import select
from textual.widgets import Footer, Input, RadioSet
from textual.widgets._footer import FooterKey

from collectui.domain.privacy.unmask import MIN_CJK, MIN_WORDS
from collectui.storage.models import AuditEvent
from collectui.tui.app import CollectApp
from collectui.tui.commands import WorkCommands
from tests.support.tui import aio, settled, wait_for, work_list

SIZE = (100, 30)


def unmask_events(ctx):
    with ctx.db.read() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == "profile.unmask")))


async def palette_entries(app):
    provider = WorkCommands(app.screen)
    return [(str(hit.display), hit.help) async for hit in provider.discover()]


async def open_profile(pilot):
    app = pilot.app
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfileScreen" and app.screen.profile)
    return app.screen


@pytest.mark.parametrize("lang", ["zh", "en"])
@aio
async def test_palette_offers_only_localised_commands_with_their_keys(bank, lang):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "wang")
        for _ in range(2):  # the work list, then a profile
            entries = await palette_entries(app)
            labels = [label for label, _help in entries]
            helps = " ".join(help_text for _label, help_text in entries)
            assert len(labels) == len(set(labels))
            for internal in ("focus", "Focus", "app.", "table(", "Copy selected", "screen."):
                assert internal not in " ".join(labels) and internal not in helps
            assert not {"back", "reload", "unmask", "filters", "search"} & set(helps.split())
            assert ("退出" in labels and "帮助" in labels) if lang == "zh" else ("Quit" in labels and "Help" in labels)
            assert ("移动" not in labels) if lang == "zh" else ("Move" not in labels)
            assert all(
                h.startswith("按键 " if lang == "zh" else "key ") or h in ("任何界面可用", "on every screen")
                for _l, h in entries
            )
            await open_profile(pilot) if type(app.screen).__name__ == "WorkListScreen" else None
        assert ("返回", "按键 esc") in entries if lang == "zh" else ("Back", "key esc") in entries
        # Searching matches what the user reads, not the action's name.
        provider = WorkCommands(app.screen)
        assert not [h async for h in provider.search("add_contact")]
        found = [str(h.text) async for h in provider.search("新增号码" if lang == "zh" else "Add number")]
        assert found and all("add_contact" not in text for text in found)


@aio
async def test_palette_has_no_english_system_commands(bank):
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    assert CollectApp.COMMANDS == {CollectApp.COMMANDS.copy().pop()} and len(CollectApp.COMMANDS) == 1
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "wang")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CommandPalette")
        await settled(pilot)
        shown = app.export_screenshot()
        for english in ("Screenshot", "Theme", "Keys", "Focus", "focus_next"):
            assert english not in shown
        assert "看板" in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
@aio
async def test_help_lists_each_key_and_each_description_once(bank, lang):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=(100, 45)) as pilot:
        await work_list(pilot, "wang")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        rows = app.screen.rows()
        keys = [k for k, _d in rows]
        texts = [d for _k, d in rows]
        assert len(keys) == len(set(keys)) and len(texts) == len(set(texts))
        assert "↑↓jk" in keys and "q" in keys
        shown = app.export_screenshot()
        # The hint under the table no longer repeats the keys of the table.
        assert "j/k" not in shown and "PgUp/PgDn" not in shown
        hints = " ".join(str(hint.content) for hint in app.screen.query(".hint"))
        assert ("输入框" in hints) if lang == "zh" else ("q quits from every screen" in hints)
        await pilot.press("escape")
        await open_profile(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        rows = app.screen.rows()
        assert ("q", "退出" if lang == "zh" else "Quit") in rows  # q quits from the profile too
        assert len({k for k, _d in rows}) == len(rows)


@aio
async def test_q_quits_from_a_profile_but_is_text_in_a_search(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        line = screen.query_one("#search")
        await pilot.press("slash", "q")
        await settled(pilot)
        assert app.is_running and line.query_text == "q"
        await pilot.press("backspace", "escape")
        await settled(pilot)
        await open_profile(pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)


@aio
async def test_q_does_not_quit_from_a_dialog_or_the_call_form(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "wang")
        profile = await open_profile(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "UnmaskScreen")
        assert app.check_action("quit", ()) is False
        from collectui.tui.screens.call import CallScreen

        assert app.may_quit_from(CallScreen(profile.customer_id)) is False
        assert app.may_quit_from(profile) is True
        await pilot.press("q")
        await settled(pilot)
        assert app.is_running and type(app.screen).__name__ == "UnmaskScreen"


@pytest.mark.parametrize("lang", ["zh", "en"])
@aio
async def test_collector_pressing_u_is_told_unmasking_is_for_supervisors(bank, lang):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "zhang")
        await pilot.press("u")  # on the work list u means nothing: no message
        await settled(pilot)
        assert not app._notifications
        await open_profile(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: bool(app._notifications))
        [note] = list(app._notifications)
        assert note.message == (
            "只有主管或管理员可以查看明文" if lang == "zh" else "Only a supervisor or an admin may unmask"
        )
        assert type(app.screen).__name__ == "ProfileScreen" and unmask_events(bank) == []


@aio
async def test_unmask_dialog_preselects_no_field_and_states_the_rule(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "wang")
        profile = await open_profile(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "UnmaskScreen")
        dialog = app.screen
        fields = dialog.query_one("#field", RadioSet)
        assert fields.pressed_button is None
        label = str(dialog.query_one("#reason-label").content)
        assert label == f"Reason (at least {MIN_WORDS} words or {MIN_CJK} Chinese characters)"
        # A reason and Enter without a field: nothing is revealed, the dialog asks for the field. The reason is
        # put in its box, not typed (35 keys, a second of Pilot's waiting; typing is test_app's sign-in test).
        reason = dialog.query_one("#reason", Input)
        reason.focus()
        reason.value = "borrower asks to confirm the number"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Choose the field" in str(dialog.query_one("#message").content))
        assert app.screen is dialog and profile.clear_values == {} and unmask_events(bank) == []
        assert app.focused is fields
        # Pick the phone (the second field) with the arrows: the reason box takes the focus, Enter reveals it.
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("enter")
        await wait_for(pilot, lambda: "phone" in profile.clear_values)
        assert "name" not in profile.clear_values
        [event] = unmask_events(bank)
        assert '"phone"' in event.details or "phone" in str(event.details)


@aio
async def test_unmask_reason_label_in_chinese(bank):
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "wang")
        await open_profile(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "UnmaskScreen")
        assert f"至少 {MIN_WORDS} 个词或 {MIN_CJK} 个汉字" in str(app.screen.query_one("#reason-label").content)


@pytest.mark.parametrize("lang", ["zh", "en"])
@aio
async def test_footer_palette_key_covers_the_last_column_at_80(bank, lang):
    """The docked ^p key kept the compact footer's right margin: the last column showed a stray letter."""
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await work_list(pilot, "wang")
        for _ in range(2):
            await settled(pilot)
            footer = app.screen.query_one(Footer)
            [palette] = [k for k in footer.query(FooterKey) if k.has_class("-command-palette")]
            assert palette.region.right == footer.region.right == 80
            if type(app.screen).__name__ == "WorkListScreen":
                await open_profile(pilot)
