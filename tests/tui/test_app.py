"""Pilot tests of the TUI on the small seeded bank with a fixed clock."""

from datetime import timedelta

import pytest
from rich.cells import cell_len
from sqlmodel import select

from collectui.domain.privacy import unmask as um
from collectui.storage.models import AuditEvent, Customer
from collectui.tui.app import CollectApp
from collectui.tui.screens.login import LockScreen, LoginScreen
from tests.support.tui import aio, settled, sign_in, wait_for, work_list, work_list_ready
from tests.support.tui_bank import PASSWORD

SIZE = (100, 30)


def actions(ctx, action):
    with ctx.db.read() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)))


@aio
async def test_login_good_opens_the_work_list(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        assert app.user.username == "zhang"
        assert screen.table.total == 25
        assert screen.table.current_row.rank == 1
        # zhang's own borrowers (every third of 城关's) first, then the branch's unassigned ones
        first = [screen.table.row_at(i) for i in range(3)]
        assert all(row.collector == "zhang" for row in first)
        assert "zhang" in [e.actor for e in actions(bank, "login.ok")]


@aio
async def test_login_typed_with_tab_between_fields(bank):
    """As a person signs in: type the name, Tab to the password, type it, Enter."""
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press(*"zhang", "tab", *PASSWORD, "enter")
        await wait_for(pilot, lambda: app.user is not None)
        assert app.user.username == "zhang"
        # The sign-in goes on (the work list, its title, its first page): closing the app in the middle of it
        # fails in Textual's teardown (a header retitled after it was unmounted).
        await wait_for(pilot, lambda: work_list_ready(app))
        await settled(pilot)


@aio
async def test_login_bad_then_lockout(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        message = app.screen.query_one("#message")
        for attempt in range(1, 6):
            await sign_in(pilot, "zhang", "wrong-password")
            await wait_for(pilot, lambda: str(message.content) not in ("", "Checking…"))
            assert isinstance(app.screen, LoginScreen)
            if attempt < 5:
                assert str(message.content) == "Wrong username or password"
            else:  # the lockout is said when it happens
                assert str(message.content) == "Wrong username or password; the account is now locked for 15 min"
            message.update("")
        # Locked now: even the right password is refused, with the minutes left.
        await sign_in(pilot, "zhang", PASSWORD)
        await wait_for(pilot, lambda: "locked" in str(message.content))
        assert str(message.content).startswith("Account locked; try again in ")
        assert app.user is None
    assert len(actions(bank, "login.locked")) == 1
    assert len([e for e in actions(bank, "login.fail") if e.actor == "zhang"]) == 4


def test_login_messages_in_both_languages(bank):
    from collectui.domain.errors import PermissionDenied
    from collectui.tui.screens.login import _message

    said = {
        lang: [
            _message(CollectApp(bank, lang=lang, refresh_on_start=False), PermissionDenied(text))
            for text in (
                "wrong username or password",
                "wrong username or password; the account is now locked for 15 min",
                "account locked; try again in 7 min",
            )
        ]
        for lang in ("en", "zh")
    }
    assert said["en"] == [
        "Wrong username or password",
        "Wrong username or password; the account is now locked for 15 min",
        "Account locked; try again in 7 min",
    ]
    assert said["zh"] == ["用户名或密码错误", "用户名或密码错误；账户现已锁定 15 分钟", "账户已锁定，请 7 分钟后再试"]


@aio
async def test_navigation_keys(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        table = screen.table
        await pilot.press("down", "j", "j", "k")
        await wait_for(pilot, lambda: table.cursor == 2)
        await pilot.press("end")
        # 城关's 30 less five held back: do-not-call C0005, dispute C0009, complaint C0011, promise C0001,
        # no reminder yet C0013.
        await wait_for(pilot, lambda: table.cursor == 24 and table.settled)
        assert table.current_row.rank == 25
        await pilot.press("home")
        await wait_for(pilot, lambda: table.cursor == 0)
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: table.cursor == table.scrollable_content_region.height - 1)
        await pilot.press("pageup")
        await wait_for(pilot, lambda: table.cursor == 0)
        # A click selects a row; the row shown is the one ranked there.
        await pilot.click("#table", offset=(5, 3))
        await wait_for(pilot, lambda: table.cursor == 3)
        assert table.current_row.rank == 4


@aio
async def test_rows_are_laid_out_again_when_the_scrollbar_takes_a_column(bank):
    """The scrollbar appears once the rows are counted, and Textual sends no Resize for it: a layout made
    for the width before it must be redone when the rows are drawn, or every row is cut by one cell."""
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        table = screen.table
        width = table.scrollable_content_region.width
        assert width < table.size.width  # the scrollbar is there
        table._relayout(width + 1)  # as if laid out before the scrollbar took its column
        lines = [table.render_line(y).text.rstrip() for y in range(table.scrollable_content_region.height)]
        assert lines[0].split()[0] == "1" and not any(line.endswith("…") for line in lines)
        assert cell_len(str(screen.query_one("#colhead").render())) <= width


@aio
async def test_search_by_customer_id_moves_the_cursor(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        target = "C0004"
        await pilot.press("slash", *target, "enter")
        await wait_for(pilot, lambda: screen.table.current_row and screen.table.current_row.customer_id == target)
        # Not in this list (do-not-call is not callable): a warning, the cursor stays.
        before = screen.table.cursor
        await pilot.press("slash", *"C0005", "enter")
        await settled(pilot)
        assert screen.table.cursor == before


@aio
async def test_keys_typed_into_a_search_are_text_not_commands(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        line = screen.query_one("#search")
        await pilot.press("slash", "c", "q", "j", "f")
        assert line.active and line.query_text == "cqjf"
        assert app.screen is screen and app.is_running  # no call, no quit, no move, no filter dialog
        await pilot.press("backspace", "escape")
        assert not line.active and screen.table.cursor == 0
        await pilot.press("j")  # out of search mode the keys are commands again
        await wait_for(pilot, lambda: screen.table.cursor == 1)


@aio
async def test_filters_bucket_and_include_blocked(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        await pilot.press("f")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FilterScreen")
        dialog = app.screen
        dialog.query_one("#bucket").value = "M3"
        dialog.query_one("#blocked").value = True
        await pilot.click("#apply")
        await wait_for(
            pilot, lambda: screen.work_filter.bucket == "M3" and screen.table.settled and screen.table.total == 3
        )
        assert {screen.table.row_at(i).bucket for i in range(3)} == {"M3"}
        # Collectors cannot widen the branch.
        assert screen.work_filter.branch == "城关支行"
        await pilot.press("f")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FilterScreen")
        assert app.screen.query_one("#branch").disabled
        app.screen.query_one("#bucket").value = "__all__"
        await pilot.click("#apply")
        await wait_for(pilot, lambda: screen.table.total == 30)
        blocked = [screen.table.row_at(i) for i in range(30) if not screen.table.row_at(i).callable]
        assert {r.blocked_reason for r in blocked} == {
            "do_not_call",
            "dispute_hold",
            "complaint_hold",
            "promise_pending",
            "sms_notice",  # C0013: no reminder yet
        }


@aio
async def test_admin_can_see_all_branches(bank):
    # Supervisors, like collectors, answer for their own branch (docs/admin/access.md); admins see all.
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "root")
        await pilot.press("f")
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "FilterScreen" and len(app.screen.query_one("#branch")._options) == 3,
        )
        app.screen.query_one("#branch").value = "__all__"
        await pilot.click("#apply")
        await wait_for(pilot, lambda: screen.table.total == 33)  # 38 less the five held back (test_navigation_keys)


@aio
async def test_profile_opens_masked_and_goes_back(bank):
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        row = screen.table.current_row
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfileScreen" and app.screen.profile)
        profile = app.screen
        assert profile.customer_id == row.customer_id and profile.profile.name == row.name
        with bank.db.read() as s:
            clear = s.exec(select(Customer).where(Customer.customer_id == row.customer_id)).one()
        shown = app.export_screenshot()
        assert row.name in shown and clear.name not in shown and clear.phone not in shown
        # A collector has no unmask key: pressing it changes nothing and writes no audit event.
        assert profile.check_action("unmask", ()) is False
        await pilot.press("u")
        await settled(pilot)
        assert type(app.screen).__name__ == "ProfileScreen" and not profile.clear_values
        assert actions(bank, "profile.unmask") == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen")


@aio
async def test_supervisor_unmasks_for_a_while(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "wang")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfileScreen" and app.screen.profile)
        profile = app.screen
        await pilot.press("u")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "UnmaskScreen")
        dialog = app.screen
        await pilot.press("enter")  # the name (the first field); the reason box takes the focus
        await pilot.press(*"ok", "enter")  # too short
        await wait_for(pilot, lambda: "reason" in str(dialog.query_one("#message").content))
        dialog.query_one("#reason").value = "borrower asks to confirm the number"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "name" in profile.clear_values)
        assert profile.clear_values["name"] != profile.profile.name
        [event] = actions(bank, "profile.unmask")
        assert event.actor == "wang" and event.target_id == profile.customer_id
        profile.remask("name")  # what the 30-second timer calls
        assert profile.clear_values == {}
        # Unmasked again, then the idle lock: the clear value is gone before anyone can come back to it.
        profile.show_clear(um.Unmasked(profile.customer_id, "phone", "13900000000"))
        assert profile.clear_values
        bank.clock.advance(timedelta(minutes=11))
        assert app.check_idle_lock() and profile.clear_values == {}
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))


