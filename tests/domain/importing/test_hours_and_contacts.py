"""The customers import's optional consent_hours column (accepted, refused with file/line/column, kept) and
the contacts import's rows: the bank's own (source "import"), the borrower's other numbers (relation self)."""

from __future__ import annotations

from datetime import date, time

import pytest

from collectui.domain.importing import import_file
from collectui.domain.importing import values as v
from collectui.domain.importing.values import ValueProblem
from tests.support.importing import ID1, ID2, fingerprint, write

HEADER = "customer_id,name,id_number,phone,branch,consent_hours\n"


def hours(ctx):
    with ctx.db.raw_read() as conn:  # the database's own connection: the same test runs on PostgreSQL
        return dict(conn.execute("SELECT customer_id, consent_hours FROM customer ORDER BY customer_id").fetchall())


def test_hours_are_imported_in_their_stored_form_and_empty_is_none(ctx, tmp_path):
    path = write(
        tmp_path / "customers.csv",
        HEADER + f"C1,张三,{ID1},13812345678,城关支行,8:00-21:30\nC2,李四,{ID2},13812345679,城关支行,\n",
    )
    result = import_file(ctx, "customers", path)
    assert result.exit_code == 0, result.errors
    assert hours(ctx) == {"C1": "08:00-21:30", "C2": None}


def test_chinese_header_alias(ctx, tmp_path):
    path = write(
        tmp_path / "c.csv",
        f"客户号,姓名,身份证号,手机号,网点,约定时段\nC1,张三,{ID1},13812345678,城关支行,20:00～09:00\n",
    )
    assert import_file(ctx, "customers", path).exit_code == 0
    assert hours(ctx) == {"C1": "20:00-09:00"}


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("18:00", "expected agreed call hours like 18:00-20:00"),
        ("25:00-26:00", "hours 00-23"),
        ("18:00-18:00", "the start and the end are the same time"),
        ("晚上", "expected agreed call hours like 18:00-20:00"),
    ],
)
def test_a_bad_cell_names_file_line_column_and_what_was_expected(ctx, tmp_path, cell, expected):
    path = write(
        tmp_path / "c.csv", HEADER + f"C0,王五,{ID2},13812345679,城关支行,\nC1,张三,{ID1},13812345678,城关支行,{cell}\n"
    )
    before = fingerprint(ctx.db)
    result = import_file(ctx, "customers", path)
    assert result.exit_code == 1 and not result.committed
    assert any(
        f"/c.csv:3: column consent_hours: value '{cell}' — expected " in e and expected in e for e in result.errors
    ), result.errors
    assert fingerprint(ctx.db) == before


def test_an_empty_cell_keeps_hours_set_in_collectui_a_value_replaces_them(ctx, tmp_path):
    write(
        tmp_path / "c.csv",
        HEADER + f"C1,张三,{ID1},13812345678,城关支行,18:00-20:00\nC2,李四,{ID2},13812345679,城关支行,\n",
    )
    assert import_file(ctx, "customers", tmp_path / "c.csv").exit_code == 0
    with ctx.db.write() as s:  # a supervisor agreed other hours with C2 in collectui
        from collectui.storage.models import Customer

        row = s.get(Customer, "C2")
        row.consent_hours = "07:00-09:00"
        s.add(row)
    write(
        tmp_path / "c.csv",
        HEADER + f"C1,张三,{ID1},13812345678,城关支行,19:00-21:00\nC2,李四,{ID2},13812345679,城关支行,\n",
    )
    assert import_file(ctx, "customers", tmp_path / "c.csv").exit_code == 0
    assert hours(ctx) == {"C1": "19:00-21:00", "C2": "07:00-09:00"}
    # A file without the column leaves every borrower's hours alone.
    write(tmp_path / "c.csv", "customer_id,name,id_number,phone,branch\n" + f"C1,张三,{ID1},13812345678,城关支行\n")
    assert import_file(ctx, "customers", tmp_path / "c.csv").exit_code == 0
    assert hours(ctx) == {"C1": "19:00-21:00", "C2": "07:00-09:00"}


@pytest.mark.parametrize("cell", [date(2026, 11, 28), time(18, 0), 0.75, 18])
def test_excel_dates_times_and_numbers_are_refused(cell):
    with pytest.raises(ValueProblem, match="agreed call hours"):
        v.parse_consent_hours(cell)


def test_imported_contacts_are_the_banks_and_may_be_the_borrowers_own_other_numbers(ctx, tmp_path):
    write(tmp_path / "customers.csv", HEADER + f"C1,张三,{ID1},13812345678,城关支行,\n")
    write(
        tmp_path / "contacts.csv",
        "contact_id,customer_id,name,relation,phone\nK1,C1,张三,本人,13812340000\nK2,C1,李四,self,13812340001\n"
        "K3,C1,王五,配偶,13812340002\n",
    )
    assert import_file(ctx, "customers", tmp_path / "customers.csv").exit_code == 0
    result = import_file(ctx, "contacts", tmp_path / "contacts.csv")
    assert result.exit_code == 0, result.errors
    with ctx.db.raw_read() as conn:
        rows = [
            tuple(r)
            for r in conn.execute(
                "SELECT contact_id, relation, source, from_call_id, added_by, added_at FROM contact ORDER BY contact_id"
            ).fetchall()
        ]
    assert rows == [
        ("K1", "self", "import", None, None, None),
        ("K2", "self", "import", None, None, None),
        ("K3", "spouse", "import", None, None, None),
    ]
