"""Checkboxes and radio buttons read without colour: [x] / [ ] and (•) / ( ), in the filters dialog and the
unmask dialog; toggling changes the glyph."""

from __future__ import annotations

from collectui.tui.screens.filters import FilterScreen
from collectui.tui.widgets.toggles import CHECKED, PRESSED, RELEASED, UNCHECKED, Check, Choice
from tests.support.tui import aio, wait_for, work_list_ready
from tests.tui.test_snapshots import _app


def _glyph(widget) -> str:
    return widget.render().plain[:3]


@aio
async def test_the_filters_checkboxes_differ_by_glyph(screens_bank):
    app = _app(screens_bank, "zh", "wang")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        mine, blocked = app.screen.query_one("#mine", Check), app.screen.query_one("#blocked", Check)
        assert (_glyph(mine), _glyph(blocked)) == (UNCHECKED, UNCHECKED)
        blocked.toggle()
        await pilot.pause()
        assert (_glyph(mine), _glyph(blocked)) == (UNCHECKED, CHECKED)
        assert CHECKED != UNCHECKED and len(CHECKED) == len(UNCHECKED)


@aio
async def test_the_unmask_choices_differ_by_glyph(screens_bank):
    from collectui.tui.screens.profile import ProfileScreen
    from collectui.tui.screens.unmask import UnmaskScreen

    app = _app(screens_bank, "en", "wang")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        app.push_screen(ProfileScreen("C0001"))
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen) and app.screen.profile is not None)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, UnmaskScreen))
        choices = list(app.screen.query(Choice))
        assert len(choices) >= 2 and {_glyph(c) for c in choices} == {RELEASED}  # nothing preselected
        choices[1].value = True
        await pilot.pause()
        assert [_glyph(c) for c in choices[:2]] == [RELEASED, PRESSED]
