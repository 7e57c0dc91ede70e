"""A branch supervisor's reminders, on every face: the SMS screen, `sms plan`, `sms send`, `sms status` and the
message listing show and touch their branch's borrowers only (the bank of tests/support/tui_bank.py: 城关支行
C0001-C0030 with supervisor wang, 河西支行 C0031-C0038)."""

from __future__ import annotations

import json

from sqlmodel import select
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.portfolio import refresh
from collectui.domain.sms import messages
from collectui.domain.sms import plan as plan_svc
from collectui.domain.staff.users import list_users
from collectui.storage.models import AuditEvent, SmsMessage
from collectui.tui.app import CollectApp
from collectui.tui.screens.sms import SmsScreen
from tests.support.cli import SYSTEM, actor_of, sign_in
from tests.support.tui import aio, wait_for

WHEN = "2026-11-28T10:00:00+08:00"
OURS = {f"C{n:04d}" for n in range(1, 31)}
THEIRS = {f"C{n:04d}" for n in range(31, 39)}


def _new_cycle_with_the_other_branch_planned(bank) -> int:
    """Yesterday's reminders cancelled (a new cycle: every borrower may get one), and the admin has planned
    河西支行's: the other branch has pending messages a leak would show and send."""
    with bank.db.write() as s:
        for m in s.exec(select(SmsMessage)).all():
            m.state = "cancelled"
    refresh.refresh(bank)
    theirs = plan_svc.plan(bank, actor_of(bank, "root"), branch="河西支行")
    assert theirs.queued and {q.customer_id for q in theirs.queued} <= THEIRS
    return len(theirs.queued)


def _customers(bank, message_ids) -> set[str]:
    with bank.db.read() as s:
        rows = s.exec(select(SmsMessage.customer_id).where(SmsMessage.message_id.in_(list(message_ids)))).all()
    return set(rows)


def _no_other_branch(text: str) -> None:
    leaked = [cid for cid in THEIRS if cid in text]
    assert not leaked, f"another branch's borrowers shown: {leaked}"


def _cli(bank, tmp_path, *args):
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[sms.file]\noutbox = "{(tmp_path / "outbox").as_posix()}"\n', encoding="utf-8")
    return CliRunner().invoke(
        build_app(),
        ["--db", str(bank.db.path), "--policy", str(policy), *args],
        env={"COLLECTUI_NOW": WHEN},
    )


def test_the_commands_of_a_branch_supervisor_touch_their_branch_only(bank, tmp_path):
    pending_theirs = _new_cycle_with_the_other_branch_planned(bank)
    bank.db.dispose()
    sign_in(bank.db.path, "wang", WHEN)

    planned = _cli(bank, tmp_path, "sms", "plan", "--format", "json")
    assert planned.exit_code == 0, planned.output
    _no_other_branch(planned.stdout)
    body = json.loads(planned.stdout)
    assert body["branch"] == "城关支行" and body["queued"]
    assert {r["customer_id"] for r in body["queued"] + body["skipped"]} <= OURS

    table = _cli(bank, tmp_path, "sms", "status")
    assert table.exit_code == 0 and "C0002" in table.stdout, table.output
    _no_other_branch(table.stdout)
    listed = json.loads(_cli(bank, tmp_path, "sms", "status", "--format", "json").stdout)
    assert listed and {r["customer_id"] for r in listed} <= OURS

    sent = _cli(bank, tmp_path, "sms", "send", "--format", "json")
    assert sent.exit_code == 0, sent.output
    accepted = json.loads(sent.stdout)["accepted"]
    assert len(accepted) == len(body["queued"]) and _customers(bank, accepted) <= OURS
    batch = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "outbox").glob("*.jsonl"))
    assert batch.count("\n") == len(accepted)
    # The other branch's reminders wait for their own supervisor (or an admin).
    assert messages.counts_by_state(bank, actor=actor_of(bank, "root"), branch="河西支行")["pending"] == pending_theirs

    # The message listing of the domain, as wang.
    views = messages.list_messages(bank, actor=actor_of(bank, "wang"))
    assert views and {v.customer_id for v in views} <= OURS

    # Naming the other branch: refused in one line, audited.
    for command in ("plan", "send", "status"):
        refused = _cli(bank, tmp_path, "sms", command, "--branch", "河西支行")
        assert refused.exit_code == 1 and "acts for branch 城关支行 only" in refused.stderr, refused.output
    with bank.db.read() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert [(e.actor, e.target_id, e.details["branch"]) for e in events] == [
        ("wang", "sms.plan", "河西支行"),
        ("wang", "sms.send", "河西支行"),
        ("wang", "sms.plan", "河西支行"),
    ]


@aio
async def test_the_sms_screen_of_a_branch_supervisor_shows_their_branch_only(bank):
    _new_cycle_with_the_other_branch_planned(bank)
    wang = next(u for u in list_users(bank, SYSTEM) if u.username == "wang")
    app = CollectApp(bank, lang="en", refresh_on_start=False, user=wang)
    async with app.run_test(size=(160, 45)) as pilot:
        # Every borrower waits for a reminder (sms_notice): the list is empty, but it is there.
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen" and app.screen.table.settled)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, SmsScreen) and app.screen.counts)
        screen = app.screen
        table = screen.query_one("#sms-messages")
        await wait_for(pilot, lambda: table.row_count > 0)
        shown = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert shown <= OURS and "C0002" in shown
        assert screen.counts["pending"] == 0 and screen.counts["cancelled"] == len(shown)

        await pilot.press("p")
        await wait_for(pilot, lambda: "Queued" in screen.last_result)
        await wait_for(pilot, lambda: screen.counts.get("pending", 0) > 0)
        with bank.db.read() as s:
            pending = s.exec(select(SmsMessage.customer_id).where(SmsMessage.state == "pending")).all()
        mine = {cid for cid in pending if cid in OURS}
        assert mine and screen.counts["pending"] == len(mine)  # the other branch's pending ones are not counted
        await wait_for(pilot, lambda: table.row_count == len(shown) + len(mine))
        rows = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert rows <= OURS

        await pilot.press("s")
        await wait_for(pilot, lambda: screen.asking == "send")
        assert str(len(mine)) in screen.last_result  # the confirmation counts their branch's only
        await pilot.press("y")
        await wait_for(pilot, lambda: "Accepted" in screen.last_result)
        assert f"Accepted {len(mine)} of {len(mine)}" in screen.last_result
    with bank.db.read() as s:
        left = s.exec(select(SmsMessage.customer_id).where(SmsMessage.state == "pending")).all()
    assert left and set(left) <= THEIRS  # sent nothing of the other branch
