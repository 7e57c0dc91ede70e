"""Pilot tests of the feedback and complaint dialogs: opened after a call or from the profile, saved through
the voice services (masked text, audited), and a complaint about collection stopping calls at once."""

from __future__ import annotations

import io

from rich.console import Console
from sqlmodel import select
from textual.widgets import Checkbox, RadioButton, Select, Static, TextArea

from collectui.domain.calls.record import check_call
from collectui.domain.staff.users import list_users
from collectui.storage.models import AuditEvent, CallAttempt, Complaint, Feedback
from collectui.tui.app import CollectApp
from collectui.tui.screens.complaint import ComplaintScreen
from collectui.tui.screens.feedback import FeedbackScreen
from collectui.tui.screens.profile import ProfileScreen
from tests.support.cli import SYSTEM, actor_of
from tests.support.tui import aio, settled, wait_for

SIZE = (100, 34)
CLEAR_PHONE = "13812345678"


def _app(ctx, username: str, lang: str = "en") -> CollectApp:
    user = next(u for u in list_users(ctx, SYSTEM) if u.username == username)
    return CollectApp(ctx, lang=lang, refresh_on_start=False, user=user)


async def _ready(pilot) -> None:
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "WorkListScreen")


async def _dialog(pilot, screen, kind):
    results: list[object] = []
    pilot.app.push_screen(screen, callback=results.append)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))
    return results


def _press(screen, selector: str, name: str) -> None:
    button = next(b for b in screen.query(f"{selector} RadioButton").results(RadioButton) if b.name == name)
    button.value = True


def _zhangs_call(ctx) -> CallAttempt:
    with ctx.db.read() as s:
        return s.exec(
            select(CallAttempt).where(CallAttempt.customer_id == "C0001", CallAttempt.outcome == "promise_to_pay")
        ).one()


def _feedback(ctx) -> list[Feedback]:
    with ctx.db.read() as s:
        return list(s.exec(select(Feedback).order_by(Feedback.id)))


def _events(ctx, action: str) -> list[AuditEvent]:
    with ctx.db.read() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)))


@aio
async def test_feedback_after_a_call_is_linked_to_it_and_masked(bank):
    call = _zhangs_call(bank)
    before = len(_feedback(bank))
    app = _app(bank, "zhang")
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        results = await _dialog(pilot, FeedbackScreen("C0001", call.id), FeedbackScreen)
        dialog = app.screen
        assert dialog.query_one("#fb-channel", Select).disabled  # feedback on a call came by that call
        _press(dialog, "#fb-sentiment", "negative")
        for box in dialog.query("#fb-categories Checkbox").results(Checkbox):
            box.value = box.name in ("frequency", "timing")
        dialog.query_one("#fb-csat", Select).value = 2
        dialog.query_one("#fb-nps", Select).value = 0
        dialog.query_one("#fb-text", TextArea).text = f"嫌打得太早，让打到 {CLEAR_PHONE}"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results)
    [row] = _feedback(bank)[before:]
    assert results == [row.id]
    assert (row.customer_id, row.call_id, row.collector_id, row.channel) == ("C0001", call.id, call.user_id, "call")
    assert (row.sentiment, row.categories, row.satisfaction, row.recommend) == (
        "negative",
        ["frequency", "timing"],
        2,
        0,
    )
    assert CLEAR_PHONE not in row.text and "138****5678" in row.text
    [event] = _events(bank, "feedback.add")
    assert event.actor == "zhang" and event.details["masked_numbers"] == {"phone": 1}


@aio
async def test_feedback_needs_a_sentiment_and_is_refused_on_another_branch(bank):
    before = len(_feedback(bank))
    app = _app(bank, "liu")  # a collector of 河西支行; C0001 is a borrower of 城关支行
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        results = await _dialog(pilot, FeedbackScreen("C0001"), FeedbackScreen)
        dialog = app.screen
        await pilot.click("#fb-save")
        await wait_for(pilot, lambda: "sentiment" in str(dialog.query_one("#message").content))
        _press(dialog, "#fb-sentiment", "positive")
        await pilot.press("ctrl+s")  # a button ignores a second click while it still shows the first
        await wait_for(pilot, lambda: "may not" in str(dialog.query_one("#message").content))
        assert app.screen is dialog and not results
        await pilot.press("escape")
        await wait_for(pilot, lambda: results == [None])
    assert len(_feedback(bank)) == before
    assert [e.target_id for e in _events(bank, "access.denied")] == ["feedback.add"]


@aio
async def test_complaint_about_collection_from_the_profile_stops_calls_at_once(bank):
    zhang = actor_of(bank, "zhang")
    customer = "C0002"
    assert "complaint_hold" not in {r.rule for r in check_call(bank, zhang, customer).reasons}
    app = _app(bank, "zhang")
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        app.push_screen(ProfileScreen(customer))
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen) and app.screen.profile is not None)
        profile = app.screen
        assert profile.check_action("complaint", ()) is True
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, ComplaintScreen))
        dialog = app.screen
        dialog.query_one("#cp-text", TextArea).text = "催收员一天打了很多次电话"
        await pilot.click("#cp-save")
        await wait_for(pilot, lambda: "about" in str(dialog.query_one("#message").content))
        _press(dialog, "#cp-about", "collection")
        await wait_for(pilot, lambda: dialog.query_one("#cp-effect").has_class("hold"))
        assert "supervisor clears" in str(dialog.query_one("#cp-effect").content)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is profile)
        # Back on the profile, reloaded: the hold is a flag and the complaint is in the history.
        await wait_for(pilot, lambda: profile.profile.flags.get("complaint_hold"))
        assert any(e.kind == "complaint" and e.hold for e in profile.profile.history)
        console = Console(width=SIZE[0], file=io.StringIO(), record=True)
        console.print(profile.query_one("#identity", Static).content)
        identity = console.export_text()
        assert "Not callable: complaint hold" in identity and identity.count("complaint hold") == 1  # said once
    with bank.db.read() as s:
        [row] = s.exec(select(Complaint).where(Complaint.customer_id == customer)).all()
    assert (row.about, row.status, row.hold_active) == ("collection", "open", True)
    assert "complaint_hold" in {r.rule for r in check_call(bank, zhang, customer).reasons}


@aio
async def test_complaint_about_service_puts_no_hold_and_needs_text(bank):
    app = _app(bank, "zhang", lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        results = await _dialog(pilot, ComplaintScreen("C0003"), ComplaintScreen)
        dialog = app.screen
        _press(dialog, "#cp-about", "service")
        await settled(pilot)
        assert not dialog.query_one("#cp-effect").has_class("hold")
        await pilot.click("#cp-save")
        await wait_for(pilot, lambda: "投诉内容" in str(dialog.query_one("#message").content))
        dialog.query_one("#cp-text", TextArea).text = "网点排队太久"
        await pilot.press("ctrl+s")  # a button ignores a second click while it still shows the first
        await wait_for(pilot, lambda: results)
    with bank.db.read() as s:
        [row] = s.exec(select(Complaint).where(Complaint.customer_id == "C0003")).all()
    assert results == [row.id] and (row.about, row.hold_active) == ("service", False)
