"""Column types SQLite lacks: aware datetimes stored as sortable UTC text."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


class AwareDateTime(TypeDecorator):
    """Stored as 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00' (always UTC, so text order is time order).

    Naive datetimes are refused: every stored time must say which zone it was in.
    """

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime: every stored time must carry a time zone")
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return datetime.fromisoformat(value)


def utc_text(value: datetime) -> str:
    """The stored form of an aware datetime, for raw SQL comparisons."""
    return AwareDateTime().process_bind_param(value, None)
