"""Money is integer fen in storage and arithmetic, Decimal at the edges. Never float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
# Yuan as text: digits (at most 13 before the point: below 10 trillion yuan), an optional sign and decimals.
_AMOUNT_TEXT = re.compile(r"[+-]?(?:\d{1,13}(?:\.\d{0,8})?|\.\d{1,8})")


def to_fen(value: Decimal | int | str) -> int:
    """Exact conversion; more than 2 decimals is an error, not a rounding."""
    if isinstance(value, bool):
        raise ValueError("not an amount")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, str) and not _AMOUNT_TEXT.fullmatch(value.strip()):
        # Judged by form and length before Decimal sees it: "1E999999999" would take gigabytes, and
        # "1e308" or 400 digits are no amount a borrower owes.
        raise ValueError(f"not an amount: {value[:20]!r}" + ("…" if len(value) > 20 else ""))
    try:
        dec = Decimal(value) if isinstance(value, str) else value
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not dec.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    scaled = dec * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"more than 2 decimals: {value}")
    return int(scaled)


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def fmt_fen(fen: int) -> str:
    """'1234.50': the form JSON and CSV outputs use."""
    return str(fen_to_decimal(fen))


def fmt_fen_grouped(fen: int, symbol: str = "¥") -> str:
    """'¥1,234.50': for people."""
    dec = fen_to_decimal(fen)
    sign = "-" if dec < 0 else ""
    return f"{sign}{symbol}{abs(dec):,.2f}"


def round_fen(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