@aio
async def test_idle_lock_with_injected_clock(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False, idle_check_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "zhang")
        # Not yet idle long enough: asked directly (a pause and a look would pass whether or not the timer ran).
        bank.clock.advance(timedelta(minutes=9))
        assert app.check_idle_lock() is False and not app.locked
        await pilot.press("down")  # activity resets the idle time
        await wait_for(pilot, lambda: app.last_activity == bank.clock.now())
        bank.clock.advance(timedelta(minutes=9))
        assert app.check_idle_lock() is False and not app.locked
        bank.clock.advance(timedelta(minutes=1, seconds=1))
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        assert app.locked
        # Keys of the list underneath do nothing while locked.
        assert app.check_action("help", ()) is False
        await pilot.press(*"wrong-pass", "enter")
        await wait_for(pilot, lambda: "Wrong" in str(app.screen.query_one("#message").content))
        await pilot.press(*PASSWORD, "enter")
        # The lock screen is popped before its callback unlocks: wait for the unlock, not for the screen.
        await wait_for(pilot, lambda: not app.locked)
        assert type(app.screen).__name__ == "WorkListScreen"
        await settled(pilot)  # the lock's audit event is written by a worker
    assert [e.actor for e in actions(bank, "session.idle_lock")] == ["zhang"]


