"""The profile's actions and what it shows of them: feedback, complaint, a new number, agreed call hours
(supervisors only), the next callback and numbers learned on calls."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from rich.console import Console
from sqlmodel import select
from textual.widgets import Static

from collectui.domain.portfolio.refresh import refresh
from collectui.domain.staff.users import list_users
from collectui.storage.models import CallAttempt, Contact, Customer, StaffUser
from collectui.tui.app import CollectApp
from collectui.tui.commands import WorkCommands
from collectui.tui.screens.feedback import FeedbackScreen
from collectui.tui.screens.profile import ProfileScreen
from tests.support.cli import SYSTEM
from tests.support.clock import NOW, TZ
from tests.support.tui import aio, settled, wait_for

SIZE = (120, 34)


def _app(ctx, username: str, lang: str = "en") -> CollectApp:
    user = next(u for u in list_users(ctx, SYSTEM) if u.username == username)
    return CollectApp(ctx, lang=lang, refresh_on_start=False, user=user)


def _text(screen, selector: str) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=SIZE[0], file=io.StringIO(), record=True)
    console.print(screen.query_one(selector, Static).content)
    return console.export_text()


async def _profile(pilot, customer_id: str) -> ProfileScreen:
    app = pilot.app
    await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen")
    app.push_screen(ProfileScreen(customer_id))
    await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen) and app.screen.profile is not None)
    return app.screen


@pytest.mark.parametrize("username, hours", [("zhang", False), ("wang", True), ("root", True)])
@aio
async def test_actions_shown_by_role(bank, username, hours):
    app = _app(bank, username)
    async with app.run_test(size=SIZE) as pilot:
        profile = await _profile(pilot, "C0001")
        assert [profile.check_action(a, ()) for a in ("feedback", "complaint", "add_contact")] == [True] * 3
        assert profile.check_action("hours", ()) is hours
        labels = {str(hit.display) async for hit in WorkCommands(profile).discover()}
        assert {"Feedback", "Complaint", "Add number"} <= labels
        assert ("Call hours" in labels) is hours
        if not hours:  # the key does nothing for a collector: no dialog opens
            await pilot.press("h")
            await settled(pilot)
            assert app.screen is profile


@aio
async def test_feedback_from_the_profile_shows_in_its_history(bank):
    app = _app(bank, "zhang")
    async with app.run_test(size=SIZE) as pilot:
        profile = await _profile(pilot, "C0004")
        before = [e for e in profile.profile.history if e.kind == "feedback"]
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        dialog = app.screen
        assert dialog.customer_id == "C0004" and dialog.call_id is None
        assert not dialog.query_one("#fb-channel").disabled  # not after a call: where it came from is asked
        dialog.query_one("#fb-channel").value = "branch"
        next(b for b in dialog.query("#fb-sentiment RadioButton") if b.name == "positive").value = True
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is profile)
        await wait_for(pilot, lambda: len([e for e in profile.profile.history if e.kind == "feedback"]) > len(before))
        new = next(e for e in profile.profile.history if e.kind == "feedback")  # newest first
        assert (new.at, new.status, new.note) == (NOW, "positive", "branch")


@aio
async def test_profile_shows_callback_hours_and_numbers_learned_on_calls(bank):
    with bank.db.write() as s:
        zhang = s.exec(select(StaffUser).where(StaffUser.username == "zhang")).one()
        customer = s.get(Customer, "C0001")
        customer.consent_hours = "18:00-20:30"
        s.add(customer)
        call = CallAttempt(
            customer_id="C0001",
            phone="13900010001",
            user_id=zhang.id,
            status="logged",
            started_at=NOW - timedelta(hours=1),
            ended_at=NOW - timedelta(hours=1),
            outcome="callback",
            connected=True,
            right_party=True,
            callback_at=datetime(2026, 11, 30, 19, 15, tzinfo=TZ),
        )
        s.add(call)
        s.flush()
        s.add(
            Contact(
                contact_id="N-C0001-1",
                customer_id="C0001",
                name="王建国",
                relation="self",
                phone="13912345678",
                source="call",
                from_call_id=call.id,
            )
        )
        call_id = call.id
    refresh(bank, ["C0001"])
    app = _app(bank, "zhang")
    async with app.run_test(size=SIZE) as pilot:
        profile = await _profile(pilot, "C0001")
        assert profile.profile.next_callback is not None
        identity = _text(profile, "#identity")
        assert "2026-11-30 19:15" in identity and "18:00-20:30" in identity
        numbers = _text(profile, "#body-third")
        assert f"unverified, from call {call_id}" in numbers
        assert "13912345678" not in numbers and "139****5678" in numbers
        assert "core banking" in numbers  # the guarantor came with the import


@aio
async def test_profile_without_agreed_hours_shows_the_usual_window(bank):
    app = _app(bank, "zhang", lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        profile = await _profile(pilot, "C0002")
        identity = _text(profile, "#identity")
        assert "按规定时段 08:00-22:00" in identity


@aio
async def test_profile_shows_the_payment_plan_and_its_next_instalment(bank):
    from collectui.domain.cases.plans import propose_plan
    from tests.support.cli import actor_of

    app = _app(bank, "zhang")
    async with app.run_test(size=SIZE) as pilot:
        profile = await _profile(pilot, "C0003")
        assert "none (p to agree one)" in _text(profile, "#identity")
    overdue = _overdue_yuan(bank, "C0003")
    propose_plan(bank, actor_of(bank, "zhang"), "C0003", [f"2026-12-15:{overdue}", "2027-01-15:100"])
    app = _app(bank, "zhang")
    async with app.run_test(size=SIZE) as pilot:
        profile = await _profile(pilot, "C0003")
        identity = _text(profile, "#identity")
        assert "#1 active · paid ¥0.00" in identity and "in 2" in identity and "next 12-15" in identity


def _overdue_yuan(ctx, cid: str) -> str:
    with ctx.db.raw_read() as raw:
        fen = raw.execute("SELECT sum(overdue_fen) FROM loan_state WHERE customer_id = ?", (cid,)).fetchone()[0]
    return f"{fen // 100}.{fen % 100:02d}"
