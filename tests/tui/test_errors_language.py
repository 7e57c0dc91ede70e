"""A service error in the TUI reads in the person's language: the new-number dialog in
Chinese shows the contact service's refusal in Chinese, the number masked."""

from __future__ import annotations

from collectui.tui.screens.contact_add import ContactAddScreen
from tests.support.tui import aio, wait_for
from tests.tui.test_contacts import Host, message, q, typed, user


@aio
async def test_the_borrowers_own_number_is_refused_in_chinese(bank):
    own = q(bank, "SELECT phone FROM customer WHERE customer_id = 'C0001'")[0][0]
    app = Host(bank, user(bank, "zhang"), lambda: ContactAddScreen("C0001"), lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ContactAddScreen))
        await typed(pilot, "#cn-phone", own)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "已是借款人本人的号码" in message(app))
        assert own not in message(app) and "already" not in message(app)
        assert isinstance(app.screen, ContactAddScreen) and not app.results
