"""Call outcome codes (docs/domain.md section 5), what kind of contact each is, and the checklist each needs.

Three kinds: ``unanswered`` (nobody picked up), ``third_party`` (connected, not the borrower, which is
also any connected call to a third-party contact) and ``right_party`` (the borrower was reached).
"""

from __future__ import annotations

from collectui.domain.attempts import UNANSWERED

NOT_BORROWER = ("wrong_number", "third_party", "deceased_reported")
RIGHT_PARTY = (
    "promise_to_pay",
    "claims_paid",
    "partial_payment",
    "refuses",
    "dispute",
    "hardship",
    "callback",
    "cease_request",
    "hung_up",
)
OUTCOMES = UNANSWERED + NOT_BORROWER + RIGHT_PARTY

# Outcomes that only make sense when the borrower is on the line: a third-party contact cannot promise,
# dispute or claim hardship for the borrower.
BORROWER_ONLY = ("promise_to_pay", "claims_paid", "partial_payment", "refuses", "dispute", "hardship")

KIND_UNANSWERED = "unanswered"
KIND_THIRD_PARTY = "third_party"
KIND_RIGHT_PARTY = "right_party"

CHECK_ITEMS = (
    "identified",
    "recorded_notice",
    "verified_identity",
    "stated_amount",
    "official_channels",
    "no_threats",
    "no_disclosure",
)

CHECKLISTS: dict[str, tuple[str, ...]] = {
    KIND_UNANSWERED: (),
    KIND_THIRD_PARTY: ("identified", "recorded_notice", "no_disclosure", "no_threats"),
    KIND_RIGHT_PARTY: (
        "identified",
        "recorded_notice",
        "verified_identity",
        "stated_amount",
        "official_channels",
        "no_threats",
    ),
}


def kind_of(outcome: str, third_party_contact: bool) -> str:
    """The kind of contact an outcome is; ``third_party_contact`` = the number dialled is a contact's."""
    if outcome in UNANSWERED:
        return KIND_UNANSWERED
    if outcome in NOT_BORROWER or third_party_contact:
        return KIND_THIRD_PARTY
    if outcome in RIGHT_PARTY:
        return KIND_RIGHT_PARTY
    raise ValueError(f"unknown outcome {outcome!r}")


def outcomes_for(third_party_contact: bool) -> tuple[str, ...]:
    """The outcomes a collector may choose for a call to the borrower or to a third-party contact."""
    if third_party_contact:
        return tuple(o for o in OUTCOMES if o not in BORROWER_ONLY)
    return OUTCOMES


def checklist_for(outcome: str, third_party_contact: bool) -> tuple[str, ...]:
    return CHECKLISTS[kind_of(outcome, third_party_contact)]


def checklist_problems(outcome: str, third_party_contact: bool, items: list[str]) -> list[str]:
    """Missing mandatory items, items that do not belong to this outcome, unknown items, in that order."""
    need = checklist_for(outcome, third_party_contact)
    given = list(dict.fromkeys(i.strip() for i in items if i.strip()))
    problems: list[str] = []
    missing = [i for i in need if i not in given]
    if missing:
        problems.append(f"missing for {outcome}: {', '.join(missing)}")
    unknown = [i for i in given if i not in CHECK_ITEMS]
    extra = [i for i in given if i in CHECK_ITEMS and i not in need]
    if extra:
        problems.append(f"does not belong to {outcome}: {', '.join(extra)}")
    if unknown:
        problems.append(f"unknown item(s): {', '.join(unknown)} (expected {', '.join(CHECK_ITEMS)})")
    return problems
