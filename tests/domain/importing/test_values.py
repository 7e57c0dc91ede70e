"""Cell parsers of the import: accepted spellings, refused values, and property tests (never a crash)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectui.domain.importing import values as v
from collectui.domain.importing.values import ValueProblem

PARSERS = [
    v.parse_text,
    v.parse_key,
    v.parse_seq,
    v.parse_date,
    v.parse_date_iso,
    v.parse_money_fen,
    v.parse_money_positive,
    v.parse_rate_ppm,
    v.parse_flag,
    v.parse_status,
    v.parse_relation,
    v.parse_id_number,
    v.parse_phone,
    v.cell_text,
]

CELLS = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.,-/年月日元¥￥%+ xX０１２３４５６７８９　eE"),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=False),
)


@pytest.mark.parametrize("parse", PARSERS, ids=lambda f: f.__name__)
@given(cell=CELLS)
def test_any_cell_gives_a_value_or_a_clean_problem(parse, cell):
    try:
        parse(cell)
    except ValueProblem as exc:
        assert exc.expected  # says what was expected


@given(fen=st.integers(min_value=0, max_value=10**14))
def test_money_written_every_way_reads_back_exactly(fen):
    whole, cents = divmod(fen, 100)
    plain = f"{whole}.{cents:02d}"
    grouped = f"{whole:,}.{cents:02d}"
    for text in (plain, grouped, f"¥{grouped}", f"￥{grouped}", f"{plain}元", f" {plain} ", f"RMB{plain}"):
        assert v.parse_money_fen(text) == fen
    assert v.parse_money_fen(Decimal(plain)) == fen


@pytest.mark.parametrize(
    "text,fen",
    [
        ("1234.5", 123450),
        ("1,234.50", 123450),
        ("¥1,234.50", 123450),
        ("￥1,234.50", 123450),
        ("1234.50元", 123450),
        ("１２３４.５０", 123450),
        ("0", 0),
        ("7", 700),
        (1234.5, 123450),
        (12, 1200),
    ],
)
def test_money_formats(text, fen):
    assert v.parse_money_fen(text) == fen


@pytest.mark.parametrize(
    "text", ["-5", "-1,234.50", "1.234", "12,34.00", "abc", "1.2.3", "", "¥", "1e400", "(100.00)", 0.1 + 0.2, True]
)
def test_money_refused(text):
    with pytest.raises(ValueProblem):
        v.parse_money_fen(text)


def test_positive_money_refuses_zero():
    with pytest.raises(ValueProblem, match="greater than 0"):
        v.parse_money_positive("0.00")


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-28",
        "2026/11/28",
        "20261128",
        "2026年11月28日",
        "２０２６-１１-２８",
        "2026-11-28 00:00:00",
        "2026.11.28",
        " 2026-11-28 ",
    ],
)
def test_date_spellings(text):
    assert v.parse_date(text) == date(2026, 11, 28)
    assert v.parse_date_iso(text) == "2026-11-28"


def test_short_date_and_excel_cells():
    assert v.parse_date("2026/8/8") == date(2026, 8, 8)
    assert v.parse_date(date(2026, 8, 8)) == date(2026, 8, 8)
    assert v.parse_date(datetime(2026, 8, 8, 0, 0)) == date(2026, 8, 8)


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-13-01", "20260230", "2026年2月30日", "28/11/2026", "yesterday", "1850-01-01"]
)
def test_impossible_or_unknown_dates(text):
    with pytest.raises(ValueProblem):
        v.parse_date(text)


def test_impossible_date_says_the_day_does_not_exist():
    with pytest.raises(ValueProblem, match="does not exist"):
        v.parse_date("2026-02-30")


def test_excel_number_is_not_a_date():
    with pytest.raises(ValueProblem, match="format the cell as a date"):
        v.parse_date(46354.0)


@pytest.mark.parametrize(
    "text,ppm",
    [
        ("0.0435", 43500),
        ("4.35%", 43500),
        ("4.35 %", 43500),
        (0.0435, 43500),
        ("0", 0),
        ("12%", 120000),
        ("１２％", 120000),
    ],
)
def test_rates(text, ppm):
    assert v.parse_rate_ppm(text) == ppm


@pytest.mark.parametrize("text", ["4.35", "-0.01", "abc", "0.12345678", "%"])
def test_rates_refused(text):
    with pytest.raises(ValueProblem):
        v.parse_rate_ppm(text)


@pytest.mark.parametrize(
    "text,flag",
    [
        ("1", 1),
        ("0", 0),
        ("true", 1),
        ("FALSE", 0),
        ("yes", 1),
        ("No", 0),
        ("是", 1),
        ("否", 0),
        ("Y", 1),
        ("n", 0),
        (True, 1),
        (0.0, 0),
    ],
)
def test_flags(text, flag):
    assert v.parse_flag(text) == flag


def test_flag_refused():
    with pytest.raises(ValueProblem, match="是/否"):
        v.parse_flag("maybe")


@pytest.mark.parametrize(
    "text,code",
    [
        ("active", "active"),
        ("正常", "active"),
        ("closed", "closed"),
        ("结清", "closed"),
        ("written_off", "written_off"),
        ("核销", "written_off"),
        ("ACTIVE", "active"),
    ],
)
def test_status(text, code):
    assert v.parse_status(text) == code


def test_relations():
    assert v.parse_relation("担保人") == "guarantor"
    assert v.parse_relation("配偶") == "spouse"
    assert v.parse_relation("紧急联系人") == "emergency"
    with pytest.raises(ValueProblem):
        v.parse_relation("boss")


def test_id_numbers():
    assert v.parse_id_number("11010119900307002x") == "11010119900307002X"
    assert v.parse_id_number("１１０１０１１９９００３０７００３８") == "110101199003070038"
    for bad in ("110101199003070039", "1101011990030700", "11010119900307003A", ""):
        with pytest.raises(ValueProblem):
            v.parse_id_number(bad)


def test_id_number_in_an_excel_number_cell_says_store_as_text():
    with pytest.raises(ValueProblem, match="format the column as text"):
        v.parse_id_number(110101199003070038.0)


@pytest.mark.parametrize(
    "text,phone",
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("86-138-1234-5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (13812345678.0, "13812345678"),
        ("0571-88881234", "057188881234"),
        ("010 12345678", "01012345678"),
    ],
)
def test_phones(text, phone):
    assert v.parse_phone(text) == phone


@pytest.mark.parametrize("text", ["12812345678", "1381234567", "phone", "88881234", ""])
def test_phones_refused(text):
    with pytest.raises(ValueProblem):
        v.parse_phone(text)


def test_full_width_and_blanks_are_normalised():
    assert v.cell_text("\u3000Ｃ０００１ ") == "C0001"
    assert v.parse_key(" L001\t") == "L001"
    assert v.parse_seq("１２") == 12
    assert v.cell_text(10001.0) == "10001"


def test_keys_refuse_inner_blanks_and_long_values():
    for bad in ("L 001", "x" * 65, ""):
        with pytest.raises(ValueProblem):
            v.parse_key(bad)
