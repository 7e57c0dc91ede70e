"""Column types SQLite lacks: aware datetimes stored as sortable UTC text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from collectui.storage.timefmt import store_datetime, utc_text


class AwareDateTime(TypeDecorator[datetime]):
    """Stored as 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00' (always UTC, so text order is time order).

    Naive datetimes are refused: every stored time must say which zone it was in.
    """

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return store_datetime(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(value)


__all__ = ["AwareDateTime", "utc_text"]
