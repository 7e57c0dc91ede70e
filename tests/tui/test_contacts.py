"""The new number / contact dialog and the agreed call hours dialog (Pilot, minimal host App, the TUI bank)."""

from __future__ import annotations

import sqlite3

import pytest
from textual import events
from textual.widgets import Button, Input, Label, Select, Static

from collectui.domain.staff.users import list_users
from collectui.tui.screens.consent import ConsentHoursScreen
from collectui.tui.screens.contact_add import ContactAddScreen
from tests.support.cli import SYSTEM
from tests.support.tui import ScreenHost, aio, settled, wait_for


class Host(ScreenHost):
    """Shows the dialog and keeps what it was dismissed with."""

    def __init__(self, ctx, user, screen, lang: str = "en") -> None:
        super().__init__(ctx, user, screen, lang)
        self.results: list[object] = []

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # Textual would run ScreenHost.on_mount too, pushing a second dialog
        self.push_screen(self._screen(), callback=self.results.append)


def user(ctx, username):
    return next(u for u in list_users(ctx, SYSTEM) if u.username == username)


def q(ctx, sql, *args):
    conn = sqlite3.connect(ctx.db.path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def a_call_of(ctx, customer_id):
    return q(ctx, "SELECT min(id) FROM call_attempt WHERE customer_id = ? AND status = 'logged'", customer_id)[0][0]


async def typed(pilot, selector, text):
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()


def message(app) -> str:
    return str(app.screen.query_one("#message", Label).content)


# ---- new number or contact ------------------------------------------------------------------------------------


@aio
async def test_a_collector_adds_the_borrowers_other_number_learned_on_a_call(bank):
    call = a_call_of(bank, "C0001")
    app = Host(bank, user(bank, "zhang"), lambda: ContactAddScreen("C0001", call))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ContactAddScreen))
        screen = app.screen
        assert f"from call {call}" in str(screen.query_one(".dialog-title", Label).content)
        assert screen.query_one("#cn-name", Input).disabled and screen.query_one("#cn-relation", Select).disabled
        assert app.focused is screen.query_one("#cn-phone", Input)
        await pilot.press(*"139 1234 5678", "ctrl+s")
        await wait_for(pilot, lambda: app.results)
    assert app.results == ["N-C0001-1"]
    assert q(bank, "SELECT relation, phone, source, from_call_id FROM contact WHERE contact_id = 'N-C0001-1'") == [
        ("self", "13912345678", "call", call)
    ]


@aio
async def test_a_third_party_needs_a_name_and_a_relation(bank):
    app = Host(bank, user(bank, "zhang"), lambda: ContactAddScreen("C0001"), lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ContactAddScreen))
        screen = app.screen
        await pilot.click("#cn-third")
        await wait_for(pilot, lambda: not screen.query_one("#cn-name", Input).disabled)
        await typed(pilot, "#cn-phone", "13700001111")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: message(app) == "第三方需要填写姓名")
        assert app.focused is screen.query_one("#cn-name", Input)
        await typed(pilot, "#cn-name", "钱七")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: message(app) == "请选择与借款人的关系")
        screen.query_one("#cn-relation", Select).value = "guarantor"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results)
    assert app.results == ["N-C0001-1"]
    assert q(
        bank, "SELECT name, relation, phone, source, from_call_id FROM contact WHERE contact_id = 'N-C0001-1'"
    ) == [("钱七", "guarantor", "13700001111", "staff", None)]


@aio
async def test_a_refused_number_is_shown_and_the_dialog_stays(bank):
    own = q(bank, "SELECT phone FROM customer WHERE customer_id = 'C0001'")[0][0]
    app = Host(bank, user(bank, "zhang"), lambda: ContactAddScreen("C0001"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ContactAddScreen))
        await typed(pilot, "#cn-phone", own)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "already the borrower's own number" in message(app))
        assert own not in message(app)  # masked
        await typed(pilot, "#cn-phone", "12345")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "phone: expected a mobile" in message(app))
        assert isinstance(app.screen, ContactAddScreen) and not app.results
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.results)
    assert app.results == [None]
    assert q(bank, "SELECT count(*) FROM contact WHERE source != 'import'") == [(0,)]


