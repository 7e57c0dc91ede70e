"""Cell parsers for core-banking exports: text or Excel cells in, stored values out.

Every parser takes what a reader yields (a ``str`` for CSV; ``str``/``float``/``int``/``bool``/``date``/
``datetime`` for Excel cells) and returns the stored form, or raises ``ValueProblem`` whose message says
what was expected. Money never goes through float: text is split into integer yuan and fen; an Excel
number cell (which calamine hands over as a float) is read through its shortest decimal ``repr``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from collectui.domain.consent_hours import EXPECTED as HOURS_EXPECTED
from collectui.domain.consent_hours import parse_consent_hours as _parse_hours
from collectui.domain.privacy.identity import normalise_id_number, normalise_phone
from collectui.domain.textsafe import clean


class ValueProblem(ValueError):
    """A cell that cannot be read; ``expected`` says what would have been accepted."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


# Full-width ASCII (U+FF01-U+FF5E) to ASCII, the ideographic space to a space.
_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)}
_WIDTH[0x3000] = 0x20
_BLANKS = " \t\r\n\u00a0\u3000\ufeff"


def norm_text(value: str) -> str:
    """Half-width digits, letters and punctuation; surrounding blanks trimmed."""
    return value.translate(_WIDTH).strip(_BLANKS)


def cell_text(value: object) -> str:
    """Any cell as trimmed text; integral Excel numbers lose their '.0' (customer 10001.0 -> '10001')."""
    if value.__class__ is str:
        if value.isascii():
            return value.strip()
        return norm_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem("a value, not an Excel error or infinity")
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return norm_text(str(value))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(_BLANKS))


# ---- text and keys -------------------------------------------------------------------------------------


# Longest text an import cell may hold, by field (documented in docs/admin/importing.md).
MAX_KEY = 64  # customer_id, loan_id, contact_id, payment_id, collector
MAX_NAME = 60  # names, branch, product
MAX_ADDRESS = 200
MAX_CHANNEL = 40
MAX_NUMBER_TEXT = 32  # an amount, a rate or a count is refused by length before it is converted


def parse_text(value: object, max_len: int = 200) -> str:
    """Text without control characters, escape sequences or bidi overrides (``textsafe``); tabs and line
    breaks stay (an address may span lines; outputs show them as spaces); at most ``max_len`` characters."""
    text = cell_text(value)
    if len(text) > max_len * 4:  # judged before cleaning, so a huge cell costs nothing
        raise ValueProblem(f"at most {max_len} characters")
    text = clean(text, newlines=True, tabs=True).strip(_BLANKS)
    if not text:
        raise ValueProblem("a value (the cell is empty)")
    if len(text) > max_len:
        raise ValueProblem(f"at most {max_len} characters")
    return text


_KEY = re.compile(rf"[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]{{1,{MAX_KEY}}}")


def parse_key(value: object) -> str:
    """An identifier from the core system: 1-64 visible characters, no blanks or control characters inside
    (refused, not cleaned: an identifier must match the core system's exactly)."""
    text = value.strip() if value.__class__ is str and value.isascii() else cell_text(value)
    if _KEY.fullmatch(text) is None:
        if not text:
            raise ValueProblem("an identifier (the cell is empty)")
        raise ValueProblem(f"an identifier of at most {MAX_KEY} characters without spaces or control characters")
    return text


def parse_seq(value: object) -> int:
    text = value if value.__class__ is str and value.isascii() and value.isdigit() else cell_text(value)
    if text.isdigit() and text.isascii() and len(text) <= 6 and 1 <= (n := int(text)) <= 100_000:
        return n
    raise ValueProblem("an instalment number 1, 2, 3 ...")


# ---- dates ---------------------------------------------------------------------------------------------

_DATE_SEP = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_ZH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
DATE_EXPECTED = "a date like 2026-11-28, 2026/11/28, 20261128 or 2026年11月28日"


