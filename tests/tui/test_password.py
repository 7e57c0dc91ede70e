"""The TUI's sign-in with a password an admin set: the person chooses their own before going on."""

from __future__ import annotations

from collectui.domain.staff import users
from collectui.tui.app import CollectApp
from collectui.tui.screens.password import ChangePasswordScreen
from tests.support.cli import SYSTEM
from tests.support.tui import aio, settled, sign_in, wait_for, work_list_ready

SIZE = (120, 40)


@aio
async def test_a_set_password_is_replaced_before_the_sign_in_goes_on(bank):
    users.set_password(bank, SYSTEM, "zhang", "temporary-1")
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "zhang", "temporary-1")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePasswordScreen))
        assert app.user is None
        # A centred dialog over the sign-in, which no longer says "Checking…" behind it.
        await settled(pilot)
        box = app.screen.query_one("#password-box").region
        width, height = SIZE
        assert abs(box.x - (width - box.right)) <= 1 and abs(box.y - (height - box.bottom)) <= 1, box
        assert str(app.screen_stack[-2].query_one("#message").content) == ""
        await pilot.press(*"my-own-secret", "enter", *"my-0wn-secret", "enter")
        await wait_for(pilot, lambda: "differ" in str(app.screen.query_one("#password-message").content))
        assert app.user is None
        app.screen.query_one("#repeat").value = ""
        await pilot.click("#repeat")
        await pilot.press(*"my-own-secret", "enter")
        await wait_for(pilot, lambda: app.user is not None)
        assert app.user.username == "zhang" and not app.user.must_change_password
        # The sign-in goes on to the work list: let it arrive (closing the app in the middle of it fails in
        # Textual's teardown, a header retitled after it was unmounted).
        await wait_for(pilot, lambda: work_list_ready(app))
        await settled(pilot)
    assert not users.authenticate(bank, "zhang", "my-own-secret").must_change_password