@aio
async def test_a_collector_of_another_branch_is_refused(bank):
    app = Host(bank, user(bank, "liu"), lambda: ContactAddScreen("C0001"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ContactAddScreen))
        await typed(pilot, "#cn-phone", "13700001111")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: message(app) == "You may not add numbers for this borrower")
    assert q(bank, "SELECT actor, target_id FROM audit_event WHERE action = 'access.denied'") == [
        ("liu", "contact.add")
    ]


# ---- agreed call hours -----------------------------------------------------------------------------------------


@aio
@pytest.mark.parametrize(
    "lang, default", [("en", "the default window 08:00-22:00 applies"), ("zh", "适用默认时段 08:00-22:00")]
)
async def test_a_supervisor_sets_then_clears_agreed_hours(bank, lang, default):
    wang = user(bank, "wang")
    app = Host(bank, wang, lambda: ConsentHoursScreen("C0002"), lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentHoursScreen) and app.screen.loaded)
        screen = app.screen
        assert default in str(screen.query_one("#hrs-now", Static).content)
        assert screen.query_one("#hrs-clear", Button).disabled  # nothing to clear
        await typed(pilot, "#hrs-hours", "19:00～21:30")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: message(app) in ("Enter a reason", "请填写原因"))
        await typed(pilot, "#hrs-reason", "客户来电要求晚间联系")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.results)
    assert app.results == [True]
    assert q(bank, "SELECT consent_hours FROM customer WHERE customer_id = 'C0002'") == [("19:00-21:30",)]

    app = Host(bank, wang, lambda: ConsentHoursScreen("C0002"), lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentHoursScreen) and app.screen.loaded)
        screen = app.screen
        assert "19:00-21:30" in str(screen.query_one("#hrs-now", Static).content)
        assert screen.query_one("#hrs-hours", Input).value == "19:00-21:30"
        await typed(pilot, "#hrs-reason", "客户撤回约定")
        await pilot.click("#hrs-clear")
        await wait_for(pilot, lambda: app.results)
    assert app.results == [True]
    assert q(bank, "SELECT consent_hours FROM customer WHERE customer_id = 'C0002'") == [(None,)]
    assert [r[0] for r in q(bank, "SELECT actor FROM audit_event WHERE action = 'customer.hours'")] == ["wang", "wang"]


@aio
async def test_bad_hours_are_explained(bank):
    app = Host(bank, user(bank, "wang"), lambda: ConsentHoursScreen("C0002"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentHoursScreen) and app.screen.loaded)
        await typed(pilot, "#hrs-reason", "客户要求")
        await typed(pilot, "#hrs-hours", "18:00-18:00")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "the start and the end are the same time" in message(app))
        assert not app.results


@aio
async def test_a_collector_sees_the_hours_but_cannot_change_them(bank):
    app = Host(bank, user(bank, "zhang"), lambda: ConsentHoursScreen("C0002"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentHoursScreen) and app.screen.loaded)
        screen = app.screen
        assert "Only supervisors and admins" in str(screen.query_one("#hrs-note", Static).content)
        assert screen.query_one("#hrs-save", Button).disabled and screen.query_one("#hrs-hours", Input).disabled
        await pilot.press("ctrl+s")
        await settled(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.results)
    assert app.results == [False]
    assert q(bank, "SELECT count(*) FROM audit_event WHERE action IN ('customer.hours', 'access.denied')") == [(0,)]


def test_every_string_of_both_dialogs_is_translated_with_the_same_placeholders():
    import inspect
    import re
    import string

    from collectui.tui.i18n import contacts as strings
    from collectui.tui.i18n import load_catalog
    from collectui.tui.screens import consent, contact_add

    catalog = load_catalog()
    used = set()
    for module in (consent, contact_add):
        used |= set(
            re.findall(r"""t\(\s*f?["']((?:cn|hrs|rel|common|app)\.[a-z_.{}]+)["']""", inspect.getsource(module))
        )
    used = {k for k in used if "{" not in k} | {
        f"rel.{r}" for r in ("guarantor", "spouse", "relative", "emergency", "other")
    }
    used |= {b.description for b in [*ContactAddScreen.BINDINGS, *ConsentHoursScreen.BINDINGS]}
    assert {"cn.title", "cn.note_call", "hrs.now_default", "hrs.supervisors_only", "cn.key.save"} <= used
    assert not [k for k in used if k not in catalog]
    for key, (zh, en) in strings.STRINGS.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in (zh, en)]
        assert fields[0] == fields[1], key
