"""Complaints: deadlines with an injected clock, the collection hold and who may clear it, every change audited."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.audit import verify
from collectui.domain.errors import InvalidInput, PermissionDenied
from collectui.domain.voice import complaints as svc
from collectui.storage.models import AuditEvent, Complaint, Instalment, Loan, WorkItem
from tests.support.cli import actor_of, db_arg, sign_in
from tests.support.report_rows import TZ, Seed


@pytest.fixture
def seeded(ctx):
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li", "collector")
        seed.user("boss", "supervisor")
        seed.user("root", "admin", branch="总行")
        seed.customer("C1")
        seed.customer("C2", name="王小明")
    return ctx


def _actions(ctx) -> list[str]:
    with ctx.db.read() as s:
        return [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_deadline_is_15_days_after_opening_day_and_overdue_the_day_after(seeded, clock):
    ctx = seeded
    # 23:30 local on 28 Nov is 15:30 UTC: the opening day is the local day.
    clock.current = datetime(2026, 11, 28, 23, 30, tzinfo=TZ)
    cid = svc.open_complaint(ctx, actor_of(ctx, "li"), "C1", "service", "等了很久没人回复")
    [view] = svc.list_complaints(ctx)
    assert view.id == cid and view.due_on == date(2026, 12, 13) and not view.overdue and view.days_left == 15
    clock.current = datetime(2026, 12, 13, 23, 59, tzinfo=TZ)
    assert not svc.list_complaints(ctx)[0].overdue  # the due day itself is in time
    clock.current = datetime(2026, 12, 14, 0, 1, tzinfo=TZ)
    [late] = svc.list_complaints(ctx)
    assert late.overdue and late.days_left == -1
    svc.acknowledge(ctx, actor_of(ctx, "li"), cid)
    assert svc.list_complaints(ctx)[0].overdue  # acknowledging is not a decision
    svc.resolve(ctx, actor_of(ctx, "boss"), cid, "已道歉并调整")
    assert not svc.list_complaints(ctx)[0].overdue
    assert _actions(ctx)[-3:] == ["complaint.open", "complaint.ack", "complaint.resolve"]


def test_extend_once_to_30_days_with_reason(seeded, clock):
    ctx = seeded
    cid = svc.open_complaint(ctx, actor_of(ctx, "li"), "C1", "other", "利息算错了")
    with pytest.raises(InvalidInput):
        svc.extend(ctx, actor_of(ctx, "boss"), cid, "  ")
    with pytest.raises(PermissionDenied):
        svc.extend(ctx, actor_of(ctx, "li"), cid, "complex case needs records")
    svc.extend(ctx, actor_of(ctx, "boss"), cid, "需要调取录音核实")
    assert svc.list_complaints(ctx)[0].due_on == date(2026, 11, 28) + timedelta(days=30)
    with pytest.raises(InvalidInput, match="once"):
        svc.extend(ctx, actor_of(ctx, "boss"), cid, "again please")
    clock.advance(timedelta(days=20))
    assert not svc.list_complaints(ctx)[0].overdue
    clock.advance(timedelta(days=11))
    assert svc.list_complaints(ctx)[0].overdue


def test_policy_changes_the_deadline(seeded):
    from collectui.domain.context import Ctx
    from collectui.domain.policy import policy_from_dict

    ctx = Ctx(seeded.db, seeded.clock, policy_from_dict({"complaints": {"due_days": 7}}))
    svc.open_complaint(ctx, actor_of(ctx, "li"), "C1", "service", "x")
    assert svc.list_complaints(ctx)[0].due_on == date(2026, 12, 5)
    with pytest.raises(InvalidInput, match="complaints.due_days"):
        policy_from_dict({"complaints": {"due_days": 0}})


def test_collection_complaint_holds_until_a_supervisor_clears_it(seeded):
    ctx = seeded
    cid = svc.open_complaint(ctx, actor_of(ctx, "li"), "C1", "collection", "催收员说要通知我单位")
    other = svc.open_complaint(ctx, actor_of(ctx, "li"), "C2", "service", "网点排队太久")
    with ctx.db.read() as s:
        assert s.get(Complaint, cid).hold_active is True
        assert s.get(Complaint, other).hold_active is False
        assert svc.has_hold(s, "C1") and not svc.has_hold(s, "C2")
    svc.resolve(ctx, actor_of(ctx, "boss"), cid, "已核实并处理")
    with ctx.db.read() as s:
        assert s.get(Complaint, cid).hold_active is True  # resolving does not clear the hold
    with pytest.raises(PermissionDenied):
        svc.clear_hold(ctx, actor_of(ctx, "li"), cid, "客户已同意继续联系")
    with ctx.db.read() as s:
        assert s.get(Complaint, cid).hold_active is True
    assert _actions(ctx)[-1] == "access.denied"  # the refusal is audited
    with pytest.raises(InvalidInput):
        svc.clear_hold(ctx, actor_of(ctx, "boss"), cid, "")
    svc.clear_hold(ctx, actor_of(ctx, "boss"), cid, "客户已同意继续联系")
    with ctx.db.read() as s:
        row = s.get(Complaint, cid)
        assert row.hold_active is False and row.hold_cleared_by is not None and row.hold_cleared_at is not None
        assert not svc.has_hold(s, "C1")
    with pytest.raises(InvalidInput, match="no active hold"):
        svc.clear_hold(ctx, actor_of(ctx, "boss"), cid, "again")
    with ctx.db.read() as s:
        assert verify(s).ok


def test_hold_reaches_the_work_list_through_refresh(seeded):
    """The refresh is called after the hold changes: a borrower with an overdue loan becomes not callable."""
    from collectui.domain.policy import policy_from_dict

    ctx = seeded
    ctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})  # the hold alone decides
    with ctx.db.write() as s:
        s.add(
            Loan(
                loan_id="L1",
                customer_id="C1",
                product="p",
                principal_fen=100000,
                disbursed_on=date(2026, 1, 1),
                maturity_date=date(2027, 1, 1),
            )
        )
        s.flush()
        s.add(
            Instalment(loan_id="L1", seq=1, due_date=date(2026, 10, 1), principal_due_fen=100000, interest_due_fen=500)
        )
    cid = svc.open_complaint(ctx, actor_of(ctx, "li"), "C1", "collection", "态度恶劣")
    with ctx.db.read() as s:
        item = s.get(WorkItem, "C1")
    assert item is not None and item.callable is False and item.blocked_reason == "complaint_hold"
    svc.clear_hold(ctx, actor_of(ctx, "boss"), cid, "已处理完毕，可恢复联系")
    with ctx.db.read() as s:
        item = s.get(WorkItem, "C1")
    assert item.callable is True and item.blocked_reason is None


def test_transitions_and_bad_input(seeded, clock):
    ctx = seeded
    with pytest.raises(InvalidInput, match="about"):
        svc.open_complaint(ctx, actor_of(ctx, "li"), "C1", "weather", "x")
    with pytest.raises(InvalidInput, match="text"):
        svc.open_complaint(ctx, actor_of(ctx, "li"), "C1", "service", "   ")
    with pytest.raises(InvalidInput, match="future"):
        svc.open_complaint(ctx, actor_of(ctx, "li"), "C1", "service", "x", at=clock.now() + timedelta(hours=1))
    cid = svc.open_complaint(ctx, actor_of(ctx, "li"), "C1", "service", "x")
    with pytest.raises(InvalidInput, match="needs resolved or rejected"):
        svc.close(ctx, actor_of(ctx, "boss"), cid)
    with pytest.raises(PermissionDenied):
        svc.resolve(ctx, actor_of(ctx, "li"), cid, "I decide")
    with pytest.raises(InvalidInput, match="text is required"):
        svc.reject(ctx, actor_of(ctx, "boss"), cid)
    svc.reject(ctx, actor_of(ctx, "root"), cid, "不属实")
    with pytest.raises(InvalidInput, match="is rejected"):
        svc.resolve(ctx, actor_of(ctx, "boss"), cid, "x")
    svc.close(ctx, actor_of(ctx, "boss"), cid)
    with ctx.db.read() as s:
        row = s.get(Complaint, cid)
    assert row.status == "closed" and row.resolution == "不属实" and row.closed_at is not None


def test_complaint_text_numbers_are_masked_before_storing(seeded):
    ctx = seeded
    svc.open_complaint(
        ctx, actor_of(ctx, "li"), "C1", "collection", "他打我13812345678还念了我身份证110101199003070011"
    )
    [view] = svc.list_complaints(ctx)
    assert "13812345678" not in view.text and "110101199003070011" not in view.text
    assert "138****5678" in view.text and "1*************0011" in view.text
    with ctx.db.read() as s:
        details = [e.details for e in s.exec(select(AuditEvent)).all()]
    assert "13812345678" not in json.dumps(details, ensure_ascii=False)


def _cli(ctx, args, now="2026-11-28T10:00:00+08:00", user="li"):
    sign_in(db_arg(ctx.db), user, now)
    return CliRunner().invoke(build_app(), ["--db", db_arg(ctx.db), *args], env={"COLLECTUI_NOW": now})


def test_cli_open_list_and_refused_clear_hold(seeded):
    r = _cli(seeded, ["complaint", "open", "C1", "--about", "collection", "--text", "=HYPERLINK(x)"], user="li")
    assert r.exit_code == 0, r.output
    assert "due 2026-12-13" in r.output
    r = _cli(seeded, ["complaint", "clear-hold", "1", "--reason", "please let me call"], user="li")
    assert r.exit_code == 1
    assert "complaint.clear_hold: a collector may not do this" in r.output
    r = _cli(seeded, ["complaint", "list", "--format", "json"], now="2026-12-15T09:00:00+08:00")
    [row] = json.loads(r.stdout)
    assert row["overdue"] is True and row["hold"] is True and row["name"] == "张**"
    r = _cli(seeded, ["complaint", "list", "--format", "csv"])
    assert "'=HYPERLINK(x)" in r.stdout
    r = _cli(seeded, ["complaint", "extend", "1", "--reason", "复杂案件需调查"], user="boss")
    assert r.exit_code == 0 and "2026-12-28" in r.output
    r = _cli(seeded, ["complaint", "clear-hold", "1", "--reason", "处理完毕"], user="boss")
    assert r.exit_code == 0, r.output
    r = _cli(seeded, ["complaint", "resolve", "1", "--at", "not-a-date"], user="boss")
    assert r.exit_code == 2
    r = _cli(seeded, ["complaint", "ack", "99"], user="boss")
    assert r.exit_code == 1 and "no complaint 99" in r.output
