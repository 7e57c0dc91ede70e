"""Each report formula against a small hand-worked dataset inserted directly (figures worked out in comments)."""

from __future__ import annotations

from datetime import date

import pytest

from collectui.domain import audit
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.reports import Params, run
from collectui.storage.models import Contact, Payment
from tests.support.report_rows import Seed, local

TO = date(2026, 11, 28)  # the fixture clock's today


@pytest.fixture
def book(ctx):
    """Portfolio as of 2026-11-28.

    C1 (城关): L1 dpd 0, out 1000.00 | L2 dpd 45, out 500.00, overdue 100.00 (li)
    C2 (城关): L3 dpd 200, out 300.00, overdue 300.00 (li)
    C3 (东街): L4 dpd 10, out 200.00, overdue 20.00 (wang)
    C4 (东街): L5 closed: left out.
    """
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li")
        seed.user("wang", branch="东街支行")
        for cid, br in (("C1", "城关支行"), ("C2", "城关支行"), ("C3", "东街支行"), ("C4", "东街支行")):
            seed.customer(cid, branch=br)
        seed.loan("L1", "C1", 0, 100000, 0, TO)
        seed.loan("L2", "C1", 45, 50000, 10000, TO, collector="li")
        seed.loan("L3", "C2", 200, 30000, 30000, TO, collector="li")
        seed.loan("L4", "C3", 10, 20000, 2000, TO, collector="wang")
        seed.loan("L5", "C4", 400, 99999, 99999, TO, status="closed")
    return ctx


def _by(rows, key):
    return {r[key]: r for r in rows}


def test_portfolio(book):
    data = run(book, "portfolio", Params()).data
    assert data["from"] == data["to"] == "2026-11-28"
    buckets = _by(data["by_bucket"], "bucket")
    assert list(buckets) == ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M6+"]  # empty ones listed too
    # Loans in their own bucket; borrowers in the bucket of their worst loan (C1 -> M2 because of L2).
    assert (buckets["M0"]["loans"], buckets["M0"]["borrowers"], buckets["M0"]["outstanding"]) == (1, 0, "1000.00")
    assert (buckets["M1"]["loans"], buckets["M1"]["borrowers"], buckets["M1"]["overdue"]) == (1, 1, "20.00")
    assert (buckets["M2"]["loans"], buckets["M2"]["borrowers"], buckets["M2"]["outstanding"]) == (1, 1, "500.00")
    assert (buckets["M6+"]["loans"], buckets["M6+"]["borrowers"]) == (1, 1)
    assert buckets["M4"] == {
        "bucket": "M4",
        "borrowers": 0,
        "loans": 0,
        "outstanding": "0.00",
        "overdue": "0.00",
        "share_outstanding": 0.0,
    }
    assert buckets["M0"]["share_outstanding"] == 0.5  # 1000 / 2000
    total = data["total"]
    assert (total["borrowers"], total["loans"], total["outstanding"], total["overdue"]) == (3, 4, "2000.00", "420.00")
    assert total["par30"] == 0.4  # (500 + 300) / 2000
    cats = _by(data["by_category"], "category")
    assert (cats["special_mention"]["loans"], cats["special_mention"]["borrowers"]) == (2, 2)
    assert (cats["substandard"]["borrowers"], cats["normal"]["borrowers"], cats["loss"]["loans"]) == (1, 0, 0)
    assert cats["substandard"]["category_zh"] == "次级"
    coll = _by(data["by_collector"], "collector")
    assert coll["li"]["par30"] == 1.0 and coll["wang"]["par30"] == 0.0 and coll["(unassigned)"]["loans"] == 1


def test_portfolio_filters_and_missing_day(book):
    data = run(book, "portfolio", Params(branch="城关支行")).data
    assert data["total"]["outstanding"] == "1800.00"
    assert data["total"]["par30"] == 0.4444  # 800 / 1800
    data = run(book, "portfolio", Params(collector="wang")).data
    assert (data["total"]["loans"], data["total"]["borrowers"]) == (1, 1)
    with pytest.raises(NotFound):
        run(book, "portfolio", Params(branch="nowhere"))
    # A day with neither the stored state nor a snapshot is computed (these hand-made loans have no
    # schedule: nothing owed then); a day after today is refused.
    data = run(book, "portfolio", Params(date_to=date(2026, 10, 1))).data
    assert data["source_kind"] == "computed" and data["total"]["loans"] == 4 and data["total"]["outstanding"] == "0.00"
    with pytest.raises(InvalidInput, match="no portfolio figures for 2026-11-29: it is after today"):
        run(book, "portfolio", Params(date_to=date(2026, 11, 29)))


