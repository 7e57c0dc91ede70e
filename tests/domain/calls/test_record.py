"""The call record: checklists, recording, notes, promises, effects, refusals, concurrency."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import select

from collectui.domain import audit
from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.record import CallInput, log_call, start_call, validate_call
from collectui.domain.conduct.notescan import normalise, scan
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.storage.models import AuditEvent, CallAttempt, Contact, Customer, Dispute, Payment, Promise
from tests.support.calls import OUTSTANDING_FEN, RPC_CHECKS, TP_CHECKS, at, calls_policy, log, seed
from tests.support.cli import actor_of


@pytest.fixture
def sctx(ctx):
    seed(ctx)
    ctx.policy = calls_policy()
    return ctx


def fields(result):
    return [p.field for p in result.problems]


def count_calls(ctx, status=None):
    with ctx.db.read() as s:
        rows = s.exec(select(CallAttempt)).all()
    return len([r for r in rows if status is None or r.status == status])


# --- outcomes and checklists -------------------------------------------------------------------------------


def test_outcome_kinds():
    assert len(oc.OUTCOMES) == 16 and len(set(oc.OUTCOMES)) == 16
    assert {oc.kind_of(o, False) for o in oc.UNANSWERED} == {"unanswered"}
    assert {oc.kind_of(o, False) for o in oc.NOT_BORROWER} == {"third_party"}
    assert {oc.kind_of(o, False) for o in oc.RIGHT_PARTY} == {"right_party"}
    assert oc.kind_of("callback", True) == "third_party"  # any connected call to a contact
    assert oc.kind_of("busy", True) == "unanswered"


def _expected_checklist(outcome, third):
    if outcome in oc.UNANSWERED:
        return []
    if third or outcome in oc.NOT_BORROWER:
        return TP_CHECKS
    return RPC_CHECKS


@pytest.mark.parametrize("third", [False, True])
@pytest.mark.parametrize("outcome", oc.OUTCOMES)
def test_checklist_combinations(outcome, third):
    if outcome not in oc.outcomes_for(third):
        assert outcome in oc.BORROWER_ONLY and third
        return
    need = _expected_checklist(outcome, third)
    assert list(oc.checklist_for(outcome, third)) == need
    assert oc.checklist_problems(outcome, third, list(need)) == []
    for item in need:  # each mandatory item, left out
        problems = oc.checklist_problems(outcome, third, [i for i in need if i != item])
        assert len(problems) == 1 and item in problems[0] and "missing" in problems[0]
    for item in set(oc.CHECK_ITEMS) - set(need):  # each item that does not belong
        problems = oc.checklist_problems(outcome, third, list(need) + [item])
        assert len(problems) == 1 and "does not belong" in problems[0] and item in problems[0]
    assert "unknown" in oc.checklist_problems(outcome, third, list(need) + ["smiled"])[0]


def test_checklist_problem_blocks_saving(sctx):
    result = log(sctx, outcome="callback", checklist=RPC_CHECKS[:-1])
    assert not result.saved and result.exit_code == 1 and fields(result) == ["checklist"]
    result = log(sctx, outcome="no_answer", checklist=["identified"])
    assert fields(result) == ["checklist"]
    assert count_calls(sctx) == 0


def test_connected_call_needs_a_recording(sctx):
    result = log(sctx, outcome="callback", recording_ref="  ")
    assert fields(result) == ["recording"]
    assert log(sctx, outcome="no_answer").saved  # unanswered: no recording needed


def test_borrower_only_outcomes_refused_on_third_party_calls(sctx):
    with sctx.db.write() as s:
        s.get(Customer, "C1").phone_invalid = True
    result = log(sctx, outcome="promise_to_pay", contact="K1", promise_amount="10", promise_date="2026-12-01")
    assert "outcome" in fields(result)
    assert log(sctx, outcome="third_party", contact="K1").saved


def test_unknown_outcome_lists_the_codes(sctx):
    result = log(sctx, outcome="paid_maybe", checklist=[])
    assert fields(result) == ["outcome"] and "promise_to_pay" in result.problems[0].message


# --- note scan ---------------------------------------------------------------------------------------------

RULES = Policy().data["rules"]["note_scan"]


@pytest.mark.parametrize(
    "note,phrase",
    [
        ("再不还就让你坐牢", "坐牢"),
        ("再不还就让你坐 牢", "坐牢"),
        ("再不还就让你坐\u3000牢", "坐牢"),  # ideographic space
        ("说要通知 你 单位", "通知你单位"),
        ("威胁爆通讯录", "爆通讯录"),
        ("让他转到我个人账户", "转到我个人账户"),
        ("you will go to JAIL", "jail"),
        ("you will go to ｊａｉｌ", "jail"),  # full-width letters
        ("Ｊ Ａ Ｉ Ｌ", "jail"),
        ("j.a.i.l", "jail"),
        ("Pay to my Personal   Account", "personal account"),
    ],
)
def test_note_scan_catches_variants(note, phrase):
    assert phrase in [h.phrase for h in scan(note, RULES)]


def test_note_scan_passes_clean_notes_and_names_categories():
    assert scan("客户称下周五通过银行柜台还款，已告知官方渠道", RULES) == []
    assert scan("", RULES) == [] and scan(None, RULES) == []
    hits = scan("骗子，转我微信", RULES)
    assert {(h.category, h.phrase) for h in hits} == {("insults", "骗子"), ("unofficial_channels", "转我微信")}
    assert normalise("ＡＢＣ　d e") == "abcde"
    assert scan("jail", {**RULES, "enabled": False}) == []


def test_note_hit_refuses_the_record_and_names_the_phrase(sctx):
    result = log(sctx, outcome="refuses", notes="告诉他不还就 坐 牢")
    assert not result.saved and result.exit_code == 1
    assert fields(result) == ["notes"] and "坐牢" in result.problems[0].message
    assert count_calls(sctx) == 0
    with sctx.db.read() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "call.note_refused")).all()
        assert [e.details["categories"] for e in events] == [["threats"]]
        assert "坐牢" not in str(events[0].details)  # the category is audited, never the note itself
        assert audit.verify(s).ok


# --- promises ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount,ok",
    [
        ("0", False),
        ("-5", False),
        ("0.01", True),
        ("10100.00", True),
        ("10,100.00", True),
        ("10100.01", False),
        ("abc", False),
        ("1.234", False),
        ("１００", True),
        ("", False),
    ],
)
def test_promise_amount_limits(sctx, amount, ok):
    data = CallInput(
        "C1",
        "promise_to_pay",
        checklist=RPC_CHECKS,
        recording_ref="r1",
        promise_amount=amount,
        promise_date="2026-12-01",
    )
    problems = validate_call(sctx, data)
    assert ([p.field for p in problems] == []) is ok, problems


@pytest.mark.parametrize(
    "due,ok",
    [
        ("2026-11-27", False),
        ("2026-11-28", True),
        ("2026-12-28", True),
        ("2026-12-29", False),
        ("28/12/2026", False),
        (None, False),
    ],
)
def test_promise_date_window_both_ends_included(sctx, due, ok):
    data = CallInput(
        "C1", "promise_to_pay", checklist=RPC_CHECKS, recording_ref="r1", promise_amount="100", promise_date=due
    )
    assert (validate_call(sctx, data) == []) is ok


def test_outstanding_counts_principal_and_interest_already_due(sctx):
    from collectui.domain.calls.promise_rules import total_outstanding

    with sctx.db.raw_read() as raw:
        assert total_outstanding(raw, "C1", date(2026, 11, 28)) == OUTSTANDING_FEN
        assert total_outstanding(raw, "C1", date(2026, 12, 1)) == OUTSTANDING_FEN + 5_000


def test_promise_fields_only_with_promise_to_pay(sctx):
    result = log(sctx, outcome="callback", promise_amount="100")
    assert fields(result) == ["promise_amount"]


def test_promise_opened_and_judged_from_payments(sctx):
    from collectui.domain.portfolio.promises import evaluate_promises

    result = log(sctx, outcome="promise_to_pay", when=at(28, 9), promise_amount="300", promise_date="2026-12-01")
    assert result.saved
    with sctx.db.read() as s:
        promise = s.exec(select(Promise)).one()
    assert (promise.amount_fen, promise.due_date, promise.status, promise.call_id) == (
        30_000,
        date(2026, 12, 1),
        "open",
        result.call_id,
    )
    with sctx.db.write() as s:
        s.add(Payment(payment_id="P1", loan_id="L1", paid_on=date(2026, 12, 2), amount_fen=10_000))
    grace = sctx.policy["promises.grace_days"]
    assert evaluate_promises(sctx, ["C1"], date(2026, 12, 1 + grace)).open == 1
    stats = evaluate_promises(sctx, ["C1"], date(2026, 12, 2 + grace))
    assert stats.partial == 1
    with sctx.db.write() as s:
        s.add(Payment(payment_id="P2", loan_id="L1", paid_on=date(2026, 12, 3), amount_fen=20_000))
    assert evaluate_promises(sctx, ["C1"], date(2026, 12, 10)).kept == 1


def test_promise_with_no_payment_is_broken(sctx):
    from collectui.domain.portfolio.promises import evaluate_promises

    assert log(sctx, outcome="promise_to_pay", when=at(28, 9), promise_amount="300", promise_date="2026-11-30").saved
    assert evaluate_promises(sctx, ["C1"], date(2026, 12, 3)).broken == 1


# --- effects -----------------------------------------------------------------------------------------------


def test_effects_of_outcomes(sctx):
    assert log(sctx, outcome="hardship").saved
    with sctx.db.read() as s:
        assert s.get(Customer, "C1").hardship
    assert log(sctx, outcome="invalid_number").saved
    with sctx.db.read() as s:
        assert s.get(Customer, "C1").phone_invalid
    # The borrower's number is invalid: third parties may be called now.
    assert log(sctx, outcome="invalid_number", contact="K1").saved
    with sctx.db.read() as s:
        assert s.get(Contact, "K1").phone_invalid
    # An invalid number is not dialled (rule invalid_number): a supervisor marks it valid again first.
    assert [r.rule for r in log(sctx, outcome="no_answer", contact="K1").reasons] == ["invalid_number"]
    with sctx.db.write() as s:
        s.connection().exec_driver_sql("UPDATE contact SET phone_invalid = 0 WHERE contact_id = 'K1'")
    assert log(sctx, outcome="cease_request", contact="K1").saved
    with sctx.db.read() as s:
        assert s.get(Contact, "K1").refused_calls
    with sctx.db.write() as s:
        s.connection().exec_driver_sql("UPDATE customer SET phone_invalid = 0 WHERE customer_id = 'C1'")
    assert log(sctx, outcome="dispute").saved
    with sctx.db.read() as s:
        dispute = s.exec(select(Dispute)).one()
        assert dispute.status == "open" and dispute.customer_id == "C1"


def test_cease_request_sets_do_not_call(sctx):
    result = log(sctx, outcome="cease_request")
    assert result.saved and result.effects == ["customer.do_not_call"]
    with sctx.db.read() as s:
        assert s.get(Customer, "C1").do_not_call
    assert [r.rule for r in log(sctx, outcome="no_answer").reasons] == ["do_not_call"]


def test_saved_call_is_audited_without_personal_data(sctx):
    result = log(
        sctx, outcome="promise_to_pay", promise_amount="100", promise_date="2026-12-01", notes="客户说周一还款"
    )
    with sctx.db.read() as s:
        events = s.exec(select(AuditEvent)).all()
        assert audit.verify(s).ok
    actions = [e.action for e in events]
    assert "call.log" in actions and "promise.open" in actions
    body = repr([e.details for e in events])
    assert "13812340001" not in body and "李四" not in body and "周一" not in body
    assert result.call_id in [e.details.get("call_id") for e in events]


def test_refused_attempt_recorded_and_audited_with_its_rules(sctx):
    sctx.clock.current = at(28, 23)
    result = log(sctx, outcome="callback", when=at(28, 22, 30), notes="坐牢")
    assert result.exit_code == 3 and result.call_id is None
    assert [r.rule for r in result.reasons] == ["call_window"]
    assert fields(result) == ["notes"]  # listed too, but the answer is 3
    with sctx.db.read() as s:
        row = s.exec(select(CallAttempt)).one()
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "call.refused")).one()
    assert row.status == "refused" and row.refused_rules == ["call_window"] and row.notes is None
    assert event.details["rules"] == ["call_window"] and event.details["attempt_id"] == row.id


def test_invalid_record_is_not_saved_and_counts_toward_nothing(sctx):
    for i in range(10):
        assert not log(sctx, outcome="no_answer", checklist=["identified"], when=at(28, 9, i)).saved
    assert count_calls(sctx) == 0
    assert log(sctx, outcome="no_answer", when=at(28, 10)).saved


# --- the TUI path: start, then log the started attempt -------------------------------------------------------


def test_start_then_log_uses_the_started_attempt(sctx):
    started = start_call(sctx, actor_of(sctx, "amy"), "C1")
    assert started.gate.allowed and started.phone == "13812340001"
    with sctx.db.read() as s:
        assert s.get(CallAttempt, started.call_id).status == "started"
        actions = [e.action for e in s.exec(select(AuditEvent)).all() if not e.action.startswith("audit.")]
    assert actions == ["call.start", "call.unmask_number"]  # after the key's baseline of the seeded rows
    data = CallInput("C1", "callback", checklist=RPC_CHECKS, recording_ref="r", callback_at="2026-11-29 10:00")
    result = log_call(sctx, actor_of(sctx, "amy"), data, started_call_id=started.call_id, source="tui")
    assert result.saved and result.call_id == started.call_id
    assert count_calls(sctx) == 1 and count_calls(sctx, "logged") == 1
    with pytest.raises(InvalidInput):
        log_call(sctx, actor_of(sctx, "amy"), data, started_call_id=started.call_id)  # already logged


def test_start_refused_records_the_attempt(sctx):
    sctx.clock.advance(__import__("datetime").timedelta(hours=12, minutes=30))  # 22:30
    started = start_call(sctx, actor_of(sctx, "amy"), "C1")
    assert not started.gate.allowed and started.phone is None
    assert count_calls(sctx, "refused") == 1


# --- concurrency -------------------------------------------------------------------------------------------


def test_two_staff_logging_at_once_count_together(sctx):
    assert log(sctx, "amy", "callback", at(28, 9)).saved
    assert log(sctx, "bob", "callback", at(28, 9, 30)).saved
    barrier = threading.Barrier(2)
    results = {}

    def worker(name):
        barrier.wait()
        results[name] = log(sctx, name, "refuses", at(28, 10))

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("amy", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [n for n, r in results.items() if r.saved]
    refused = [n for n, r in results.items() if [x.rule for x in r.reasons] == ["daily_conversations"]]
    assert len(saved) == 1 and len(refused) == 1
    assert count_calls(sctx, "logged") == 3


def test_a_call_in_the_future_is_not_logged(sctx):
    result = log(sctx, outcome="no_answer", when=at(28, 10, 6))
    assert fields(result) == ["at"] and result.exit_code == 1
    assert log(sctx, outcome="no_answer", when=at(28, 10, 5)).saved  # within the clocks' slack
