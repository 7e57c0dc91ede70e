"""Parsing option values the same way in every command: times, days, comma-separated lists."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from collectui.clock import parse_datetime
from collectui.domain.errors import UsageError


def parse_at(text: str | None, tz: ZoneInfo, option: str = "--at") -> datetime | None:
    """An ISO 8601 time; without an offset it is in ``tz`` (the policy's zone). None stays None."""
    if text is None:
        return None
    try:
        return parse_datetime(text, tz)
    except ValueError:
        raise UsageError(
            f"{option} {text!r}: expected an ISO 8601 date and time, e.g. 2026-11-28T21:59:00+08:00"
        ) from None


def parse_day(text: str | None, option: str) -> date | None:
    """A calendar day YYYY-MM-DD. None stays None."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} {text!r}: expected a date YYYY-MM-DD") from None


def split_items(values: list[str] | None) -> list[str]:
    """Repeatable options that also take comma-separated lists: ``--check a,b --check c`` -> [a, b, c]."""
    items: list[str] = []
    for value in values or []:
        items += [v.strip() for v in value.split(",") if v.strip()]
    return items
