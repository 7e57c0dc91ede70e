"""What was learned on a call: new numbers and contacts, agreed call hours, numbers marked invalid."""

from __future__ import annotations

import json

import pytest

from collectui.domain.audit import verify
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.portfolio import contacts
from collectui.domain.portfolio.refresh import refresh
from collectui.storage.models import Branch, CallAttempt, Customer, StaffUser
from tests.support.calls import seed
from tests.support.cli import actor_of
from tests.support.clock import NOW


@pytest.fixture
def bank(ctx):
    """C1 and C2 of 东城支行 (C1's spouse K1), collectors amy and bob, supervisor sue; call 1 with C1, call 2
    with C2, call 3 a refusal on C1; and liu, a collector of another branch."""
    seed(ctx, customers=2)
    with ctx.db.write() as s:
        for n, (cid, status) in enumerate((("C1", "logged"), ("C2", "logged"), ("C1", "refused")), start=1):
            s.add(
                CallAttempt(
                    id=n,
                    customer_id=cid,
                    phone="13812340001",
                    user_id=1,
                    status=status,
                    started_at=NOW,
                    outcome="no_answer",
                )
            )
        other = Branch(name="河西支行")
        s.add(other)
        s.flush()
        s.add(StaffUser(username="liu", display_name="liu", role="collector", branch_id=other.id, password_hash="x",
                        created_at=NOW))  # fmt: skip
    refresh(ctx)
    return ctx


def rows(ctx, sql, *args):
    with ctx.db.raw_read() as conn:  # the database's own connection: the same test runs on PostgreSQL
        return [tuple(r) for r in conn.execute(sql, args).fetchall()]


def events(ctx, action):
    return [
        (actor, ttype, tid, json.loads(details))
        for actor, ttype, tid, details in rows(
            ctx, "SELECT actor, target_type, target_id, details FROM audit_event WHERE action = ? ORDER BY id", action
        )
    ]


# ---- adding numbers and contacts -----------------------------------------------------------------------------


def test_a_collector_adds_the_borrowers_other_number_from_a_call(bank):
    amy = actor_of(bank, "amy")
    cid = contacts.add_number(bank, amy, "C1", "+86 139-1234-5678", call_id=1)
    assert cid == "N-C1-1"
    assert rows(bank, "SELECT customer_id, relation, phone, source, from_call_id, added_by, added_at, name"
                      " FROM contact WHERE contact_id = ?", cid) == [
        ("C1", "self", "13912345678", "call", 1, amy.user_id, "2026-11-28T02:00:00.000000+00:00", "李四")
    ]  # fmt: skip
    [(actor, ttype, tid, details)] = events(bank, "contact.add")
    assert (actor, ttype, tid) == ("amy", "contact", "N-C1-1")
    assert details == {"customer_id": "C1", "relation": "self", "phone": "139****5678", "source": "call",
                       "from_call_id": 1}  # fmt: skip
    assert "13912345678" not in json.dumps(events(bank, "contact.add"))
    with bank.db.read() as s:
        assert verify(s).ok


def test_a_third_party_is_added_with_a_clean_name_and_listed_masked_as_unverified(bank):
    sue = actor_of(bank, "sue")
    first = contacts.add_contact(bank, sue, "C1", " 赵\x1b[31m六 ", "relative", "010-6512-3456")
    second = contacts.add_contact(bank, sue, "C1", "钱七", "guarantor", "13700001111", call_id=1)
    assert (first, second) == ("N-C1-1", "N-C1-2")
    assert rows(bank, "SELECT name, source, from_call_id FROM contact WHERE contact_id = ?", first) == [
        ("赵六", "staff", None)
    ]
    listed = contacts.list_numbers(bank, actor_of(bank, "amy"), "C1")
    assert [(v.contact_id, v.relation, v.phone, v.unverified) for v in listed] == [
        ("debtor", None, "138****0001", False),
        ("K1", "spouse", "139****0001", False),
        ("N-C1-1", "relative", "0106*****56", True),
        ("N-C1-2", "guarantor", "137****1111", True),
    ]
    assert listed[3].from_call_id == 1 and listed[3].added_by == "sue" and listed[3].name == "钱*"
    [_, (_, _, _, details)] = events(bank, "contact.add")
    assert details["name"] == "钱*" and "钱七" not in json.dumps(details)


def test_own_other_numbers_are_listed_before_third_parties(bank):
    amy = actor_of(bank, "amy")
    contacts.add_contact(bank, amy, "C1", "钱七", "other", "13700001111")
    contacts.add_number(bank, amy, "C1", "13700002222")
    assert [v.contact_id for v in contacts.list_numbers(bank, amy, "C1")] == ["debtor", "N-C1-2", "K1", "N-C1-1"]


