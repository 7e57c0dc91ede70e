"""Text for the work list: row cells, the bucket header line, the scope line. Values arrive masked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from collectui.domain.textsafe import show
from collectui.domain.worklist.queries import BucketCount, WorkFilter
from collectui.domain.worklist.rows import WorkRow
from collectui.money import fen_to_decimal, fmt_fen_grouped
from collectui.tui.wording import rule_name

if TYPE_CHECKING:
    from collectui.tui.app import CollectApp


def compact_amount(fen: int, lang: str) -> str:
    """¥12.3万 / ¥1.23亿 in Chinese, ¥123.4k / ¥12.3M in English; exact below ten thousand yuan."""
    yuan = fen_to_decimal(fen)
    if lang == "zh":
        if yuan >= 100_000_000:
            return f"¥{yuan / 100_000_000:.2f}亿"
        if yuan >= 10_000:
            return f"¥{yuan / 10_000:.1f}万"
    else:
        if yuan >= 1_000_000:
            return f"¥{yuan / 1_000_000:.2f}M"
        if yuan >= 10_000:
            return f"¥{yuan / 1_000:.1f}k"
    return fmt_fen_grouped(fen)


def _short_date(value: date | str | None, today: date | None, *, near_days: int = 0) -> str:
    """``MM-DD`` in today's year (or, with ``near_days``, within that many days of today, where the year is
    plain from the context), else ``YY-MM-DD``: a full ISO date would push the promise's state out of its
    column."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if today is not None and (value.year == today.year or abs((value - today).days) <= near_days):
        return value.strftime("%m-%d")
    return value.strftime("%y-%m-%d")


# A promise's date this close to today is shown without its year in the narrow form of the cell.
NEAR_DAYS = 120


def _narrow_day(value: str, today: date | None) -> str:
    """A promise's day in the narrow column (80 columns: day and state in 12 cells, the state never cut):
    ``MM-DD`` near today, else only its year (an old promise: "2025 未兑现")."""
    text = _short_date(value, today, near_days=NEAR_DAYS)
    return text if len(text) <= 5 else str(date.fromisoformat(value[:10]).year)


def row_cells(app: CollectApp) -> Callable[[WorkRow, int], dict[str, str]]:
    t, tz = app.t, app.ctx.clock.tz
    never = t("wl.never")

    def cells(row: WorkRow, index: int) -> dict[str, str]:
        today = row.as_of
        promise = promise_short = ""
        if row.promise:
            p = row.promise
            state = t("wl.promise." + p["status"])
            promise = f"{fmt_fen_grouped(p['amount_fen'])} {_short_date(p['date'], today)} {state}"
            promise_short = f"{_narrow_day(p['date'], today)} {short_state(t, p['status'])}"
        last = row.last_contact_at.astimezone(tz).date() if row.last_contact_at else None
        flags = []
        if row.broken_promises:
            flags.append(t("wl.flag.broken", n=row.broken_promises))
        return {
            "rank": str(row.rank),
            "name": show(row.name),  # stored text: no control character reaches the terminal
            "phone": show(row.phone),
            "bucket": row.bucket,
            "dpd": str(row.dpd),
            "overdue": fmt_fen_grouped(row.overdue_fen),
            "promise": promise,
            "promise.s": promise_short,  # the table's narrow form of the column (table.py)
            "last": _short_date(last, today) if last else never,
            "call": call_cell(t, row, app.ctx.clock.now().astimezone(tz)),
            "flags": " ".join(flags),
        }

    return cells


def short_state(t: Callable[..., str], status: str) -> str:
    """A promise's state in at most six cells: ``wl.promise.<status>.s`` where the word is longer."""
    key = f"wl.promise.{status}.s"
    text = t(key)
    return t(f"wl.promise.{status}") if text == key else text


def _when(at: datetime, now: datetime) -> str:
    """A moment near now, as short as it can be said: a time today, else a day (and its time)."""
    if at.date() == now.date():
        return at.strftime("%H:%M")
    if at.time() == time(0):  # lifts when a day begins (a promise's date passed): the day says it
        return _short_date(at.date(), now.date())
    return f"{_short_date(at.date(), now.date())} {at:%H:%M}"