def test_portfolio_past_day_from_snapshot(book):
    with book.db.write() as s:
        seed = Seed(s)
        seed.snapshot(date(2026, 10, 1), "L2", "C1", 15, 60000)
        seed.snapshot(date(2026, 10, 1), "L3", "C2", 170, 30000)
    data = run(book, "portfolio", Params(date_to=date(2026, 10, 1))).data
    assert data["source"] == "bucket snapshot of 2026-10-01"
    assert data["total"]["outstanding"] == "900.00" and data["total"]["par30"] == 0.3333


@pytest.fixture
def snaps(ctx):
    """t-1 = 2026-10-29, t = 2026-11-28.

    A M0->M1 100.00 | B M1->M2 200.00 | C M1->M0 50.00 | D M1->M1 150.00 | E M2->left 80.00 | F M3->M0 20.00
    roll M0->M1 = 100/100 = 1; roll M1->M2 = 200/400 = 0.5; roll M2->M3 = 0/80 = 0
    cure = (50 + 20) / (200 + 50 + 150 + 80 + 20) = 70/500 = 0.14; by count 2/5 = 0.4
    """
    t0, t1 = date(2026, 10, 29), date(2026, 11, 28)
    moves = {
        "A": (0, 20, 10000),
        "B": (20, 40, 20000),
        "C": (25, 0, 5000),
        "D": (5, 28, 15000),
        "E": (40, None, 8000),
        "F": (70, 0, 2000),
    }
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.customer("C1")
        for loan, (d0, d1, bal) in moves.items():
            seed.snapshot(t0, loan, "C1", d0, bal)
            if d1 is not None:
                seed.snapshot(t1, loan, "C1", d1, bal)
    return ctx


def test_migration_roll_and_cure(snaps):
    data = run(snaps, "migration", Params(date_from=date(2026, 10, 29))).data
    assert data["available"] is True and data["from_snapshot"] == "2026-10-29" and data["to_snapshot"] == "2026-11-28"
    rows = _by(data["by_bucket"], "bucket")
    assert rows["M0"]["roll_rate"] == 1.0
    assert rows["M1"]["roll_rate"] == 0.5 and rows["M1"]["balance"] == "400.00" and rows["M1"]["loans"] == 3
    assert rows["M1"]["cure_rate"] == 0.125 and rows["M1"]["same_rate"] == 0.375
    assert rows["M2"]["roll_rate"] == 0.0 and rows["M2"]["left_loans"] == 1 and rows["M2"]["left"] == "80.00"
    assert rows["M3"]["better_rate"] == 1.0 and rows["M6+"]["roll_rate"] is None
    assert rows["M4"]["roll_rate"] is None or rows["M4"]["balance"] == "0.00"
    total = data["total"]
    assert total["cure_rate"] == 0.14 and total["cure_rate_count"] == 0.4
    matrix = _by(data["matrix"], "from_bucket")
    assert matrix["M1"]["M2"] == "200.00" and matrix["M1"]["M0"] == "50.00" and matrix["M2"]["left"] == "80.00"


def test_migration_with_neither_snapshot_nor_loans_says_so(snaps):
    """No snapshot of 1 Oct and no loans to compute it from (this book is snapshots only): no rates."""
    report = run(snaps, "migration", Params(date_from=date(2026, 10, 1)))
    assert report.data["available"] is False and report.data["total"] is None
    assert report.data["message"] == "there are no loans yet" and report.data["first_snapshot"] == "2026-10-29"