@aio
async def test_role_keys_are_hidden_for_collectors(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        assert screen.check_action("dashboard", ()) is False and screen.check_action("sms", ()) is False
        assert screen.check_action("call", ()) is True


@pytest.mark.parametrize("lang", ["zh", "en"])
@aio
async def test_help_and_palette_in_both_languages(bank, lang):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await work_list(pilot, "wang")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        shown = app.export_screenshot()
        assert ("翻页" in shown) if lang == "zh" else ("Page" in shown)
        assert "Focus Next" not in shown  # Textual's own untranslated keys are left out
        await pilot.press("escape")
        from collectui.tui.commands import WorkCommands

        provider = WorkCommands(app.screen)
        hits = [hit async for hit in provider.discover()]
        labels = {str(h.display) for h in hits}
        expected = {
            "zh": {"筛选", "搜索", "刷新", "看板", "短信"},
            "en": {"Filter", "Search", "Refresh", "Dashboard", "SMS"},
        }[lang]
        assert expected <= labels


def test_language_choice_order():
    from collectui.tui.i18n import detect_lang

    assert detect_lang("en", {"COLLECTUI_LANG": "zh", "LANG": "zh_CN.UTF-8"}) == "en"
    assert detect_lang(None, {"COLLECTUI_LANG": "zh_CN", "LANG": "en_US.UTF-8"}) == "zh"
    assert detect_lang(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert detect_lang(None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert detect_lang(None, {"LANG": "C.UTF-8"}) == "en"
    assert detect_lang("fr", {}) == "en"


def test_every_key_of_these_screens_is_translated_both_ways():
    from collectui.tui.i18n import load_catalog
    from collectui.tui.screens import filters, help, login, profile, unmask, worklist
    from collectui.tui.widgets.worklist.columns import COLUMNS

    catalog = load_catalog()
    for key, pair in catalog.items():
        assert len(pair) == 2 and all(isinstance(x, str) and x.strip() for x in pair), key
    used = {c.title for c in COLUMNS}
    for module, names in (
        (worklist, ["WorkListScreen"]),
        (profile, ["ProfileScreen"]),
        (unmask, ["UnmaskScreen"]),
        (filters, ["FilterScreen"]),
        (login, ["LoginScreen", "LockScreen"]),
        (help, ["HelpScreen"]),
    ):
        for name in names:
            used |= {b.description for b in getattr(module, name).BINDINGS if b.description}
    used |= {b.description for b in CollectApp.BINDINGS if b.description}
    assert sorted(k for k in used if k not in catalog) == []


def test_no_database_says_how_to_make_the_demo(tmp_path):
    from typer.testing import CliRunner

    from collectui.cli.app import build_app

    missing = tmp_path / "none.db"
    for args in ([], ["tui"]):
        result = CliRunner().invoke(build_app(), ["--db", str(missing), *args])
        assert result.exit_code == 1
        said = result.output.replace("\n", "")
        assert f"No database at {missing}." in said
        assert f"collectui --db {missing} init --admin NAME" in said
        assert f"collectui --db {missing} demo" in said
        assert "import --help" not in said
        assert not missing.exists()


def test_no_database_at_a_terminal_builds_no_demo_on_enter(tmp_path, monkeypatch):
    """A mistyped production path: the offer to build the demo there defaults to No."""
    from types import SimpleNamespace

    from typer.testing import CliRunner

    from collectui.cli.app import build_app
    from collectui.cli.commands import tui

    tty = SimpleNamespace(isatty=lambda: True)
    monkeypatch.setattr(tui, "sys", SimpleNamespace(stdin=tty, stdout=tty))
    missing = tmp_path / "bnak.db"
    result = CliRunner().invoke(build_app(), ["--db", str(missing)], input="\n")
    assert result.exit_code == 1
    assert f"Build the demo database at {missing} now? [y/N]" in result.output.replace("\n", "")
    assert not missing.exists()


@aio
async def test_sign_in_says_how_on_a_demo_database_only(bank):
    from collectui.storage.meta import set_meta

    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await settled(pilot)
        assert str(app.screen.query_one("#demo-hint").render()) == ""
    with bank.db.write() as s:
        set_meta(s, "demo", "1")
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        hint = app.screen.query_one("#demo-hint")
        await wait_for(pilot, lambda: "demo-cg-collector1" in str(hint.render()))