@pytest.mark.parametrize(
    "phone, fragment",
    [
        ("13812340001", "already the borrower's own number"),
        ("139 0000 0001", r"already recorded for this borrower \(contact K1\)"),
        ("12345", "phone: expected a mobile"),
        ("", "phone: expected a mobile"),
        ("1381234000１", "phone: expected a mobile"),
    ],
)
def test_duplicates_and_bad_numbers_are_refused(bank, phone, fragment):
    with pytest.raises(InvalidInput, match=fragment):
        contacts.add_number(bank, actor_of(bank, "amy"), "C1", phone)
    assert rows(bank, "SELECT count(*) FROM contact") == [(2,)]


def test_a_number_of_another_borrower_may_be_added(bank):
    """A spouse may be a borrower too: only this borrower's own numbers are duplicates."""
    assert contacts.add_contact(bank, actor_of(bank, "amy"), "C1", "李五", "spouse", "13812340002") == "N-C1-1"


@pytest.mark.parametrize(
    "name, relation, fragment",
    [
        ("", "spouse", "name: required"),
        ("  \x07 ", "spouse", "name: required"),
        ("张" * 61, "spouse", "name: at most 60"),
        ("张三", "friend", "relation: expected one of guarantor, spouse"),
        ("张三", "self", "add a number without a name"),
    ],
)
def test_bad_names_and_relations_are_refused(bank, name, relation, fragment):
    with pytest.raises(InvalidInput, match=fragment):
        contacts.add_contact(bank, actor_of(bank, "amy"), "C1", name, relation, "13700001111")


def test_the_call_must_be_a_call_with_this_borrower(bank):
    amy = actor_of(bank, "amy")
    with pytest.raises(InvalidInput, match="call 2 was not about customer C1"):
        contacts.add_number(bank, amy, "C1", "13700001111", call_id=2)
    with pytest.raises(InvalidInput, match="refused by the gate"):
        contacts.add_number(bank, amy, "C1", "13700001111", call_id=3)
    with pytest.raises(NotFound, match="no call 99"):
        contacts.add_number(bank, amy, "C1", "13700001111", call_id=99)
    with pytest.raises(NotFound, match="no customer 'C9'"):
        contacts.add_number(bank, amy, "C9", "13700001111")
    assert rows(bank, "SELECT count(*) FROM contact") == [(2,)]


def test_an_imported_id_in_the_way_is_skipped(bank):
    with bank.db.write() as s:
        from collectui.storage.models import Contact

        s.add(Contact(contact_id="N-C1-1", customer_id="C2", name="x", relation="other", phone="13600000000"))
    assert contacts.add_number(bank, actor_of(bank, "amy"), "C1", "13700001111") == "N-C1-2"


def test_ids_are_per_borrower_even_when_a_customer_id_holds_like_wildcards(bank):
    with bank.db.write() as s:
        for n, cid in enumerate(("CX1", "C_1")):
            s.add(Customer(customer_id=cid, name="赵六", id_number="110101199003077777", phone=f"1360000000{n}",
                           branch_id=1, created_at=NOW))  # fmt: skip
    sue = actor_of(bank, "sue")
    assert contacts.add_number(bank, sue, "CX1", "13700001111") == "N-CX1-1"
    assert contacts.add_number(bank, sue, "CX1", "13700002222") == "N-CX1-2"
    assert contacts.add_number(bank, sue, "C_1", "13700003333") == "N-C_1-1"


def test_collectors_of_another_branch_may_not_add_and_are_audited(bank):
    with pytest.raises(PermissionDenied, match="acts for branch 河西支行 only"):
        contacts.add_number(bank, actor_of(bank, "liu"), "C1", "13700001111")
    assert [(a, t) for a, _, t, _ in events(bank, "access.denied")] == [("liu", "contact.add")]


# ---- agreed call hours -------------------------------------------------------------------------------------


def test_a_supervisor_sets_and_clears_agreed_hours(bank):
    sue = actor_of(bank, "sue")
    assert contacts.set_consent_hours(bank, sue, "C1", "7:30～21:00", "客户来电要求早上联系") == "07:30-21:00"
    assert rows(bank, "SELECT consent_hours FROM customer WHERE customer_id = 'C1'") == [("07:30-21:00",)]
    assert contacts.set_consent_hours(bank, sue, "C1", "20:00-09:00", "夜班工作") == "20:00-09:00"
    assert contacts.set_consent_hours(bank, sue, "C1", None, "客户撤回约定") is None
    assert rows(bank, "SELECT consent_hours FROM customer WHERE customer_id = 'C1'") == [(None,)]
    assert [(d["from"], d["to"]) for _, _, _, d in events(bank, "customer.hours")] == [
        (None, "07:30-21:00"),
        ("07:30-21:00", "20:00-09:00"),
        ("20:00-09:00", None),
    ]
    assert events(bank, "customer.hours")[0][:3] == ("sue", "customer", "C1")
    with bank.db.read() as s:
        assert verify(s).ok