@pytest.fixture
def calls(ctx):
    """Window 2026-11-01 .. 2026-11-28.

    li: logged PTP, no_answer, refuses (debtor), third_party and hung_up on a third-party contact; one refused
        and one started (not attempts); one on 31 Oct 23:59 (outside).  -> attempts 5, RPC 2, rate 0.4
    wang: callback at 28 Nov 23:59 (inside), busy at 29 Nov 00:00 (outside). -> attempts 1, RPC 1
    promises made in window: li P1 500, P2 300, P3 200; wang P5 100 -> 4 (PTP rate 4/3 = 1.3333)
    fell due in window and judged as of 28 Nov from the payments (grace 2 days; the stored statuses are
    deliberately misleading, the report ignores them): P1 (3..12 Nov) paid 500 on 8 Nov -> kept 500,
    P2 (10..22 Nov) nothing -> broken 300, P4 (20 Oct..7 Nov) paid 50 on 25 Oct -> partial 100
        -> kept rate 1/3 = 0.3333, by amount 500/900 = 0.5556. P3 (due 27 Nov + 2 = 29 Nov, after --to) pending.
    """
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li")
        seed.user("wang")
        seed.customer("C1")
        s.add(Contact(contact_id="K1", customer_id="C1", name="李四", relation="relative", phone="13900001111"))
        s.flush()
        c1 = seed.call("C1", "li", local(2026, 11, 3), "promise_to_pay")
        seed.call("C1", "li", local(2026, 11, 3, 11), "no_answer")
        seed.call("C1", "li", local(2026, 11, 10), "refuses")
        seed.call("C1", "li", local(2026, 11, 10, 11), "third_party", contact_id="K1")
        seed.call("C1", "li", local(2026, 11, 10, 12), "hung_up", contact_id="K1")
        seed.call("C1", "li", local(2026, 11, 11), None, status="refused", refused_rules=["call_window"])
        seed.call("C1", "li", local(2026, 11, 12), None, status="started")
        seed.call("C1", "li", local(2026, 10, 31, 23, 59), "refuses")
        seed.call("C1", "wang", local(2026, 11, 28, 23, 59), "callback")
        seed.call("C1", "wang", local(2026, 11, 29, 0, 0), "busy")
        seed.promise("C1", "li", local(2026, 11, 3), 50000, date(2026, 11, 10), "open", call_id=c1)
        seed.promise("C1", "li", local(2026, 11, 10), 30000, date(2026, 11, 20), "broken")
        seed.promise("C1", "li", local(2026, 11, 20), 20000, date(2026, 11, 27), "broken")
        seed.promise("C1", "li", local(2026, 10, 20), 10000, date(2026, 11, 5), "kept")
        seed.loan("L1", "C1", 0, 100000, 0, TO)
        s.add(Payment(payment_id="Y1", loan_id="L1", paid_on=date(2026, 10, 25), amount_fen=5000))
        s.add(Payment(payment_id="Y2", loan_id="L1", paid_on=date(2026, 11, 8), amount_fen=50000))
        seed.promise("C1", "wang", local(2026, 11, 28), 10000, date(2026, 12, 5), "open")
    return ctx


def test_activity(calls):
    data = run(calls, "activity", Params(date_from=date(2026, 11, 1))).data
    t = data["total"]
    assert (t["attempts"], t["rpc"], t["rpc_rate"]) == (6, 3, 0.5)
    assert (t["promises"], t["promised_amount"], t["ptp_rate"]) == (4, "1100.00", 1.3333)
    assert (t["promises_due"], t["kept"], t["partial"], t["broken"], t["pending"]) == (3, 1, 1, 1, 1)
    assert (t["promises_due_amount"], t["kept_amount"]) == ("900.00", "500.00")
    assert (t["ptp_kept_rate"], t["ptp_kept_rate_amount"]) == (0.3333, 0.5556)
    coll = _by(data["by_collector"], "collector")
    assert (coll["li"]["attempts"], coll["li"]["rpc"], coll["li"]["rpc_rate"]) == (5, 2, 0.4)
    assert (coll["wang"]["attempts"], coll["wang"]["rpc_rate"], coll["wang"]["ptp_kept_rate"]) == (1, 1.0, None)
    weeks = _by(data["by_week"], "week")
    assert list(weeks) == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert (weeks["2026-W45"]["attempts"], weeks["2026-W45"]["rpc"]) == (2, 1)  # 3 Nov
    assert (weeks["2026-W46"]["attempts"], weeks["2026-W46"]["promises_due"]) == (3, 1)  # P1 due 10 Nov
    assert weeks["2026-W48"]["attempts"] == 1
    only = run(calls, "activity", Params(date_from=date(2026, 11, 1), collector="wang")).data
    assert only["total"]["attempts"] == 1 and [c["collector"] for c in only["by_collector"]] == ["wang"]


