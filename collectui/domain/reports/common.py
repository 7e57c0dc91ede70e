"""What every report shares: the parameters, the result shape, rates, money, weeks and the read connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from collectui.domain.calls.outcomes import RIGHT_PARTY
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.said import Said, said
from collectui.money import fmt_fen
from collectui.storage.raw import RawConnection, dialect_of, install_local_time
from collectui.storage.timefmt import iso_week, utc_text

DEFAULT_DAYS = 30  # --from defaults to --to minus 29 days: a 30-day window, both ends included

# Outcomes that are right-party contacts when the call was to the borrower (docs/domain.md section 5).
RPC_OUTCOMES = RIGHT_PARTY

# Column kinds tell the exporters how to write a value: money is a 2-decimal string in JSON and a number in
# CSV/xlsx; rate is a 0-1 fraction (4 decimals); points is NPS; text is escaped against formula injection.
KINDS = ("text", "int", "money", "rate", "points", "date")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"


@dataclass
class Section:
    name: str  # sheet name, short
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    export_only: bool = False  # listed in CSV/xlsx, not in the terminal table


@dataclass
class Report:
    name: str
    data: dict[str, Any]  # the JSON object
    sections: list[Section] = field(default_factory=list)
    notes: list[Said] = field(default_factory=list)  # a key and values for the faces, the English for JSON
    # A face's localised copy (cli/report_words) sets these; the exporters fall back to the English facts.
    meta: list[tuple[str, Any]] | None = None  # (label, value) lines above the sections in CSV / xlsx
    labels: dict[str, str] = field(default_factory=dict)  # "item", "value", "summary" of the xlsx summary


@dataclass(frozen=True)
class Params:
    date_from: date | None = None
    date_to: date | None = None
    branch: str | None = None
    collector: str | None = None  # username


@dataclass(frozen=True)
class Window:
    date_from: date
    date_to: date
    start_utc: str  # first instant of date_from, local zone, stored text form
    end_utc: str  # first instant after date_to
    branch_id: int | None
    collector_id: int | None
    tz: ZoneInfo


def resolve_window(ctx: Ctx, conn: RawConnection, params: Params, default_days: int = DEFAULT_DAYS) -> Window:
    date_to = params.date_to or ctx.clock.today()
    date_from = params.date_from or date_to - timedelta(days=default_days - 1)
    if date_from > date_to:
        raise InvalidInput(
            said(
                "error.reports.from_after_to",
                f"--from {date_from} is after --to {date_to}",
                start=date_from.isoformat(),
                end=date_to.isoformat(),
            )
        )
    tz = ctx.clock.tz
    branch_id = collector_id = None
    if params.branch:
        row = conn.execute("SELECT id FROM branch WHERE name = ?", (params.branch.strip(),)).fetchone()
        if row is None:
            raise NotFound(said("error.reports.no_branch", f"no branch {params.branch!r}", branch=params.branch))
        branch_id = row[0]
    if params.collector:
        row = conn.execute("SELECT id FROM staff_user WHERE username = ?", (params.collector,)).fetchone()
        if row is None:
            raise NotFound(said("error.staff.no_user", f"no user {params.collector!r}", username=params.collector))
        collector_id = row[0]
    return Window(
        date_from,
        date_to,
        day_start_utc(date_from, tz),
        day_start_utc(date_to + timedelta(days=1), tz),
        branch_id,
        collector_id,
        tz,
    )


def day_start_utc(day: date, tz: ZoneInfo) -> str:
    return utc_text(datetime.combine(day, time(0), tz))


def rate(num: int | float, den: int | float) -> float | None:
    """A fraction with 4 decimals (half up); None when there is nothing to divide by."""
    if not den:
        return None
    return float((Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def nps(promoters: int, detractors: int, answered: int) -> float | None:
    """Net promoter score in points (-100..100), 1 decimal."""
    if not answered:
        return None
    value = Decimal(100 * (promoters - detractors)) / Decimal(answered)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def money(fen: int | None) -> str:
    return fmt_fen(int(fen or 0))


def weeks_between(date_from: date, date_to: date) -> list[tuple[str, date]]:
    """Every ISO week touching the window, oldest first: (label, monday)."""
    monday = date_from - timedelta(days=date_from.weekday())
    out = []
    while monday <= date_to:
        out.append((iso_week(monday), monday))
        monday += timedelta(days=7)
    return out


@contextmanager
def read_conn(ctx: Ctx) -> Iterator[RawConnection]:
    """A plain connection in one read transaction (a consistent view for the whole report).

    Its SQL may call ``local_date(utc_text)``, ``local_week(utc_text)`` and ``date_week(iso_date)`` in the
    clock's zone (``storage.raw.install_local_time``).
    """
    with ctx.db.raw_read() as conn:
        install_local_time(conn, ctx.clock.tz)
        yield conn


def call_scan(conn: RawConnection, w: Window) -> tuple[str, str]:
    """(suffix after ``FROM call_attempt x``, the window condition on ``x.started_at`` with two ``?``).

    Unless one collector is asked for, the table is read in one sequential scan with the window tested on
    each row (``Dialect.full_scan`` / ``unindexed``), instead of walking an index on (phone|customer|user,
    started_at) and fetching every row at random: 0.6 s instead of 8-12 s at 1M attempts on SQLite."""
    d = dialect_of(conn)
    at = d.unindexed("x.started_at")
    return (d.full_scan() if w.collector_id is None else ""), f"{at} >= ? AND {at} < ?"


def branch_filter(w: Window) -> tuple[str, str, list[Any]]:
    """(join, condition, arguments) keeping the rows ``x`` of the window's branch; empty without one."""
    if w.branch_id is None:
        return "", "", []
    return " JOIN customer c ON c.customer_id = x.customer_id", " AND c.branch_id = ?", [w.branch_id]


def usernames(conn: RawConnection) -> dict[int, str]:
    return dict(conn.execute("SELECT id, username FROM staff_user"))


def window_json(w: Window) -> dict[str, Any]:
    return {"from": w.date_from.isoformat(), "to": w.date_to.isoformat()}


def filters_json(params: Params) -> dict[str, Any]:
    return {"branch": params.branch, "collector": params.collector}
