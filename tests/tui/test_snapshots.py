"""SVG snapshots of the work list and the profile, Chinese and English, 100x30, clock 2026-11-28 10:00.

Update after a deliberate change with: pytest tests/test_tui_snapshots.py --snapshot-update
"""

import pytest

from collectui.tui.app import CollectApp
from tests.support.tui import wait_for, work_list

SIZE = (100, 30)


def _list_ready(username):
    async def run_before(pilot):
        await work_list(pilot, username)
        await pilot.pause(0.1)

    return run_before


def _profile_ready(username, downs=0):
    async def run_before(pilot):
        app = pilot.app
        await work_list(pilot, username)
        await pilot.press(*(["down"] * downs), "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfileScreen" and app.screen.profile)
        await pilot.pause(0.1)

    return run_before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_work_list_snapshot(snap_compare, bank, lang):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_list_ready("zhang"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_snapshot(snap_compare, bank, lang):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_profile_ready("zhang"))


def test_work_list_snapshot_80x24_supervisor(snap_compare, bank):
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_list_ready("wang"))
