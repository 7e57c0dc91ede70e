"""Parsing option values the same way in every command: times, days, comma-separated lists."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from collectui.clock import parse_datetime
from collectui.domain.errors import UsageError
from collectui.domain.said import said
from collectui.domain.textsafe import clean_line
from collectui.storage.outfiles import OutputRefused, refuse_unsafe_output

# Days and times outside these years are typing mistakes, and near the ends of Python's calendar they make
# date arithmetic overflow (``--at 9999-12-31`` plus a time zone): refused as usage errors instead.
FIRST_YEAR, LAST_YEAR = 1900, 2200
# Counts (--limit) beyond this are mistakes, and SQLite integers stop at 2**63 - 1.
MAX_COUNT = 10_000_000
# Row ids (--call, a complaint id) beyond this cannot be stored: SQLite integers stop at 2**63 - 1.
MAX_ID = 2**63 - 1


def _in_range(year: int, option: str, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        shown = _shown(text)
        english = f"{option} {shown}: expected a year between {FIRST_YEAR} and {LAST_YEAR}"
        raise UsageError(said("cli.err.year", english, option=option, value=shown, first=FIRST_YEAR, last=LAST_YEAR))


def _shown(text: str) -> str:
    """An option value as it may be echoed: one safe line, shortened."""
    line = clean_line(text)
    return repr(line if len(line) <= 40 else line[:39] + "…")


def parse_at(text: str | None, tz: ZoneInfo, option: str = "--at") -> datetime | None:
    """An ISO 8601 time; without an offset it is in ``tz`` (the policy's zone). None stays None."""
    if text is None:
        return None
    try:
        value = parse_datetime(text, tz)
        value.astimezone(UTC)  # an offset may push the first or last day out of range
    except (ValueError, OverflowError):
        shown = _shown(text)
        english = f"{option} {shown}: expected an ISO 8601 date and time, e.g. 2026-11-28T21:59:00+08:00"
        raise UsageError(said("cli.err.datetime", english, option=option, value=shown)) from None
    _in_range(value.year, option, text)
    return value


def parse_day(text: str | None, option: str) -> date | None:
    """A calendar day YYYY-MM-DD. None stays None."""
    if text is None:
        return None
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        shown = _shown(text)
        raise UsageError(
            said("cli.err.date", f"{option} {shown}: expected a date YYYY-MM-DD", option=option, value=shown)
        ) from None
    _in_range(value.year, option, text)
    return value


def parse_count(text: str, option: str, *, zero: str | None = None, maximum: int = MAX_COUNT) -> int:
    """A whole number 1..``maximum`` (0 too when ``zero`` says what it means, e.g. "all") from option text."""
    value = text.strip()
    low = 0 if zero else 1
    if not (value.isascii() and value.isdigit() and len(value) <= 12) or not low <= int(value) <= maximum:
        shown, top = _shown(text), f"{maximum:,}"
        if zero:  # "0 (all)": what 0 means is the command's English word; in Chinese 0 means 全部
            english = f"{option}: expected 0 ({zero}) or a whole number from 1 to {top}, got {shown}"
            raise UsageError(said("cli.err.count_zero", english, option=option, zero=zero, top=top, value=shown))
        english = f"{option}: expected a whole number from 1 to {top}, got {shown}"
        raise UsageError(said("cli.err.count", english, option=option, top=top, value=shown))
    return int(value)


def split_items(values: list[str] | None) -> list[str]:
    """Repeatable options that also take comma-separated lists: ``--check a,b --check c`` -> [a, b, c]."""
    items: list[str] = []
    for value in values or []:
        items += [v.strip() for v in value.split(",") if v.strip()]
    return items


def output_file(path: Path | None, db_path: Path, force: bool, option: str = "--output") -> Path | None:
    """``path`` when collectui may write it; else a usage error (exit 2) saying why, before anything runs.

    Never the database, its -wal/-shm/-journal, another SQLite file or a directory; an existing file only
    with --force. The writer checks again (``storage.outfiles.private_output``) when it writes.
    """
    if path is None:
        return None
    try:
        refuse_unsafe_output(path, protected=[db_path], force=force, what=option)
    except OutputRefused as exc:
        raise UsageError(str(exc)) from None
    return path


_AMOUNT_FORM = re.compile(r"[+-]?(?:\d{1,13}(?:\.\d{0,8})?|\.\d{1,8})")


def amount_option(text: str | None, option: str) -> str | None:
    """An amount in yuan as typed ("1200", "1,200.50", "¥1200", full-width digits), checked by form and length
    before anything converts it: "1e308" or 400 digits are usage errors (exit 2). Returned as typed; whether
    the amount makes sense (above zero, two decimals at most) is the service's to say."""
    if text is None or not text.strip():
        return text
    form = unicodedata.normalize("NFKC", text).strip().replace(",", "").lstrip("¥")
    if len(form) > 32 or not _AMOUNT_FORM.fullmatch(form):
        shown = _shown(text)
        english = f"{option}: expected an amount in yuan like 1200 or 1,200.50, got {shown}"
        raise UsageError(said("cli.err.amount", english, option=option, value=shown))
    return text