def test_compliance(calls):
    with calls.db.write() as s:
        seed = Seed(s)
        seed.users = {"li": 1, "wang": 2}
        seed.call(
            "C1", "li", local(2026, 11, 5), None, status="refused", refused_rules=["call_window", "daily_attempts"]
        )
        seed.call("C1", "wang", local(2026, 11, 7), None, status="refused", refused_rules=["do_not_call"])
        seed.call("C1", "wang", local(2026, 10, 7), None, status="refused", refused_rules=["do_not_call"])
        audit.record(
            s, calls.clock, "li", "profile.unmask_refused", "customer", "C1", {"field": "phone"}, at=local(2026, 11, 8)
        )
        audit.record(
            s,
            calls.clock,
            "boss",
            "profile.unmask",
            "customer",
            "C1",
            {"field": "phone", "reason": "客户来电核实身份 13812345678"},
            at=local(2026, 11, 9),
        )
        audit.record(
            s,
            calls.clock,
            "li",
            "call.note_refused",
            "customer",
            "C1",
            {"categories": ["threats"]},
            at=local(2026, 11, 9),
        )
        audit.record(
            s,
            calls.clock,
            "boss",
            "profile.unmask",
            "customer",
            "C1",
            {"field": "name", "reason": "x"},
            at=local(2026, 10, 9),
        )
        audit.record(
            s,
            calls.clock,
            "li",
            "call.unmask_number",
            "customer",
            "C1",
            {"why": "dial for this call"},
            at=local(2026, 11, 9),
        )
    data = run(calls, "compliance", Params(date_from=date(2026, 11, 1))).data
    # refused in window: 11 Nov [call_window], 5 Nov [call_window, daily_attempts], 7 Nov [do_not_call]
    assert data["total"] == {
        "refused_attempts": 3,
        "unmaskings": 1,
        "unmask_refused": 1,
        "note_scan_refusals": 1,
        "numbers_shown_for_calls": 1,
        "late_entries": 0,
        "disputes_opened": 0,  # counted in tests/domain/reports/test_dispute_counts.py
        "disputes_resolved": 0,
        "disputes_resolved_in_time": 0,
        "disputes_overdue": 0,
    }
    assert data["by_rule"] == [
        {"rule": "call_window", "refused": 2},
        {"rule": "daily_attempts", "refused": 1},
        {"rule": "do_not_call", "refused": 1},
    ]
    coll = _by(data["by_collector"], "collector")
    assert coll["li"]["refused_attempts"] == 2 and coll["li"]["by_rule"] == {"call_window": 2, "daily_attempts": 1}
    assert coll["li"]["unmask_refused"] == 1 and coll["li"]["note_scan_refusals"] == 1
    assert coll["boss"]["unmaskings"] == 1 and coll["li"]["numbers_shown_for_calls"] == 1
    [u] = data["unmaskings"]
    assert (u["user"], u["field"], u["customer_id"]) == ("boss", "phone", "C1")
    assert "13812345678" not in u["reason"] and "客户来电核实身份" in u["reason"]
    assert data["note_scan_refusals"][0]["categories"] == ["threats"]