def call_cell(t: Callable[..., str], row: WorkRow, now: datetime) -> str:
    """The "call?" column: the rule that blocks the borrower and when it lifts by time alone, where known;
    for a callable borrower, a callback due today (or missed) and its time; else a plain yes."""
    if not row.callable:
        name = rule_name(t, row.blocked_reason)
        if row.blocked_until is not None and row.blocked_until > now:
            return t("wl.call.until", rule=name, when=_when(row.blocked_until.astimezone(now.tzinfo), now))
        return name
    callback = row.callback_at.astimezone(now.tzinfo) if row.callback_at is not None else None
    if callback is not None and callback.date() <= now.date():  # due today, or missed and still owed
        return t("wl.call.callback", when=_when(callback, now))
    return t("wl.call.yes")


def row_blocked(row: WorkRow) -> bool:
    return not row.callable


def bucket_line(app: CollectApp, summary: list[BucketCount]) -> Text:
    lang = app.lang
    out = Text()
    total_n = sum(b.count for b in summary)
    total_fen = sum(b.overdue_fen or 0 for b in summary)
    out.append(f"{app.t('wl.total')} ", style="bold")
    out.append(f"{total_n:,} {compact_amount(total_fen, lang)}", style="bold")
    for b in summary:
        if b.bucket == "M0" and not b.count:
            continue
        out.append("  │ ", style="dim")
        out.append(f"{b.bucket} ", style="bold cyan")
        out.append(f"{b.count:,} ")
        out.append(compact_amount(b.overdue_fen or 0, lang), style="yellow")
    return out


class ScopeLine:
    """The scope line, and after it how many borrowers the list holds back: on the same line where both fit,
    else the held-back note whole on a line of its own (never cut, never broken in the middle)."""

    def __init__(self, line: Text, held: Text | None) -> None:
        self.line, self.held = line, held

    def __str__(self) -> str:
        return self.line.plain + (f" · {self.held.plain}" if self.held is not None else "")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.held is None:
            yield self.line
            return
        sep = Text(" · ", style="dim")
        if cell_len(self.line.plain + sep.plain + self.held.plain) <= options.max_width:
            yield Text.assemble(self.line, sep, self.held)
            return
        yield self.line
        yield self.held


def held_text(app: CollectApp, held: int) -> Text | None:
    """How many overdue borrowers the list leaves out (not callable now: do-not-call, holds, promises pending,
    limits reached...) and the key that shows them; None when it leaves nobody out."""
    if held <= 0:
        return None
    return Text(app.t("wl.held", n=f"{held:,}"), style="yellow")


def scope_line(
    app: CollectApp,
    flt: WorkFilter,
    total: int,
    as_of: date | None,
    callbacks: int | None = None,
    held: int = 0,
) -> ScopeLine:
    """What the list shows (branch, filters, how many, as of which day), after the count of callbacks due
    today in the same scope: those borrowers asked to be called at a time, so the count stands out. Then
    how many it holds back (``held``, the borrowers not callable now), so the list and the dashboard's
    count of overdue borrowers never disagree without a word."""
    t = app.t
    parts = [t("wl.scope.branch", branch=flt.branch) if flt.branch else t("wl.scope.all")]
    if flt.bucket:
        parts.append(t("wl.scope.bucket", bucket=flt.bucket))
    if flt.collector_id is not None:
        parts.append(t("wl.scope.mine"))
    if flt.include_blocked:
        parts.append(t("wl.scope.blocked"))
    if flt.callbacks_due:
        parts.append(t("wl.scope.callbacks"))
    parts.append(t("wl.rows", n=f"{total:,}"))
    if as_of:
        parts.append(t("wl.as_of", date=as_of.isoformat()))
    line = Text()
    if callbacks is not None:
        line.append(t("wl.callbacks_due", n=f"{callbacks:,}"), style="bold yellow" if callbacks else "dim")
        line.append(" · ", style="dim")
    line.append(" · ".join(parts), style="dim")
    return ScopeLine(line, None if flt.include_blocked else held_text(app, held))
