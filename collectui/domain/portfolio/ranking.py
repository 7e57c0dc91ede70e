"""The priority score of one overdue borrower: a transparent weighted sum, with its explanation.

score = dpd_points_per_day * min(max DPD, dpd_cap_days)
      + amount_points_per_tenfold * log10(1 + overdue amount in yuan)
      + broken_promise_points * min(broken promises in the lookback window, broken_promise_max)
      + no_contact_points_per_day * min(days since the last right-party contact, no_contact_cap_days)
        (or never_contacted_points when nobody has reached the borrower yet)

Weights come from the policy (``ranking.*``). Each part is explained by a reason (``reasons.py``: a ``Said``
the faces translate). Each part is rounded half-up to hundredths (``Decimal`` for
the linear parts, a float log10 for the amount) and every part is non-decreasing in its input, so rounding
can only merge two scores, never swap them. The work list orders by ``order_key``: score, then max DPD,
overdue amount and broken promises (all descending), then customer_id, so equal scores still fall in a
fixed, sensible order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from collectui.domain.portfolio.reasons import Part, part, said_of
from collectui.domain.said import Said
from collectui.money import fmt_fen_grouped

if TYPE_CHECKING:
    from collectui.domain.policy import Policy

_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Weights:
    dpd_points_per_day: Decimal
    dpd_cap_days: int
    amount_points_per_tenfold: Decimal
    broken_promise_points: Decimal
    broken_promise_max: int
    broken_promise_lookback_days: int
    no_contact_points_per_day: Decimal
    no_contact_cap_days: int
    never_contacted_points: Decimal

    @property
    def amount_float(self) -> float:
        return float(self.amount_points_per_tenfold)


def weights_from_policy(policy: Policy) -> Weights:
    r = policy.table("ranking")
    return Weights(
        dpd_points_per_day=Decimal(str(r["dpd_points_per_day"])),
        dpd_cap_days=int(r["dpd_cap_days"]),
        amount_points_per_tenfold=Decimal(str(r["amount_points_per_tenfold"])),
        broken_promise_points=Decimal(str(r["broken_promise_points"])),
        broken_promise_max=int(r["broken_promise_max"]),
        broken_promise_lookback_days=int(r["broken_promise_lookback_days"]),
        no_contact_points_per_day=Decimal(str(r["no_contact_points_per_day"])),
        no_contact_cap_days=int(r["no_contact_cap_days"]),
        never_contacted_points=Decimal(str(r["never_contacted_points"])),
    )


@dataclass(frozen=True, slots=True)
class RankInput:
    max_dpd: int
    overdue_fen: int
    broken_promises: int = 0
    days_since_contact: int | None = None  # days since the last right-party contact; None = never reached


@dataclass(frozen=True, slots=True)
class Score:
    hundredths: int  # stored in work_item.score
    parts: tuple[Part, ...]  # the explanation, compact; stored in work_item.reasons (reasons.encode)

    @property
    def reasons(self) -> list[Said]:
        """The explanation as the faces translate it."""
        return [said_of(p) for p in self.parts]

    @property
    def points(self) -> Decimal:
        return Decimal(self.hundredths) / 100


def _h(value: Decimal) -> int:
    return int(value.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP) * 100)


@lru_cache(maxsize=64)
def _millionths(weight: Decimal) -> int | None:
    scaled = weight * 1_000_000
    return int(scaled) if scaled == scaled.to_integral_value() else None


def _lin(weight: Decimal, n: int) -> int:
    """round_half_up(weight * n) in hundredths; integer arithmetic when the weight has <= 6 decimals."""
    w6 = _millionths(weight)
    if w6 is None or n < 0 or w6 < 0:
        return _h(weight * n)
    return (w6 * n * 2 + 10_000) // 20_000


def _pts(hundredths: int) -> str:
    return f"+{hundredths // 100}.{hundredths % 100:02d}"


def _amount_hundredths(weight: float, overdue_fen: int) -> int:
    # log10(1 + yuan) in binary floating point: whole fen up to 10^14 differ by far more than the error of
    # log10, so the result never decreases as the amount grows (Decimal's log10 costs 50x more).
    value = weight * math.log10(1 + max(overdue_fen, 0) / 100) * 100
    return int(math.floor(value + 0.5))


def score(inp: RankInput, w: Weights) -> Score:
    dpd = max(inp.max_dpd, 0)
    dpd_h = _lin(w.dpd_points_per_day, min(dpd, w.dpd_cap_days))
    # Each part: part(code, values in the order of reasons.REASONS[code].names).
    if dpd > w.dpd_cap_days:
        first = part("dpd_capped", dpd, w.dpd_cap_days, _pts(dpd_h))
    else:
        first = part("dpd", dpd, _pts(dpd_h))
    parts: list[tuple[int, Part]] = []  # the parts after DPD, each shown only when it adds points
    amount_h = _amount_hundredths(w.amount_float, inp.overdue_fen)
    parts.append((amount_h, part("overdue", fmt_fen_grouped(max(inp.overdue_fen, 0)), _pts(amount_h))))
    broken = min(max(inp.broken_promises, 0), w.broken_promise_max)
    if broken:
        broken_h = _lin(w.broken_promise_points, broken)
        n, points = inp.broken_promises, _pts(broken_h)
        parts.append((broken_h, part("broken_one", n, points) if n == 1 else part("broken", n, points)))
    if inp.days_since_contact is None:
        never_h = _lin(w.never_contacted_points, 1)
        parts.append((never_h, part("never_reached", _pts(never_h))))
    else:
        days = max(inp.days_since_contact, 0)
        contact_h = _lin(w.no_contact_points_per_day, min(days, w.no_contact_cap_days))
        parts.append((contact_h, part("since_reached", days, _pts(contact_h))))
    total = dpd_h + sum(h for h, _ in parts)
    return Score(total, (first, *(p for h, p in parts if h)))


def order_key(
    score_h: int, max_dpd: int, overdue_fen: int, broken: int, customer_id: str
) -> tuple[int, int, int, int, str]:
    """Sort ascending by this to get the work-list order."""
    return (-score_h, -max_dpd, -overdue_fen, -broken, customer_id)


# Fixed-width text form of ``order_key`` (stored as work_item.sort_key, indexed): text order = list order.
_MAX = (10**12 - 1, 10**7 - 1, 10**16 - 1, 10**4 - 1)


def sort_key(score_h: int, max_dpd: int, overdue_fen: int, broken: int, customer_id: str) -> str:
    s = _MAX[0] - min(max(score_h, 0), _MAX[0])
    d = _MAX[1] - min(max(max_dpd, 0), _MAX[1])
    o = _MAX[2] - min(max(overdue_fen, 0), _MAX[2])
    b = _MAX[3] - min(max(broken, 0), _MAX[3])
    return f"{s:012d}{d:07d}{o:016d}{b:04d}{customer_id}"