@pytest.fixture
def voice(ctx):
    """Window 2026-11-01 .. 2026-11-28.

    feedback: F1 li positive 5/10 | F2 li negative 2/3 [attitude, language] | F3 wang neutral 4/6 |
              F4 wang negative 1/0 [attitude] | F5 (no collector) positive -/9 | F6 outside
    CSAT = (F1, F3) / 4 rated = 0.5; NPS = 100 x (2 promoters - 3 detractors) / 5 = -20.0
    complaints: K1 11-02 due 11-17 open (hold, li) | K2 11-20 due 12-05 acknowledged |
                K3 11-05 due 11-20 resolved 11-15 (hold still on) | K4 10-01 due 10-16 decided 11-29 |
                K5 opened 11-29 (after --to)
    opened in window 3; open at end of 28 Nov: K1, K2, K4 = 3; overdue K1, K4 = 2; holds K1, K3 = 2
    """
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li")
        seed.user("wang")
        seed.customer("C1", name="欧阳娜娜")
        seed.feedback("C1", local(2026, 11, 2), "positive", 5, 10, collector="li")
        seed.feedback(
            "C1",
            local(2026, 11, 3),
            "negative",
            2,
            3,
            ["attitude", "language"],
            "li",
            text="他说话很难听，打我电话 13812345678",
        )
        seed.feedback("C1", local(2026, 11, 10), "neutral", 4, 6, collector="wang")
        seed.feedback(
            "C1", local(2026, 11, 24), "negative", 1, 0, ["attitude"], "wang", text='=HYPERLINK("http://evil","x")'
        )
        seed.feedback("C1", local(2026, 11, 25), "positive", None, 9)
        seed.feedback("C1", local(2026, 10, 25), "negative", 1, 0, ["timing"], "li")
        seed.complaint("C1", local(2026, 11, 2), date(2026, 11, 17), hold=True, collector="li")
        seed.complaint("C1", local(2026, 11, 20), date(2026, 12, 5), status="acknowledged", about="service")
        seed.complaint(
            "C1", local(2026, 11, 5), date(2026, 11, 20), status="resolved", hold=True, decided_at=local(2026, 11, 15)
        )
        seed.complaint(
            "C1", local(2026, 10, 1), date(2026, 10, 16), status="resolved", decided_at=local(2026, 11, 29, 9)
        )
        seed.complaint("C1", local(2026, 11, 29, 8), date(2026, 12, 14))
    return ctx


def test_voice(voice):
    report = run(voice, "voice", Params(date_from=date(2026, 11, 1)))
    t = report.data["total"]
    assert (t["feedback"], t["positive"], t["neutral"], t["negative"]) == (5, 2, 1, 2)
    assert (t["rated"], t["satisfied"], t["csat"]) == (4, 2, 0.5)
    assert (t["answered"], t["promoters"], t["detractors"], t["nps"]) == (5, 2, 3, -20.0)
    assert (t["complaints_opened"], t["complaints_open"], t["complaints_overdue"], t["holds_active"]) == (3, 3, 2, 2)
    cats = _by(report.data["negative_by_category"], "category")
    assert cats["attitude"]["negative"] == 2 and cats["language"]["negative"] == 1 and cats["timing"]["negative"] == 0
    coll = _by(report.data["by_collector"], "collector")
    assert coll["li"]["negative_by_category"] == {"attitude": 1, "language": 1}
    assert (coll["li"]["csat"], coll["li"]["nps"], coll["li"]["complaints_overdue"]) == (0.5, 0.0, 1)
    assert (coll["wang"]["csat"], coll["wang"]["nps"]) == (0.5, -100.0)
    weeks = _by(report.data["by_week"], "week")
    assert weeks["2026-W45"]["feedback"] == 2 and weeks["2026-W45"]["csat"] == 0.5  # 2 Nov (5) and 3 Nov (2)
    assert weeks["2026-W44"]["feedback"] == 0 and weeks["2026-W44"]["csat"] is None  # nothing: no rate
    assert weeks["2026-W48"]["nps"] == 0.0  # 24 Nov (0) and 25 Nov (9)
    open_list = [c for c in report.sections if c.name == "open_complaints"][0].rows
    assert [c["due_on"] for c in open_list] == ["2026-10-16", "2026-11-17", "2026-12-05"]  # by deadline
    assert [c["overdue"] for c in open_list] == ["OVERDUE", "OVERDUE", ""]
    assert open_list[0]["name"] == "欧***"
    texts = [c for c in report.sections if c.name == "negative_feedback"][0].rows
    assert len(texts) == 2 and "138****5678" in texts[0]["text"] and "13812345678" not in texts[0]["text"]


def test_bad_window(voice):
    with pytest.raises(InvalidInput, match="after"):
        run(voice, "voice", Params(date_from=date(2026, 11, 29)))
