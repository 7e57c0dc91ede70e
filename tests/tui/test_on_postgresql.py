"""The TUI on a PostgreSQL database (`collectui --db postgresql://...`): the TUI bank (tests/support/tui_bank.py)
built on a PostgreSQL database of its own; sign in, the masked work list, a profile, a call checked, dialled
and recorded, the audit chain intact after. Needs --pg (tests/support/pg.py)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from collectui.domain.audit.verify import verify
from collectui.storage.models import CallAttempt, Customer
from collectui.tui.app import CollectApp
from collectui.tui.screens.call import CallScreen
from collectui.tui.screens.profile import ProfileScreen
from collectui.tui.widgets.call.picker import TargetPicker
from tests.support import tui_bank
from tests.support.calls import calls_policy
from tests.support.tui import aio, click, settled, wait_for, work_list

pytestmark = pytest.mark.pg

SIZE = (100, 30)


@pytest.fixture
def pg_bank(pg_url):
    ctx = tui_bank.build(pg_url)
    yield ctx
    ctx.db.dispose()


def _plain(ctx, customer_id: str) -> tuple[str, str]:
    with ctx.db.read() as s:
        customer = s.exec(select(Customer).where(Customer.customer_id == customer_id)).one()
        return customer.name, customer.phone


def _logged(ctx, customer_id: str) -> list[CallAttempt]:
    with ctx.db.read() as s:
        query = select(CallAttempt).where(CallAttempt.customer_id == customer_id, CallAttempt.status == "logged")
        return list(s.exec(query))


@aio
async def test_sign_in_work_list_profile_and_a_call_on_postgresql(pg_bank):
    assert pg_bank.db.dialect.name == "postgresql"
    pg_bank.policy = calls_policy()  # the reminder rule has tests of its own
    with pg_bank.db.raw_read() as raw:
        # The bank's seeded calls and complaints were written without audit events, as on SQLite.
        seeded = verify(raw).problems
    app = CollectApp(pg_bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await work_list(pilot, "zhang")
        # As on SQLite (test_app.py): 城关's callable borrowers, zhang's own first.
        assert app.user.username == "zhang" and screen.table.total == 25
        first = screen.table.current_row
        assert first.rank == 1 and first.collector == "zhang"
        name, phone = _plain(pg_bank, first.customer_id)
        assert first.name != name and "*" in first.name and first.phone != phone and "*" in first.phone

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen) and app.screen.profile is not None)
        profile = app.screen.profile
        assert profile.customer_id == first.customer_id and profile.name == first.name and profile.phone != phone
        assert profile.loans and all(loan.loan_id for loan in profile.loans)

        before = len(_logged(pg_bank, first.customer_id))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: call.query_one("#call-picker", TargetPicker).row_count > 0)
        await click(pilot, "#call-check")
        await wait_for(pilot, lambda: "Allowed" in str(call.query_one("#call-gate").content))
        await pilot.press("enter")  # Dial has the focus once the check allows it
        await wait_for(pilot, lambda: call.call is not None)
        call.query_one("#f-outcome").value = "no_answer"
        await wait_for(pilot, lambda: not call.query_one("#call-save").disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, CallScreen))
        await settled(pilot)
    rows = _logged(pg_bank, first.customer_id)
    assert len(rows) == before + 1 and any(r.outcome == "no_answer" for r in rows)
    with pg_bank.db.raw_read() as raw:
        actions = {r[0] for r in raw.execute("SELECT action FROM audit_event")}
        assert {"login.ok", "call.start", "call.unmask_number", "call.log"} <= actions
        after = verify(raw)
    assert after.problems == seeded and after.events > 0  # the chain holds; the new call is explained
