"""Pilot tests of the payment plans screen: a collector proposes from the profile, a supervisor approves or
rejects, the proposer cannot approve their own plan, and a collector has no decision keys.

The TUI bank (tests/support/tui_bank.py): zhang collects and wang supervises 城关支行 (C0001-C0030).
"""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Label, TextArea

from collectui.domain.cases import plans
from collectui.domain.cases.plan_rules import PlannedInstalment, borrower_figures
from collectui.domain.staff.users import list_users
from collectui.tui.app import CollectApp
from collectui.tui.screens.plan_propose import PlanProposeScreen
from collectui.tui.screens.plans import PlanDecisionScreen, PlansScreen
from collectui.tui.screens.profile import ProfileScreen
from tests.support.cli import SYSTEM, actor_of
from tests.support.tui import aio, settled, wait_for

SIZE = (120, 36)
MONTHS = [date(2026, 12, 15)] + [date(2027, m, 15) for m in range(1, 7)]


def _app(ctx, username: str, lang: str = "en") -> CollectApp:
    user = next(u for u in list_users(ctx, SYSTEM) if u.username == username)
    return CollectApp(ctx, lang=lang, refresh_on_start=False, user=user)


def overdue_of(ctx, customer_id: str) -> int:
    with ctx.db.raw_read() as raw:
        return borrower_figures(raw, customer_id, ctx.clock.today()).overdue_fen


def waiting_plan(ctx, customer_id: str, username: str) -> int:
    """A 7-instalment plan (above plans.approval_instalments: it waits) covering the overdue amount."""
    each = -(-overdue_of(ctx, customer_id) // len(MONTHS))  # rounded up: the sum reaches the overdue amount
    inst = [PlannedInstalment(d, each) for d in MONTHS]
    return plans.propose_plan(ctx, actor_of(ctx, username), customer_id, inst).plan_id


def status_of(ctx, plan_id: int) -> str:
    with ctx.db.raw_read() as raw:
        return str(raw.execute("SELECT status FROM payment_plan WHERE id = ?", (plan_id,)).fetchone()[0])


async def _plans_screen(pilot, customer_id: str | None = None) -> PlansScreen:
    app = pilot.app
    await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen")
    app.push_screen(PlansScreen(customer_id))
    await wait_for(pilot, lambda: isinstance(app.screen, PlansScreen) and app.screen.loaded)
    await app.workers.wait_for_complete()
    await settled(pilot)
    return app.screen


@aio
async def test_a_collector_proposes_from_the_profile(bank):
    overdue = overdue_of(bank, "C0003")
    app = _app(bank, "zhang")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen")
        app.push_screen(ProfileScreen("C0003"))
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen) and app.screen.profile is not None)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PlansScreen))
        await app.workers.wait_for_complete()
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanProposeScreen))
        dialog = app.screen
        half = overdue // 2
        # First too little: the dialog names the problem and stays open.
        dialog.query_one(
            "#plan-lines", TextArea
        ).text = f"2026-12-15:{half / 100:.2f}\n2027-01-15:{(overdue - half - 1) / 100:.2f}"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "less than the overdue amount" in str(dialog.query_one("#message", Label).content)
        )
        assert isinstance(app.screen, PlanProposeScreen)
        rest = overdue - half
        dialog.query_one("#plan-lines", TextArea).text = f"2026-12-15:{half / 100:.2f}\n2027-01-15:{rest / 100:.2f}"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PlansScreen) and len(app.screen.plans) == 1)
        (plan,) = app.screen.plans.values()
        assert (plan.customer_id, plan.status, plan.total_fen, plan.proposed_by) == (
            "C0003",
            "active",
            overdue,
            "zhang",
        )
        # A collector has no decision keys on the plans screen.
        assert app.screen.check_action("decide", ("approve",)) is False
        await pilot.press("a")
        await settled(pilot)
        assert isinstance(app.screen, PlansScreen)


@aio
async def test_a_supervisor_approves_a_waiting_plan_with_a_reason(bank):
    plan_id = waiting_plan(bank, "C0004", "zhang")
    app = _app(bank, "wang", lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _plans_screen(pilot)
        assert list(screen.plans) == [str(plan_id)]
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanDecisionScreen))
        app.screen.query_one("#reason", Input).value = "秋收后还款"
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, PlansScreen) and screen.plans[str(plan_id)].status == "active"
        )
    assert status_of(bank, plan_id) == "active"
    with bank.db.raw_read() as raw:
        reason = raw.execute("SELECT decision_reason FROM payment_plan WHERE id = ?", (plan_id,)).fetchone()[0]
    assert reason == "秋收后还款"


@aio
async def test_the_proposer_cannot_approve_their_own_plan(bank):
    plan_id = waiting_plan(bank, "C0006", "wang")
    app = _app(bank, "wang")
    async with app.run_test(size=SIZE) as pilot:
        await _plans_screen(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanDecisionScreen))
        dialog = app.screen
        await pilot.press("enter")
        await wait_for(pilot, lambda: "the proposer cannot approve" in str(dialog.query_one("#message", Label).content))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlansScreen))
    assert status_of(bank, plan_id) == "proposed"
