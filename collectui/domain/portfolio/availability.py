"""Whether the work list may call a borrower "callable": the gate's customer-level rules, for many at once.

The call gate (``domain.calls.gate``) judges one dial; the work list judges every overdue borrower at each
refresh. Each gate rule about the borrower herself (level ``customer``) has a mirror here that answers the
same question in bulk SQL, as of the same moment, so the list never calls callable someone the gate would
refuse on every number. A test enumerates the gate's rules and fails when a customer-level rule has no
mirror, and checks each mirror against the gate on the same borrowers.

Besides those, two number-level rules are mirrored where they bind the whole borrower: ``invalid_number``
(no valid number left at all) and ``daily_attempts`` (every valid number used up for today).

A mirror returns ``Block(rule, until)`` per blocked borrower; ``until`` is when the block lifts by time alone
(a reminder's lead time, the day after a promise's date, tomorrow's call window), or None when only an
event can lift it (a dispute resolved, an SMS sent). The list shows "callable again after ..." from it, and
``refresh.recheck_due`` re-judges a row once its time has come.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from collectui.domain.attempts import UNANSWERED_ATTEMPT, day_bounds, expiry_cutoff
from collectui.domain.context import Ctx
from collectui.domain.policy import PolicyTable
from collectui.domain.portfolio import plan_hold
from collectui.domain.privacy.identity import is_mobile
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text


@dataclass(frozen=True)
class Block:
    rule: str
    until: datetime | None  # when it lifts by time alone; None: an event must lift it


# (raw, ctx, scope_sql, at, cfg) -> {customer_id: Block}; scope_sql selects the customer_ids judged.
Mirror = Callable[[RawConnection, Ctx, str, datetime, PolicyTable], dict[str, Block]]

MIRRORS: dict[str, Mirror] = {}


def mirror(rule_id: str, fn: Mirror) -> None:
    MIRRORS[rule_id] = fn


def _window_start(ctx: Ctx) -> time:
    """The local time the call window opens (the policy's ``rules.call_window.start``)."""
    start = ctx.policy.table("rules").get("call_window", {}).get("start", "08:00")
    hours, minutes = (int(x) for x in str(start).split(":"))
    return time(hours, minutes)


def judgement_time(ctx: Ctx, as_of: date) -> datetime:
    """The moment a list as of ``as_of`` is judged at: now for today, else that day's call window start."""
    now = ctx.clock.now().astimezone(ctx.policy.tz)
    if as_of == now.date():
        return now
    return datetime.combine(as_of, _window_start(ctx), tzinfo=ctx.policy.tz)


def next_window_start(ctx: Ctx, at: datetime) -> datetime:
    """The start of the next day's call window: when a daily limit reached today lifts."""
    return datetime.combine(at.date() + timedelta(days=1), _window_start(ctx), tzinfo=at.tzinfo)


def enabled(ctx: Ctx, rule_id: str) -> PolicyTable | None:
    cfg: PolicyTable = ctx.policy.table("rules").get(rule_id, {"enabled": True})
    return cfg if cfg.get("enabled", True) else None


def judge(raw: RawConnection, ctx: Ctx, scope_sql: str, at: datetime) -> dict[str, list[Block]]:
    """Every enabled mirror's blocks per borrower of ``scope_sql``, in ``MIRRORS`` order."""
    out: dict[str, list[Block]] = {}
    for rule_id, fn in MIRRORS.items():
        cfg = enabled(ctx, rule_id)
        if cfg is None:
            continue
        for cid, block in fn(raw, ctx, scope_sql, at, cfg).items():
            out.setdefault(cid, []).append(block)
    return out


def verdict(blocks: list[Block] | None) -> tuple[Block | None, datetime | None, datetime | None]:
    """(the block the list shows, when the borrower becomes callable, when to judge again).

    Shown: the first in ``MIRRORS`` order (holds before daily limits before the reminder). Callable again at
    the latest ``until`` when every block lifts by time alone, else unknown (None). Judged again at the
    earliest ``until``: what is left may then be different.
    """
    if not blocks:
        return None, None, None
    untils = [b.until for b in blocks if b.until is not None]
    lifts = max(untils) if len(untils) == len(blocks) else None
    return blocks[0], lifts, min(untils, default=None)


# --- the mirrors ----------------------------------------------------------------------


def _ids(raw: RawConnection, sql: str, params: tuple[object, ...] = ()) -> list[str]:
    return [str(r[0]) for r in raw.execute(sql, params)]


def _invalid_number(raw: RawConnection, ctx: Ctx, scope: str, at: datetime, cfg: PolicyTable) -> dict[str, Block]:
    """No valid number at all: her own is invalid and so is every contact's (or she has none)."""
    ids = _ids(
        raw,
        f"SELECT customer_id FROM customer WHERE customer_id IN ({scope}) AND phone_invalid = 1 "
        "AND NOT EXISTS (SELECT 1 FROM contact k WHERE k.customer_id = customer.customer_id "
        "AND k.phone_invalid = 0 AND k.refused_calls = 0)",
    )
    return {cid: Block("invalid_number", None) for cid in ids}


def _daily_attempts(raw: RawConnection, ctx: Ctx, scope: str, at: datetime, cfg: PolicyTable) -> dict[str, Block]:
    """Every valid number she has (her own, her other ones, contacts who did not refuse) used up today."""
    lo, hi = day_bounds(at)
    most = int(cfg["max"])
    rows = raw.execute(
        "WITH nums AS ("
        f" SELECT customer_id, phone FROM customer WHERE customer_id IN ({scope}) AND phone_invalid = 0"
        f" UNION SELECT customer_id, phone FROM contact WHERE customer_id IN ({scope}) AND phone_invalid = 0"
        " AND refused_calls = 0),"
        # Per number, whoever's borrower it was dialled for: the gate counts by the number dialled.
        " used AS (SELECT phone, count(*) AS n FROM call_attempt"
        " WHERE phone IN (SELECT phone FROM nums) AND started_at >= ? AND started_at < ? AND started_at <= ?"
        f" AND {UNANSWERED_ATTEMPT} GROUP BY phone)"
        " SELECT nums.customer_id FROM nums LEFT JOIN used ON used.phone = nums.phone"
        " GROUP BY nums.customer_id HAVING min(coalesce(used.n, 0)) >= ?",
        (lo, hi, utc_text(at), expiry_cutoff(ctx.policy, at), most),
    )
    until = next_window_start(ctx, at)
    return {str(r[0]): Block("daily_attempts", until) for r in rows}


def _daily_conversations(raw: RawConnection, ctx: Ctx, scope: str, at: datetime, cfg: PolicyTable) -> dict[str, Block]:
    lo, hi = day_bounds(at)
    ids = _ids(
        raw,
        f"SELECT customer_id FROM call_attempt WHERE customer_id IN ({scope}) AND started_at >= ? "
        "AND started_at < ? AND started_at <= ? AND status = 'logged' AND right_party = 1 "
        "GROUP BY customer_id HAVING count(*) >= ?",
        (lo, hi, utc_text(at), int(cfg["max"])),
    )
    until = next_window_start(ctx, at)
    return {cid: Block("daily_conversations", until) for cid in ids}


def _do_not_call(raw: RawConnection, ctx: Ctx, scope: str, at: datetime, cfg: PolicyTable) -> dict[str, Block]:
    ids = _ids(raw, f"SELECT customer_id FROM customer WHERE customer_id IN ({scope}) AND do_not_call = 1")
    return {cid: Block("do_not_call", None) for cid in ids}


def _dispute_hold(raw: RawConnection, ctx: Ctx, scope: str, at: datetime, cfg: PolicyTable) -> dict[str, Block]:
    t = utc_text(at)
    ids = _ids(
        raw,
        f"SELECT DISTINCT customer_id FROM dispute WHERE customer_id IN ({scope}) AND opened_at <= ? "
        "AND (status = 'open' OR resolved_at > ?)",
        (t, t),
    )
    return {cid: Block("dispute_hold", None) for cid in ids}


def _complaint_hold(raw: RawConnection, ctx: Ctx, scope: str, at: datetime, cfg: PolicyTable) -> dict[str, Block]:
    t = utc_text(at)
    ids = _ids(
        raw,
        f"SELECT DISTINCT customer_id FROM complaint WHERE customer_id IN ({scope}) AND opened_at <= ? "
        "AND (hold_active = 1 OR hold_cleared_at > ?)",
        (t, t),
    )
    return {cid: Block("complaint_hold", None) for cid in ids}


def _promise_pending(raw: RawConnection, ctx: Ctx, scope: str, at: datetime, cfg: PolicyTable) -> dict[str, Block]:
    """An open promise whose date has not passed: callable again the day after the last such date."""
    rows = raw.execute(
        f"SELECT customer_id, max(due_date) FROM promise WHERE customer_id IN ({scope}) AND status = 'open' "
        "AND due_date >= ? AND made_at <= ? GROUP BY customer_id",
        (at.date().isoformat(), utc_text(at)),
    )
    out = {}
    for cid, due in rows:
        lifts = datetime.combine(date.fromisoformat(str(due)) + timedelta(days=1), time(0), tzinfo=at.tzinfo)
        out[str(cid)] = Block("promise_pending", lifts)
    return out


def _plan_active(raw: RawConnection, ctx: Ctx, scope: str, at: datetime, cfg: PolicyTable) -> dict[str, Block]:
    """An active payment plan being kept: callable again the day after its last instalment (``plan_hold``)."""
    held = plan_hold.plan_active_bulk(raw, ctx, scope, at, cfg)
    return {cid: Block("plan_active", until) for cid, (_detail, until) in held.items()}


def _sms_notice(raw: RawConnection, ctx: Ctx, scope: str, at: datetime, cfg: PolicyTable) -> dict[str, Block]:
    """``sms.notice`` in bulk: the first call of a cycle needs a reminder sent in [at - max_age, at - lead]."""
    gap_days = int(ctx.policy["sms.cycle_gap_days"])
    lead = timedelta(hours=float(cfg["min_lead_hours"]))
    earliest, latest = at - timedelta(days=int(cfg["max_age_days"])), at - lead
    candidates = [
        str(cid)
        for cid, phone in raw.execute(
            f"SELECT customer_id, phone FROM customer WHERE customer_id IN ({scope}) AND phone_invalid = 0 "
            "AND sms_opt_out = 0 AND phone NOT IN (SELECT phone FROM sms_opt_out)"
        )
        if is_mobile(str(phone))
    ]
    if not candidates:
        return {}
    # In the same cycle: an attempt (not refused) on a local day less than cycle_gap_days before at's day.
    cycle_from = utc_text(datetime.combine(at.date() - timedelta(days=gap_days - 1), time(0), tzinfo=at.tzinfo))
    in_cycle = set(
        _ids(
            raw,
            f"SELECT DISTINCT customer_id FROM call_attempt WHERE customer_id IN ({scope}) AND status != 'refused' "
            "AND started_at >= ? AND started_at < ?",
            (cycle_from, utc_text(at)),
        )
    )
    noticed = set(
        _ids(
            raw,
            f"SELECT DISTINCT customer_id FROM sms_message WHERE customer_id IN ({scope}) "
            "AND state IN ('sent', 'delivered') AND sent_at >= ? AND sent_at <= ?",
            (utc_text(earliest), utc_text(latest)),
        )
    )
    too_new = {
        str(cid): datetime.fromisoformat(str(sent)).astimezone(at.tzinfo) + lead
        for cid, sent in raw.execute(
            f"SELECT customer_id, min(sent_at) FROM sms_message WHERE customer_id IN ({scope}) "
            "AND state IN ('sent', 'delivered') AND sent_at > ? GROUP BY customer_id",
            (utc_text(latest),),
        )
    }
    return {
        cid: Block("sms_notice", too_new.get(cid)) for cid in candidates if cid not in in_cycle and cid not in noticed
    }


# The order the list names them in: what only an event lifts, then daily limits, then the reminder.
mirror("do_not_call", _do_not_call)
mirror("dispute_hold", _dispute_hold)
mirror("complaint_hold", _complaint_hold)
mirror("promise_pending", _promise_pending)
mirror("plan_active", _plan_active)
mirror("invalid_number", _invalid_number)
mirror("daily_conversations", _daily_conversations)
mirror("daily_attempts", _daily_attempts)
mirror("sms_notice", _sms_notice)
