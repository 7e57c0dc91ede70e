"""Injected time. Compliance depends on the clock, so nothing reads the time ad hoc.

Every service takes a ``Clock``; the CLI builds one from the system clock, tests pass a ``FixedClock``.
``COLLECTUI_NOW`` (ISO 8601) fixes the clock for demo, practice and test databases only: the call window,
the daily limits and the lockout all judge by this clock, so on a production database the override is
refused (``clock_from_env(..., allow_override=False)``) and the audit trail refuses time going back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"
# How far a stated time ("--at") may lie from the clock's now and still count as now: the clocks of branch
# PCs and diallers differ by a few minutes. Calls and reminder SMS use the same slack.
FUTURE_SLACK = timedelta(minutes=5)


class Clock(Protocol):
    tz: ZoneInfo

    def now(self) -> datetime:
        """An aware datetime in ``tz``."""
        ...

    def today(self) -> date: ...


@dataclass
class SystemClock:
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TZ))

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock:
    """A clock that stands still until moved; for tests, demos and training."""

    current: datetime
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TZ))

    def __post_init__(self) -> None:
        if self.current.tzinfo is None:
            self.current = self.current.replace(tzinfo=self.tz)

    def now(self) -> datetime:
        return self.current.astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()

    def advance(self, delta: timedelta) -> None:
        self.current = self.current + delta


def parse_datetime(text: str, tz: ZoneInfo) -> datetime:
    """ISO 8601; a value without an offset is read in ``tz``. A bare date means its midnight."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value


NOW_ENV = "COLLECTUI_NOW"


class ClockOverrideRefused(ValueError):
    """``COLLECTUI_NOW`` is set for a database whose rules may not bend (production)."""


def clock_from_env(tz_name: str = DEFAULT_TZ, allow_override: bool = True) -> Clock:
    """The system clock, or ``COLLECTUI_NOW`` when ``allow_override`` (demo, practice and test databases:
    ``storage.kind.rules_may_bend``); with the override set and not allowed, ``ClockOverrideRefused``."""
    tz = ZoneInfo(tz_name)
    fixed = os.environ.get(NOW_ENV)
    if fixed:
        if not allow_override:
            raise ClockOverrideRefused(
                f"{NOW_ENV} is set: the clock override is refused on a production database "
                "(only demo, practice and test databases may move their clock); unset it"
            )
        return FixedClock(parse_datetime(fixed, tz), tz)
    return SystemClock(tz)


def utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: every stored time must carry a time zone")
    return value.astimezone(UTC)
