"""What each demo borrower will be: a target days-past-due and a few story tags.

Every bucket (M1..M6, M6+) and every five-category class gets at least one borrower, and every story
(kept, partial and broken promises, an open promise, disputes, complaints, do-not-call, ...) at least one,
whatever the number of customers; the rest is drawn at realistic rates. The order is then shuffled so the
guaranteed cases are not the first customer ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

OVERDUE_SHARE = 0.35
MIN_CUSTOMERS = 20

# (low, high) days past due: one guaranteed borrower per range; M6+ split by five-category class.
GUARANTEED_DPD = ((1, 30), (31, 60), (61, 90), (91, 120), (121, 150), (151, 180), (181, 270), (271, 360), (361, 720))
DPD_WEIGHTS = (35, 18, 12, 9, 7, 6, 6, 3, 4)

# tag: (share of overdue borrowers, minimum days past due, guaranteed count)
OVERDUE_TAGS: dict[str, tuple[float, int, int]] = {
    "kept": (0.12, 1, 1),
    "broken": (0.15, 16, 2),
    "open_promise": (0.08, 6, 1),
    "partial_promise": (0.04, 12, 1),
    "partial_payment": (0.08, 3, 1),
    "dispute": (0.02, 2, 1),
    "dispute_resolved": (0.01, 40, 1),
    "cease": (0.02, 2, 1),
    "hardship": (0.03, 2, 1),
    "complaint_hold": (0.015, 12, 1),
    "complaint_overdue": (0.0, 25, 1),
    "complaint_resolved": (0.01, 50, 1),
    "complaint_service": (0.01, 2, 1),
    "invalid_phone": (0.03, 10, 1),
    "vulnerable": (0.03, 1, 1),
    "sms": (0.10, 2, 1),
    "feedback": (0.08, 5, 2),
    "consent_hours": (0.01, 1, 0),
}
# Tags that end the collection history of a borrower (the last call); a borrower gets at most one.
TERMINAL = {"dispute", "dispute_resolved", "cease", "complaint_hold", "complaint_overdue", "complaint_resolved"}
EXCLUSIVE = [TERMINAL | {"open_promise", "invalid_phone"}, {"partial_promise", "kept"}, {"invalid_phone", "vulnerable"}]

CURRENT_TAGS: dict[str, tuple[float, int]] = {
    "early": (0.03, 1),
    "overpay": (0.01, 1),
    "cured": (0.03, 1),
    "closed_only": (0.02, 1),
    "written_off": (0.004, 1),
    "vulnerable": (0.01, 0),
}


@dataclass
class CustomerPlan:
    dpd: int  # target days past due of the worst loan; 0 = current
    tags: set[str] = field(default_factory=set)


def _allowed(tags: set[str], tag: str) -> bool:
    return tag not in tags and not any(tag in group and tags & group for group in EXCLUSIVE)


def make_plans(rng: random.Random, customers: int) -> list[CustomerPlan]:
    n_overdue = max(round(customers * OVERDUE_SHARE), min(len(GUARANTEED_DPD) + 3, customers // 2))
    overdue = [CustomerPlan(rng.randint(lo, hi)) for lo, hi in GUARANTEED_DPD]
    while len(overdue) < n_overdue:
        lo, hi = rng.choices(GUARANTEED_DPD, DPD_WEIGHTS)[0]
        overdue.append(CustomerPlan(rng.randint(lo, hi)))
    for tag, (share, min_dpd, guaranteed) in OVERDUE_TAGS.items():
        eligible = [p for p in overdue if p.dpd >= min_dpd and _allowed(p.tags, tag)]
        rng.shuffle(eligible)
        # Prefer borrowers with few stories so far, so the guaranteed ones spread out.
        eligible.sort(key=lambda p: len(p.tags))
        want = max(guaranteed, round(share * len(overdue)))
        for plan in eligible[:want]:
            plan.tags.add(tag)
    current = [CustomerPlan(0) for _ in range(customers - len(overdue))]
    for tag, (share, guaranteed) in CURRENT_TAGS.items():
        free = [p for p in current if not p.tags]
        rng.shuffle(free)
        for plan in free[: max(guaranteed, round(share * len(current)))]:
            plan.tags.add(tag)
    plans = overdue + current
    rng.shuffle(plans)
    return plans