@pytest.mark.parametrize(
    "hours, fragment",
    [
        ("18:00", "hours: expected agreed call hours like 18:00-20:00"),
        ("25:00-26:00", "hours 00-23"),
        ("18:00-18:00", "the same time"),
        ("18:60-19:00", "minutes 00-59"),
        ("evening", "HH:MM-HH:MM"),
    ],
)
def test_bad_hours_are_refused(bank, hours, fragment):
    with pytest.raises(InvalidInput, match=fragment):
        contacts.set_consent_hours(bank, actor_of(bank, "sue"), "C1", hours, "客户要求")
    assert rows(bank, "SELECT consent_hours FROM customer WHERE customer_id = 'C1'") == [(None,)]


def test_hours_need_a_clean_reason_and_a_change(bank):
    sue = actor_of(bank, "sue")
    with pytest.raises(InvalidInput, match="reason: required"):
        contacts.set_consent_hours(bank, sue, "C1", "18:00-20:00", "  ")
    with pytest.raises(InvalidInput, match="leave phone, ID and account numbers out"):
        contacts.set_consent_hours(bank, sue, "C1", "18:00-20:00", "客户用 138 1234 5678 来电")
    with pytest.raises(InvalidInput, match="reason: not allowed"):
        contacts.set_consent_hours(bank, sue, "C1", "18:00-20:00", "不还钱就让你坐牢")
    with pytest.raises(InvalidInput, match="nothing to change: there are no agreed hours"):
        contacts.set_consent_hours(bank, sue, "C1", "", "客户要求")
    assert events(bank, "customer.hours") == []


def test_collectors_may_not_set_hours(bank):
    with pytest.raises(PermissionDenied, match="a collector may not do this"):
        contacts.set_consent_hours(bank, actor_of(bank, "amy"), "C1", "18:00-20:00", "客户要求")
    assert [t for _, _, t, _ in events(bank, "access.denied")] == ["customer.hours"]


# ---- numbers marked invalid ----------------------------------------------------------------------------------


def test_a_supervisor_marks_the_own_number_invalid_and_the_list_follows(bank):
    sue = actor_of(bank, "sue")
    contacts.mark_number(bank, sue, "C1", "debtor", True, "空号")
    assert rows(bank, "SELECT phone_invalid FROM customer WHERE customer_id = 'C1'") == [(1,)]
    contacts.mark_number(bank, sue, "C1", "K1", True, "停机")
    assert rows(bank, "SELECT phone_invalid FROM contact WHERE contact_id = 'K1'") == [(1,)]
    listed = contacts.list_numbers(bank, sue, "C1")
    assert [(v.contact_id, v.phone_invalid) for v in listed] == [("debtor", True), ("K1", True)]
    contacts.mark_number(bank, sue, "C1", None, False, "客户确认号码恢复")
    assert rows(bank, "SELECT phone_invalid FROM customer WHERE customer_id = 'C1'") == [(0,)]
    marks = events(bank, "number.mark")
    assert [(t, i, d["contact"], d["invalid"], d["phone"]) for _, t, i, d in marks] == [
        ("customer", "C1", "debtor", True, "138****0001"),
        ("contact", "K1", "K1", True, "139****0001"),
        ("customer", "C1", "debtor", False, "138****0001"),
    ]


def test_marking_refuses_no_change_and_a_contact_of_another_borrower(bank):
    sue = actor_of(bank, "sue")
    with pytest.raises(InvalidInput, match="already marked valid"):
        contacts.mark_number(bank, sue, "C1", "debtor", False, "核实")
    with pytest.raises(NotFound, match="no contact 'K2' for customer 'C1'"):
        contacts.mark_number(bank, sue, "C1", "K2", True, "空号")
    with pytest.raises(PermissionDenied):
        contacts.mark_number(bank, actor_of(bank, "amy"), "C1", "debtor", True, "空号")


def test_every_change_refreshes_the_work_item_in_its_transaction(bank, monkeypatch):
    """The refresh is called inside the write, with the borrower; a failing refresh rolls the change back."""
    seen = []

    def failing(conn, ctx, ids, actor="system"):
        seen.append((list(ids), actor))
        raise RuntimeError("refresh failed")

    monkeypatch.setattr(contacts, "refresh_in", failing)
    sue = actor_of(bank, "sue")
    for change in (
        lambda: contacts.add_number(bank, sue, "C1", "13700001111"),
        lambda: contacts.set_consent_hours(bank, sue, "C1", "18:00-20:00", "客户要求"),
        lambda: contacts.mark_number(bank, sue, "C1", "debtor", True, "空号"),
    ):
        with pytest.raises(RuntimeError):
            change()
    assert seen == [(["C1"], "sue")] * 3
    assert rows(bank, "SELECT count(*) FROM contact") == [(2,)]
    assert rows(bank, "SELECT consent_hours, phone_invalid FROM customer WHERE customer_id = 'C1'") == [(None, 0)]
    assert events(bank, "contact.add") == events(bank, "customer.hours") == events(bank, "number.mark") == []