def parse_date(value: object) -> date:
    if value.__class__ is str and len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
        try:  # fast path: already ISO
            iso_day = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if 1900 <= iso_day.year <= 2200:
                return iso_day
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueProblem(DATE_EXPECTED + " (an Excel number is not a date: format the cell as a date)")
    text = cell_text(value)
    match = _DATE_SEP.match(text) or _DATE_ZH.match(text)
    if match:
        groups = match.groups()
        y, m, d = (groups[0], groups[2], groups[3]) if len(groups) == 4 else groups
    else:
        match = _DATE_COMPACT.match(text)
        if not match:
            raise ValueProblem(DATE_EXPECTED)
        y, m, d = match.groups()
    year, month, day = int(y), int(m), int(d)
    if not 1900 <= year <= 2200:
        raise ValueProblem(DATE_EXPECTED + " between 1900 and 2200")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem("a real calendar date (this day does not exist)") from None


def parse_date_iso(value: object) -> str:
    if value.__class__ is str and len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
        try:  # fast path: already 'YYYY-MM-DD'
            if 1900 <= date.fromisoformat(value).year <= 2200 and value[5:7].isdigit() and value[8:].isdigit():
                return value
        except ValueError:
            pass
    return parse_date(value).isoformat()


# ---- money and rates -----------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"\d{1,15}(?:\.\d{1,15})?[eE][+-]?\d{1,2}")
_MONEY = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d{1,13})(?:\.(\d*))?$")
MONEY_EXPECTED = "an amount in yuan like 1234.50, 1,234.50 or ¥1,234.50 (at most 2 decimals, not negative)"


def _decimal_text(value: object) -> str:
    if isinstance(value, bool):
        raise ValueProblem("a number, not TRUE/FALSE")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return cell_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        raise ValueProblem("a number, not a date")
    return cell_text(value)


def parse_money_fen(value: object, positive: bool = False) -> int:
    """Yuan as written in an export -> integer fen, exactly."""
    if value.__class__ is str and value.isascii():  # fast path: 1234 or 1234.5 or 1234.50
        whole, dot, frac = value.partition(".")
        if whole.isdigit() and len(whole) <= 13 and (not dot or (frac.isdigit() and len(frac) <= 2)):
            fen = int(whole) * 100 + ((int(frac) * 10 if len(frac) == 1 else int(frac)) if dot else 0)
            if positive and fen == 0:
                raise ValueProblem("an amount greater than 0")
            return fen
    text = _decimal_text(value)
    text = text.replace(" ", "")
    for prefix in ("RMB", "CNY", "¥", "￥"):
        if text.upper().startswith(prefix):
            text = text[len(prefix) :]
    if text.endswith("元"):
        text = text[:-1]
    if text.startswith(("-", "(", "−")):
        raise ValueProblem(MONEY_EXPECTED.replace("(at most", "(negative amounts are refused; at most"))
    if len(text) > MAX_NUMBER_TEXT:
        raise ValueProblem(MONEY_EXPECTED)
    if "e" in text.lower():
        # Only a short mantissa and a two-digit exponent ("1.2345E+5" from an Excel number cell): Decimal
        # would expand "1E999999999" into a billion digits.
        if not _SCIENTIFIC.fullmatch(text):
            raise ValueProblem(MONEY_EXPECTED)
        try:
            text = format(Decimal(text), "f")
        except InvalidOperation:
            raise ValueProblem(MONEY_EXPECTED) from None
    match = _MONEY.match(text)
    if not match:
        raise ValueProblem(MONEY_EXPECTED)
    whole, frac = match.group(1).replace(",", ""), match.group(2) or ""
    if len(frac) > 2:
        raise ValueProblem("at most 2 decimals (fen)")
    if len(whole) > 13:
        raise ValueProblem(MONEY_EXPECTED)
    fen = int(whole) * 100 + int(frac.ljust(2, "0"))
    if positive and fen == 0:
        raise ValueProblem("an amount greater than 0")
    return fen


def parse_money_positive(value: object) -> int:
    return parse_money_fen(value, positive=True)


