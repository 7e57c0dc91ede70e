"""The sign-in screen of a demo database lists every demo account and the password rule, readable at 80x24.

`bash scripts/demo` prints the accounts before the app opens; on every later run this hint is all a trainer
sees, so it must name every account (not just one example) and fit the smallest supported terminal.
"""

from __future__ import annotations

import random
import re

import pytest

from collectui.demo.people import BRANCHES, PeopleFactory, staff_specs
from collectui.storage.meta import set_meta
from collectui.tui.app import CollectApp
from collectui.tui.screens.login import LoginScreen, demo_accounts
from tests.support.tui import aio, settled, wait_for

USERNAMES = [spec.username for spec in staff_specs(PeopleFactory(random.Random(1)))]


def _named(username: str, hint: str) -> bool:
    """The username is in the hint as written, or as the first branch's with its branch prefix swapped."""
    first = f"{BRANCHES[0][1]}-"
    if re.search(rf"(?<![\w-]){re.escape(username)}(?![\w-])", hint):
        return True
    for _, code in BRANCHES[1:]:
        prefix = f"{code}-"
        if username.startswith(prefix) and prefix in hint and _named(first + username[len(prefix) :], hint):
            return True
    return False


def test_the_folded_accounts_name_every_demo_username() -> None:
    accounts = demo_accounts()
    text = " · ".join(accounts.values())
    missing = [u for u in USERNAMES if not _named(u, text)]
    assert missing == []
    assert accounts["other_users"] == "admin, trainer, trainee"
    assert accounts["other_prefixes"] == "dc-, hx-"


@pytest.mark.parametrize("lang", ["zh", "en"])
@aio
async def test_demo_sign_in_lists_the_accounts_within_80x24(bank, lang) -> None:
    with bank.db.write() as s:
        set_meta(s, "demo", "1")
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        widget = app.screen.query_one("#demo-hint")
        await wait_for(pilot, lambda: "demo-cg-collector1" in str(widget.render()))
        await settled(pilot)
        hint = " ".join(str(widget.render()).split())
        assert [u for u in USERNAMES if not _named(u, hint)] == []
        assert "demo-" in hint
        # Every line of it is on screen, above the footer: nothing scrolled away or cut.
        region = widget.region
        assert region.height >= 2 and region.y >= 0 and region.bottom <= 23
        assert widget.size.height == region.height
        box = app.screen.query_one("#login-box")
        assert box.region.bottom <= 23 and box.virtual_size.height <= box.size.height
