"""Sending: the window, the file gateway, and the HTTP gateway against a real loopback server that fails."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from collectui.clock import FUTURE_SLACK
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import policy_from_dict
from collectui.domain.sms import plan as plan_svc
from collectui.domain.sms import send as send_svc
from collectui.domain.sms.gateway_file import FileGateway
from collectui.storage.models import AuditEvent, Customer, SmsMessage
from tests.support.clock import TZ
from tests.support.sms import SUP, FakePlatform, add_borrowers


class PowerCut(BaseException):
    """Stands for the process dying (not an Exception: nothing on the way may swallow it)."""


def at(hour, minute=0, second=0, day=28):
    return datetime(2026, 11, day, hour, minute, second, tzinfo=TZ)


def messages(ctx):
    with ctx.db.read() as s:
        return {m.message_id: m for m in s.exec(select(SmsMessage).order_by(SmsMessage.id)).all()}


def http_policy(url, **http):
    return policy_from_dict(
        {
            "sms": {
                "gateway": "http",
                "http": {"url": url, "timeout_s": 0.5, "backoff_s": 0.0, "max_attempts": 3, **http},
            }
        }
    )


def send_at(ctx, actor, *, at, **kw):
    """A run at ``at`` is a run while the clock says ``at`` (``at`` is held to the clock: test_send_at)."""
    ctx.clock.current = at
    return send_svc.send(ctx, actor, at=at, **kw)


@pytest.fixture
def planned(ctx):
    add_borrowers(ctx, 4)
    plan_svc.plan(ctx, SUP)
    return ctx


# --- the window ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when, inside",
    [
        (at(7, 59, 59), False),
        (at(8, 0), True),
        (at(19, 59, 59), True),
        (at(20, 0), False),
        (at(23, 30), False),
    ],
)
def test_window_edges(planned, tmp_path, when, inside):
    result = send_at(planned, SUP, at=when, gateway=FileGateway(tmp_path / "out"))
    assert result.in_window is inside
    states = {m.state for m in messages(planned).values()}
    if inside:
        assert states == {"sent"} and result.ok and len(result.accepted) == 4
    else:
        assert states == {"pending"} and not result.ok and result.accepted == []
        assert not (tmp_path / "out").exists()
        opens = at(8, 0) if when.hour < 8 else at(8, 0, day=29)
        assert result.opens_at == opens and result.due == 4


def test_window_follows_policy_time_zone(planned, tmp_path):
    planned.policy = policy_from_dict({"sms": {"window": "09:00-17:00"}})
    utc_0100 = datetime(2026, 11, 28, 1, 0, tzinfo=TZ.__class__("UTC"))  # 09:00 in Shanghai
    assert send_at(planned, SUP, at=utc_0100 - timedelta(seconds=1), gateway=FileGateway(tmp_path)).in_window is False
    assert send_at(planned, SUP, at=utc_0100, gateway=FileGateway(tmp_path)).in_window is True


# --- the file gateway -----------------------------------------------------------------------------------------


def test_file_batch_holds_id_full_phone_and_text_only(planned, tmp_path):
    planned.policy = policy_from_dict({"sms": {"file": {"outbox": str(tmp_path / "outbox")}}})
    result = send_at(planned, SUP, at=at(9, 30))
    assert result.ok and len(result.files) == 2
    csv_path, jsonl_path = result.files
    with csv_path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    lines = [json.loads(x) for x in jsonl_path.read_text(encoding="utf-8").splitlines()]
    stored = messages(planned)
    assert [list(r) for r in rows][0] == ["message_id", "phone", "text"]
    assert rows == [{k: str(v) for k, v in line.items()} for line in lines]
    for row in rows:
        msg = stored[row["message_id"]]
        assert row["phone"] == msg.phone and row["text"] == msg.text
        assert msg.state == "sent" and msg.sent_at == at(9, 30)
    assert not list((tmp_path / "outbox").glob(".*tmp"))
    # Nothing left to send: the next run writes no file.
    assert send_at(planned, SUP, at=at(10)).files == []


def test_relative_outbox_lives_beside_the_database(planned):
    result = send_at(planned, SUP, at=at(9))
    assert result.files[0].parent == planned.db.path.parent / "sms-outbox"


def test_file_crash_after_batch_written_is_repaired_without_a_second_copy(planned, tmp_path, monkeypatch):
    gateway = FileGateway(tmp_path)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(send_svc.store, "mark_sent", crash)  # dies after the batch, before the commit
    with pytest.raises(RuntimeError):
        send_at(planned, SUP, at=at(9), gateway=gateway)
    monkeypatch.undo()
    assert {m.state for m in messages(planned).values()} == {"pending"}
    (tmp_path / next(p.name for p in tmp_path.glob("*.csv"))).unlink()  # and the CSV rename never happened
    result = send_at(planned, SUP, at=at(9, 5), gateway=gateway)
    assert result.ok and len(result.accepted) == 4 and result.files == []
    ids = []
    for path in tmp_path.glob("sms-*.jsonl"):
        ids += [json.loads(x)["message_id"] for x in path.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == sorted(messages(planned))  # each message once, in one batch
    assert len(list(tmp_path.glob("sms-*.csv"))) == 1  # the missing CSV twin was completed


def test_changed_circumstances_cancel_before_sending(planned, tmp_path):
    with planned.db.write() as s:
        s.get(Customer, "C001").sms_opt_out = True
        s.get(Customer, "C002").phone = "13900000000"
    result = send_at(planned, SUP, at=at(9), gateway=FileGateway(tmp_path))
    assert sorted(r for _, r in result.cancelled) == ["number_changed", "opted_out"]
    assert result.ok and result.due == 2


def test_future_plans_are_not_due_yet(ctx, tmp_path):
    add_borrowers(ctx, 1)
    plan_svc.plan(ctx, SUP, for_date=ctx.clock.today() + timedelta(days=1))
    result = send_at(ctx, SUP, at=at(9), gateway=FileGateway(tmp_path))
    assert result.due == 0 and result.ok and list(messages(ctx).values())[0].state == "pending"


# --- the HTTP gateway against a real server -------------------------------------------------------------------


def test_http_success_posts_json_with_idempotency_key(planned):
    with FakePlatform() as platform:
        planned.policy = http_policy(platform.url)
        result = send_at(planned, SUP, at=at(9))
    stored = messages(planned)
    assert result.ok and sorted(result.accepted) == sorted(stored)
    assert len(platform.requests) == 4
    for req in platform.requests:
        msg = stored[req["key"]]
        assert req["body"] == {"message_id": msg.message_id, "to": msg.phone, "text": msg.text}
        assert msg.state == "sent" and msg.attempts == 1 and msg.sent_at == at(9)


def test_http_failures_stay_pending_then_fail_then_retry_with_the_same_key(planned):
    order = list(messages(planned))  # the sending order
    # Posted in the order 500, ok, hang, drop: never 3 failures in a row, so the run does not stop early.
    ids = [order[0], order[2], order[3], order[1]]
    with FakePlatform(hang_s=1.5) as platform:
        platform.script = {ids[0]: ["500"], ids[1]: ["hang", "ok"], ids[2]: ["drop", "ok"], ids[3]: ["ok"]}
        planned.policy = http_policy(platform.url)
        first = send_at(planned, SUP, at=at(9))
        stored = messages(planned)
        assert not first.ok and first.accepted == [ids[3]]
        assert {m for m, _ in first.pending} == {ids[0], ids[1], ids[2]}
        assert stored[ids[0]].last_error == "HTTP 500" and stored[ids[0]].attempts == 1
        assert stored[ids[1]].last_error.startswith("timeout") and stored[ids[1]].state == "pending"
        assert stored[ids[2]].last_error.startswith("connection") and stored[ids[2]].state == "pending"

        second = send_at(planned, SUP, at=at(10))
        assert sorted(second.accepted) == sorted(ids[1:3]) and [m for m, _ in second.pending] == [ids[0]]
        third = send_at(planned, SUP, at=at(11))
        assert [m for m, _ in third.failed] == [ids[0]] and messages(planned)[ids[0]].state == "failed"
        assert send_at(planned, SUP, at=at(12)).due == 0  # failed is not retried by itself

        platform.script[ids[0]] = ["ok"]
        fourth = send_at(planned, SUP, at=at(13), retry_failed=True)
        assert fourth.requeued == 1 and fourth.accepted == [ids[0]] and fourth.ok
        sent_hang_late = dict(platform.delivered)
    stored = messages(planned)
    assert {m.state for m in stored.values()} == {"sent"}  # nothing lost
    assert stored[ids[0]].sent_at == at(13) and stored[ids[1]].sent_at == at(10)
    # Never under two keys: every request for a message carried that message's own id as its key.
    assert all(r["key"] == r["body"]["message_id"] for r in platform.requests)
    assert len(platform.requests) == 4 + 3 + 1 + 1
    # The hanging request was processed by the platform after the client gave up; the retry reused the key,
    # so the platform sent that message once.
    assert sorted(sent_hang_late) == sorted(ids)


def test_crash_between_accept_and_commit_resends_under_the_same_key(planned, monkeypatch):
    ids = sorted(messages(planned))
    real = send_svc._record_attempt
    calls = {"n": 0}

    def dies_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise PowerCut  # the process dies after the platform said 2xx
        return real(*args, **kwargs)

    with FakePlatform() as platform:
        planned.policy = http_policy(platform.url)
        monkeypatch.setattr(send_svc, "_record_attempt", dies_on_second)
        with pytest.raises(PowerCut):
            send_at(planned, SUP, at=at(9))
        monkeypatch.undo()
        assert sum(m.state == "sent" for m in messages(planned).values()) == 1
        result = send_at(planned, SUP, at=at(9, 10))
    assert result.ok and {m.state for m in messages(planned).values()} == {"sent"}
    keys = [r["key"] for r in platform.requests]
    assert len(keys) == 5 and len(set(keys)) == 4  # one message posted twice, with its one key
    assert sorted(platform.delivered) == ids  # and the platform sent each message once


def test_down_platform_stops_the_run_early_and_loses_nothing(planned, monkeypatch):
    slept = []
    with FakePlatform() as platform:
        platform.script = {mid: ["500"] for mid in messages(planned)}
        planned.policy = http_policy(platform.url, backoff_s=0.5)
        result = send_at(planned, SUP, at=at(9), sleep=slept.append)
    assert result.stopped_early and len(platform.requests) == send_svc.STOP_AFTER_FAILURES_IN_A_ROW
    assert slept == [0.5, 1.0]  # doubled after each failure in a row
    stored = messages(planned)
    assert {m.state for m in stored.values()} == {"pending"}
    assert sorted(m.attempts for m in stored.values()) == [0, 1, 1, 1]


def test_unreachable_platform_counts_as_a_failed_attempt(planned):
    with FakePlatform() as platform:
        url = platform.url
    planned.policy = http_policy(url)  # the server is gone: connection refused
    result = send_at(planned, SUP, at=at(9), sleep=lambda s: None)
    errors = [e for _, e in result.pending]
    assert not result.ok and result.stopped_early and len(errors) == 4
    assert all(e.startswith("connection") for e in errors[:3]) and errors[3] is None  # the 4th not tried


def test_state_changes_are_audited(planned):
    with FakePlatform() as platform:
        platform.script = {sorted(messages(planned))[0]: ["500"]}
        planned.policy = http_policy(platform.url)
        send_at(planned, SUP, at=at(9))
    with planned.db.read() as s:
        actions = [e.action for e in s.exec(select(AuditEvent)).all()]
        blob = repr([e.details for e in s.exec(select(AuditEvent)).all()])
    assert actions.count("sms.sent") == 3 and actions.count("sms.attempt_failed") == 1
    assert "1380000" not in blob


# --- the run's time is the clock's, give or take the slack of `call log` -----------------------------------


def sms_audit(ctx):
    with ctx.db.read() as s:
        return [e.action for e in s.exec(select(AuditEvent)).all() if e.action.startswith("sms.")]


@pytest.mark.parametrize(
    "offset, word",
    [
        (FUTURE_SLACK + timedelta(seconds=1), "in the future"),
        (timedelta(days=1), "in the future"),
        (-FUTURE_SLACK - timedelta(seconds=1), "in the past"),
        (-timedelta(hours=3), "in the past"),  # 07:00 while it is 10:00: not a way into the window either
    ],
)
def test_send_at_far_from_the_clock_is_refused_and_nothing_is_written(planned, tmp_path, offset, word):
    before = sms_audit(planned)
    with pytest.raises(InvalidInput, match=word) as refused:
        send_svc.send(planned, SUP, at=planned.clock.now() + offset, gateway=FileGateway(tmp_path / "out"))
    assert "\n" not in str(refused.value)
    assert {m.state for m in messages(planned).values()} == {"pending"}
    assert all(m.sent_at is None for m in messages(planned).values())
    assert sms_audit(planned) == before and not (tmp_path / "out").exists()


@pytest.mark.parametrize("offset", [timedelta(0), FUTURE_SLACK, -FUTURE_SLACK, None])
def test_send_at_now_or_within_the_slack_is_accepted(planned, tmp_path, offset):
    now = planned.clock.now()
    at = None if offset is None else now + offset
    result = send_svc.send(planned, SUP, at=at, gateway=FileGateway(tmp_path / "out"))
    assert result.ok and len(result.accepted) == 4 and result.at == (at or now)
    assert {m.sent_at.astimezone(TZ) for m in messages(planned).values()} == {at or now}


@pytest.mark.parametrize(
    "offset, accepted",
    [
        (FUTURE_SLACK, True),
        (FUTURE_SLACK + timedelta(seconds=1), False),
        (-FUTURE_SLACK, True),
        (-FUTURE_SLACK - timedelta(seconds=1), False),
    ],
)
def test_plan_at_is_held_to_the_clock_too(ctx, offset, accepted):
    add_borrowers(ctx, 2)
    at = ctx.clock.now() + offset
    if accepted:
        assert len(plan_svc.plan(ctx, SUP, at=at).queued) == 2
        return
    with pytest.raises(InvalidInput, match="in the future" if offset > timedelta(0) else "in the past"):
        plan_svc.plan(ctx, SUP, at=at)
    assert messages(ctx) == {} and sms_audit(ctx) == []
