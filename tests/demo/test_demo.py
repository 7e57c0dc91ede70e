"""The demo database: every bucket through the overdue engine, valid IDs, history rules, determinism, safety."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher

from collectui.clock import FixedClock
from collectui.demo import builder as demo
from collectui.demo.file import DemoExists, NotDemoDatabase, demo_info
from collectui.demo.people import OTHER_BIRTH_REGIONS, PLACES
from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.portfolio.overdue import BUCKETS, CATEGORIES, Inst, Pay, bucket_for, category_for, compute
from collectui.domain.privacy.identity import is_mobile, normalise_id_number
from collectui.domain.privacy.masking import mask_address
from collectui.domain.staff import users
from collectui.storage.engine import Database

# `collectui demo` makes SQLite files by design (built aside, swapped into place; it refuses a URL): these
# tests read those files. The demo builder's data on PostgreSQL: tests/support/demo_bank.build_demo_at.
pytestmark = pytest.mark.sqlite_only

TZ = ZoneInfo("Asia/Shanghai")
AS_OF = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
N = 60


def cheap_hasher(mp: pytest.MonkeyPatch) -> None:
    # argon2 at production cost takes ~0.3 s per staff account; the demo creates eleven.
    mp.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def build(path, clock, seed=1, customers=N, force=False, as_of=AS_OF):
    return demo.build_demo(
        path, Policy(), clock, demo.DemoOptions(seed=seed, customers=customers, as_of=as_of, force=force), actor="test"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        cheap_hasher(mp)
        summary = build(path, FixedClock(NOW, TZ))
    conn = sqlite3.connect(path)
    yield path, summary, conn
    conn.close()


def engine_figures(conn):
    insts, pays = defaultdict(list), defaultdict(list)
    for loan_id, seq, due, p, i in conn.execute(
        "SELECT loan_id, seq, due_date, principal_due_fen, interest_due_fen FROM instalment"
    ):
        insts[loan_id].append(Inst(seq, date.fromisoformat(due), p, i))
    for loan_id, paid_on, amount in conn.execute("SELECT loan_id, paid_on, amount_fen FROM payment"):
        pays[loan_id].append(Pay(date.fromisoformat(paid_on), amount))
    return {loan_id: compute(insts[loan_id], pays[loan_id], AS_OF) for loan_id in insts}, insts, pays


def test_every_bucket_and_category_through_the_overdue_engine(built):
    path, summary, conn = built
    figures, _, _ = engine_figures(conn)
    worst = defaultdict(int)
    for loan_id, cid, status in conn.execute("SELECT loan_id, customer_id, status FROM loan"):
        if status != "closed":
            worst[cid] = max(worst[cid], figures[loan_id].dpd)
    assert {bucket_for(d) for d in worst.values()} == set(BUCKETS)
    assert {category_for(d) for d in worst.values()} == set(CATEGORIES)
    overdue = sum(1 for d in worst.values() if d > 0)
    assert 0.25 <= overdue / N <= 0.45
    # the summary counts what the engine says, and the refresh agrees loan by loan
    assert sum(summary.borrowers_by_bucket.values()) == len(worst)
    assert summary.borrowers_by_bucket["M0"] == sum(1 for d in worst.values() if d == 0)
    for loan_id, dpd in conn.execute("SELECT loan_id, dpd FROM loan_state"):
        assert figures[loan_id].dpd == dpd
    assert {b for (b,) in conn.execute("SELECT DISTINCT bucket FROM work_item")} == set(BUCKETS) - {"M0"}


def test_loans_statuses_partial_early_and_overpayments(built):
    _, _, conn = built
    figures, insts, pays = engine_figures(conn)
    statuses = {s for (s,) in conn.execute("SELECT DISTINCT status FROM loan")}
    assert statuses == {"active", "closed", "written_off"}
    for loan_id, principal, status in conn.execute("SELECT loan_id, principal_fen, status FROM loan"):
        assert sum(i.principal_fen for i in insts[loan_id]) == principal
        if status == "closed":
            assert figures[loan_id].outstanding_fen == 0
    # paid ahead of the schedule (early payment or overpayment carried forward)
    ahead = [
        lid
        for lid, f in figures.items()
        if f.paid_fen > sum(i.principal_fen + i.interest_fen for i in insts[lid] if i.due_date < AS_OF)
    ]
    assert ahead
    # partial: the oldest unpaid instalment has some money on it
    partial = [
        lid
        for lid, f in figures.items()
        if f.dpd
        and f.paid_fen - sum(i.principal_fen + i.interest_fen for i in insts[lid] if i.due_date < f.oldest_unpaid_due)
        > 0
    ]
    assert partial
    assert all(p.paid_on < AS_OF for ps in pays.values() for p in ps)
    products = {p for (p,) in conn.execute("SELECT DISTINCT product FROM loan")}
    assert {"农户小额信用贷款", "个体工商户经营贷", "消费贷"} <= products


def test_people_ids_phones_addresses(built):
    _, _, conn = built
    regions = {code for places in PLACES.values() for code, _, _ in places} | set(OTHER_BIRTH_REGIONS)
    rows = conn.execute("SELECT id_number, phone, address, vulnerable FROM customer").fetchall()
    assert len(rows) == N
    for id_number, phone, address, vulnerable in rows:
        assert normalise_id_number(id_number) == id_number
        assert id_number[:6] in regions
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        age = (AS_OF - born).days // 365
        assert (70 <= age <= 87) if vulnerable else (18 <= age <= 68)
        assert is_mobile(phone)
        masked = mask_address(address)
        assert masked.endswith("****") and masked[-5] in "县区"
    phones = [p for (p,) in conn.execute("SELECT phone FROM customer UNION ALL SELECT phone FROM contact")]
    assert len(phones) == len(set(phones))
    relations = {r for (r,) in conn.execute("SELECT DISTINCT relation FROM contact")}
    assert relations == {"guarantor", "spouse", "relative", "emergency"}
    assert len({b for (b,) in conn.execute("SELECT DISTINCT branch_id FROM customer")}) == 3


def test_calls_follow_the_rules(built):
    _, _, conn = built
    rpc = ["identified", "recorded_notice", "verified_identity", "stated_amount", "official_channels", "no_threats"]
    third = ["identified", "recorded_notice", "no_disclosure", "no_threats"]
    per_day = defaultdict(int)
    outcomes = set()
    for cid, contact, status, started, ended, outcome, connected, right, checklist, rec in conn.execute(
        "SELECT customer_id, contact_id, status, started_at, ended_at, outcome, connected, right_party, "
        "checklist, recording_ref FROM call_attempt"
    ):
        local = datetime.fromisoformat(started).astimezone(TZ)
        assert status == "logged"
        assert time(8, 0) <= local.time() and datetime.fromisoformat(ended).astimezone(TZ).time() < time(22, 0)
        assert local.date() < AS_OF
        per_day[(cid, local.date())] += 1
        outcomes.add(outcome)
        checklist = json.loads(checklist)
        if not connected:
            assert checklist == [] and rec is None
        else:
            assert rec and checklist == (rpc if right else third)
            assert right == (contact is None and outcome not in ("wrong_number", "third_party", "deceased_reported"))
    assert max(per_day.values()) <= 2
    assert {
        "no_answer",
        "promise_to_pay",
        "dispute",
        "cease_request",
        "hardship",
        "invalid_number",
        "third_party",
    } <= outcomes


def test_promises_holds_and_voice(built):
    _, summary, conn = built
    assert summary.refresh_note == ""  # the promise evaluation agreed with every demo status
    statuses = {s for (s,) in conn.execute("SELECT status FROM promise")}
    assert statuses == {"open", "kept", "partial", "broken"}
    blocked = {b for (b,) in conn.execute("SELECT DISTINCT blocked_reason FROM work_item")}
    assert {"do_not_call", "dispute_hold", "complaint_hold", "promise_pending"} <= blocked
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM complaint WHERE status IN ('open','acknowledged') AND due_on < ?",
            (AS_OF.isoformat(),),
        ).fetchone()[0]
        >= 1
    )
    assert conn.execute("SELECT COUNT(*) FROM complaint WHERE status = 'closed' AND hold_active = 0").fetchone()[0]
    assert conn.execute("SELECT COUNT(*) FROM dispute WHERE status = 'open'").fetchone()[0]
    assert conn.execute("SELECT COUNT(*) FROM customer WHERE vulnerable = 1").fetchone()[0]
    for sat, rec, sentiment in conn.execute("SELECT satisfaction, recommend, sentiment FROM feedback"):
        assert 1 <= sat <= 5 and 0 <= rec <= 10 and sentiment in ("positive", "neutral", "negative")
    assert {s for (s,) in conn.execute("SELECT state FROM sms_message")} <= {"sent", "delivered"}
    assert conn.execute("SELECT COUNT(*) FROM sms_message").fetchone()[0] >= 1


def test_marked_as_demo_with_one_audit_event(built):
    path, _, conn = built
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["demo"] == "1" and meta["demo_seed"] == "1" and meta["demo_as_of"] == AS_OF.isoformat()
    actions = [a for (a,) in conn.execute("SELECT action FROM audit_event")]
    assert actions.count("demo.build") == 1
    assert actions.count("user.create") == 12
    db = Database(path)
    with db.read() as s:
        assert audit.verify(s).ok
    db.dispose()


def dump(path) -> str:
    """Every table, ordered, without what depends on the wall clock or on password salts."""
    conn = sqlite3.connect(path)
    skip = {"audit_event"}
    digest = hashlib.sha256()
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        if table in skip:
            continue
        cols = [
            c[1]
            for c in conn.execute(f"PRAGMA table_info({table})")
            if not (table == "staff_user" and c[1] in ("password_hash", "created_at"))
        ]
        for row in conn.execute(f"SELECT {','.join(cols)} FROM {table} ORDER BY {','.join(cols)}"):
            if table == "meta" and row[0] in ("audit_head", "db_id", "audit_key_check"):
                continue
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


def test_same_seed_same_data_other_seed_other_data(tmp_path, clock, monkeypatch):
    cheap_hasher(monkeypatch)
    build(tmp_path / "a.db", clock, seed=5, customers=30)
    monkeypatch.setattr(demo, "CHUNK", 7)  # stored in several chunks: the same rows
    build(tmp_path / "b.db", clock, seed=5, customers=30)
    build(tmp_path / "c.db", clock, seed=6, customers=30)
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")
    assert dump(tmp_path / "a.db") != dump(tmp_path / "c.db")


def test_never_overwrites_a_database_that_is_not_demo_data(tmp_path, clock, monkeypatch):
    cheap_hasher(monkeypatch)
    real = tmp_path / "real.db"
    db = Database(real)
    db.create_schema()
    db.dispose()
    before = real.read_bytes()
    for force in (False, True):
        with pytest.raises(NotDemoDatabase, match="not a demo database"):
            build(real, clock, force=force)
    assert real.read_bytes() == before
    other = tmp_path / "notes.txt"
    other.write_text("not a database at all")
    with pytest.raises(NotDemoDatabase):
        build(other, clock, force=True)
    assert other.read_text() == "not a database at all"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "real.db"]


def test_existing_demo_replaced_only_with_force(tmp_path, clock, monkeypatch):
    cheap_hasher(monkeypatch)
    path = tmp_path / "demo.db"
    build(path, clock, seed=1, customers=25)
    with pytest.raises(DemoExists, match="--force"):
        build(path, clock, seed=2, customers=25)
    assert demo_info(path)["demo_seed"] == "1"
    # an open connection leaves a -wal behind; the replacement must not inherit it
    keep = Database(path)
    with keep.write() as s:
        from collectui.storage.meta import set_meta

        set_meta(s, "touched", "yes")
    keep.dispose()
    build(path, clock, seed=2, customers=25, force=True)
    assert demo_info(path)["demo_seed"] == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM customer").fetchone()[0] == 25
    conn.close()


def test_failed_build_leaves_the_old_database_intact(tmp_path, clock, monkeypatch):
    cheap_hasher(monkeypatch)
    path = tmp_path / "demo.db"
    build(path, clock, seed=1, customers=25)
    before = dump(path)

    def boom(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(demo, "store_rows", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build(path, clock, seed=9, customers=25, force=True)
    assert dump(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]


def test_staff_of_every_role_can_log_in_with_the_printed_password(built, clock):
    path, summary, _ = built
    assert {s.role for s in summary.staff} == set(users.ROLES)
    assert {s.branch for s in summary.staff if s.role == "collector"} == {"城关支行", "东城支行", "河西支行"}
    db = Database(path)
    ctx = Ctx(db, clock, Policy())
    for spec in summary.staff:
        assert len(spec.password) >= 8
    with pytest.MonkeyPatch.context() as mp:
        cheap_hasher(mp)
        view = users.authenticate(ctx, "cg-collector1", "demo-cg-collector1")
    assert view.role == "collector" and view.branch == "城关支行"
    db.dispose()


def test_demo_staff_are_certified_so_the_gate_lets_them_call(built):
    path, summary, conn = built
    rows = conn.execute(
        "SELECT u.username, c.certified_on, c.source, c.reason FROM certification c "
        "JOIN staff_user u ON u.id = c.user_id ORDER BY u.username"
    ).fetchall()
    # Every account but the trainee stands for trained staff: certified by the build.
    trained = sorted((s for s in summary.staff if s.role != "trainee"), key=lambda s: s.username)
    assert rows == [(s.username, "2026-11-28", "recorded", "demo staff") for s in trained]
    events = conn.execute("SELECT actor, target_id FROM audit_event WHERE action = 'training.certify'").fetchall()
    assert len(events) == len(trained) == len(summary.staff) - 1


def test_too_few_customers_is_refused(tmp_path, clock):
    from collectui.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="--customers"):
        build(tmp_path / "x.db", clock, customers=5)
    assert not (tmp_path / "x.db").exists()


def test_the_call_gate_agrees_with_the_demo_history(built):
    """Callable borrowers are refused by no customer-level rule on their own number (or a number of theirs);
    blocked ones by their reason, the reminder SMS included."""
    from collectui.domain.calls import gate
    from collectui.domain.calls.parties import resolve_target

    path, _, conn = built
    items = conn.execute("SELECT customer_id, callable, blocked_reason FROM work_item").fetchall()
    db = Database(path)
    allowed = 0
    with db.raw_read() as raw:
        for cid, callable_, blocked in items:
            customer, _, phone = resolve_target(raw, cid, None)
            facts = gate.GateFacts(raw, Policy(), customer, None, phone, None, "supervisor", NOW)
            rules = {hit.rule for hit in gate.evaluate(facts).reasons}
            if callable_:
                # the own number may be invalid or used up while another number of hers is free
                assert rules <= {"invalid_number", "daily_attempts", "third_party_not_allowed"}, (cid, rules)
                allowed += not rules
            else:
                assert blocked in rules, (cid, blocked, rules)
    db.dispose()
    assert allowed >= len(items) // 3


def test_drawing_holds_for_many_seeds_and_days():
    """The pure drawing part (no database) over many seeds and as-of days: no error, nothing after the as-of
    date, every worst loan at its planned days past due, nobody called after a dispute or a cease request."""
    from types import SimpleNamespace

    from collectui.demo.history import HistoryFactory
    from collectui.demo.people import PeopleFactory, staff_specs

    ctx = SimpleNamespace(policy=Policy())
    for seed in range(1, 26):
        as_of = date(2024, 2, 29) if seed % 5 == 0 else date(2026, 1, seed)
        rng = __import__("random").Random(seed)
        people = PeopleFactory(rng)
        history = HistoryFactory(rng, as_of, TZ, 2)
        specs = staff_specs(people)
        ids = {s.username: n for n, s in enumerate(specs, start=1)}
        for rows in demo._draw(
            ctx, rng, people, history, 40, as_of, ids, {"城关支行": 1, "东城支行": 2, "河西支行": 3}, specs
        ):
            assert len(rows.customers) == 40
            assert all(p[2] < as_of.isoformat() for p in rows.payments)
        stops = {}
        for call in history.calls:
            day = datetime.fromisoformat(call[6]).astimezone(TZ).date()
            assert day < as_of
            if call[8] in ("dispute", "cease_request"):
                stops[call[1]] = day
        for call in history.calls:
            if call[1] in stops:
                assert datetime.fromisoformat(call[6]).astimezone(TZ).date() <= stops[call[1]]
        assert set(rows.buckets) == set(BUCKETS) - {"M0"}
        # every story, whatever the seed
        assert all(history.promise_status.values()), (seed, history.promise_status)
        outcomes = {call[8] for call in history.calls}
        assert {"dispute", "cease_request", "hardship", "invalid_number", "promise_to_pay"} <= outcomes, seed
        assert any(c[4] == "open" and c[9] < as_of.isoformat() for c in history.complaints), seed
        assert any(c[13] == 1 for c in history.complaints) and any(c[4] == "closed" for c in history.complaints)
        assert any(d[5] == "open" for d in history.disputes) and history.feedback and history.sms, seed
