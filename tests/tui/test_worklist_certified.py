"""The work list's notice while the signed-in person is not certified (the gate's `certified` rule)."""

from __future__ import annotations

import pytest

from collectui.domain.policy import policy_from_dict
from collectui.tui.app import CollectApp
from tests.support.tui import aio, settled, wait_for, work_list

SIZE = (100, 30)


def set_certification(bank, username: str, certified_on: str | None) -> None:
    with bank.db.raw_write() as raw:
        (user_id,) = raw.execute("SELECT id FROM staff_user WHERE username = ?", (username,)).fetchone()
        raw.execute("DELETE FROM certification WHERE user_id = ?", (user_id,))
        if certified_on is not None:
            raw.execute(
                "INSERT INTO certification (user_id, certified_on, source, reason, by_user_id, recorded_at) "
                "VALUES (?, ?, 'recorded', 'trained at head office', NULL, '2025-11-01T00:00:00.000000+00:00')",
                (user_id, certified_on),
            )


async def notice(pilot, app):
    screen = await work_list(pilot, "zhang")
    await wait_for(pilot, lambda: screen.table.total > 0)
    await settled(pilot)
    widget = screen.query_one("#cert-notice")
    return widget.display, " ".join(str(widget.render()).split())


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Not certified: the gate refuses your calls. Training: press t"), ("zh", "未认证：闸门会拒绝你的拨打。")],
)
@aio
async def test_an_uncertified_collector_is_told_on_the_work_list(bank, lang, expected):
    set_certification(bank, "zhang", None)
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        shown, text = await notice(pilot, app)
        assert shown and text.startswith(expected)


@aio
async def test_an_expired_certification_says_when(bank):
    set_certification(bank, "zhang", "2025-11-01")  # 365 days: expired on 2026-11-01
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        shown, text = await notice(pilot, app)
        assert shown and text.startswith("Certification expired on 2026-11-01: the gate refuses your calls.")


@aio
async def test_certified_staff_see_no_notice(bank):
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        shown, _ = await notice(pilot, app)
        assert not shown


@aio
async def test_no_notice_while_the_rule_is_off(bank):
    set_certification(bank, "zhang", None)
    bank.policy = policy_from_dict({"rules": {"certified": {"enabled": False}}})
    app = CollectApp(bank, lang="en", refresh_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        shown, _ = await notice(pilot, app)
        assert not shown