RATE_EXPECTED = "an annual rate like 0.0435 or 4.35%"


def parse_rate_ppm(value: object) -> int:
    """0.0435 or 4.35% -> 43500 (millionths)."""
    text = _decimal_text(value).replace(" ", "")
    if len(text) > MAX_NUMBER_TEXT:
        raise ValueProblem(RATE_EXPECTED)
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if not re.fullmatch(r"\d{1,6}(\.\d{1,12})?|\.\d{1,12}", text):
        raise ValueProblem(RATE_EXPECTED)
    rate = Decimal(text) / (100 if percent else 1)
    if rate > 1:
        raise ValueProblem(RATE_EXPECTED + " (over 100%: a percentage needs its % sign)")
    ppm = rate * 1_000_000
    if ppm != ppm.to_integral_value():
        raise ValueProblem(RATE_EXPECTED + " (at most 4 decimals in per cent)")
    return int(ppm)


# ---- flags and codes -----------------------------------------------------------------------------------

_FLAGS = {"1": 1, "true": 1, "yes": 1, "y": 1, "是": 1, "t": 1, "0": 0, "false": 0, "no": 0, "n": 0, "否": 0, "f": 0}


def parse_flag(value: object) -> int:
    if isinstance(value, bool):
        return int(value)
    text = cell_text(value).lower()
    if text not in _FLAGS:
        raise ValueProblem("1/0, true/false, yes/no, 是/否 or Y/N")
    return _FLAGS[text]


def code_parser(codes: dict[str, str], what: str) -> Callable[[object], str]:
    """A parser for a closed list: ``codes`` maps each accepted spelling (lower case) to the stored code."""
    accepted = " | ".join(dict.fromkeys(f"{k}" for k in codes))

    def parse(value: object) -> str:
        text = cell_text(value).lower()
        if text not in codes:
            raise ValueProblem(f"{what}: {accepted}")
        return codes[text]

    parse.__name__ = f"parse_{what.replace(' ', '_')}"
    return parse


parse_status = code_parser(
    {
        "active": "active",
        "正常": "active",
        "closed": "closed",
        "结清": "closed",
        "已结清": "closed",
        "written_off": "written_off",
        "核销": "written_off",
        "已核销": "written_off",
    },
    "a loan status",
)
parse_relation = code_parser(
    {
        "guarantor": "guarantor",
        "担保人": "guarantor",
        "spouse": "spouse",
        "配偶": "spouse",
        "relative": "relative",
        "亲属": "relative",
        "emergency": "emergency",
        "紧急联系人": "emergency",
        "other": "other",
        "其他": "other",
        # Another number of the borrower herself: the gate treats it as hers, not a third party's.
        "self": "self",
        "本人": "self",
    },
    "a relation",
)


# ---- identity ------------------------------------------------------------------------------------------

ID_EXPECTED = "an 18-character resident ID number with a valid check character (GB 11643)"


def parse_id_number(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueProblem(
            ID_EXPECTED + "; this cell is an Excel number, which cannot hold 18 digits: "
            "format the column as text and enter the numbers again"
        )
    try:
        return normalise_id_number(cell_text(value))
    except ValueError as exc:
        raise ValueProblem(f"{ID_EXPECTED} ({exc})") from None


def parse_consent_hours(value: object) -> str:
    """The borrower's agreed call hours, "HH:MM-HH:MM" (``domain.consent_hours``)."""
    if isinstance(value, (date, datetime, int, float)) and not isinstance(value, bool):
        raise ValueProblem(HOURS_EXPECTED + " (this cell is an Excel date or number: format it as text)")
    try:
        return _parse_hours(cell_text(value))
    except ValueError as exc:
        raise ValueProblem(str(exc)) from None


PHONE_EXPECTED = "a mobile (11 digits from 13-19, +86 allowed) or a landline with its area code"


def parse_phone(value: object) -> str:
    text = cell_text(value)
    try:
        return normalise_phone(text)
    except ValueError:
        raise ValueProblem(PHONE_EXPECTED) from None
