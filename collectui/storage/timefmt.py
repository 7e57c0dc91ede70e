"""The stored text of an aware datetime: UTC, microseconds, sortable. No SQLAlchemy here, so that the raw
sqlite3 paths (import, refresh, audit appends) start without loading the ORM."""

from __future__ import annotations

from datetime import UTC, date, datetime


def store_datetime(value: datetime) -> str:
    """'YYYY-MM-DDTHH:MM:SS.ffffff+00:00'; naive datetimes are refused."""
    if not isinstance(value, datetime):
        raise TypeError(f"expected datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        raise ValueError("naive datetime: every stored time must carry a time zone")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def utc_text(value: datetime) -> str:
    """The stored form of an aware datetime, for raw SQL comparisons."""
    return store_datetime(value)


def iso_week(day: date) -> str:
    """The ISO week of ``day`` as 'YYYY-Www' (what the reports group by)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
