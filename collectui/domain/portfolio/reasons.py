"""The ranking's reasons ("why this row is here"), said as ``Said`` messages, and how they are stored.

``ranking.score`` explains a borrower's priority score part by part; each part is said as a ``Said``: a
catalogue key ``worklist.reason.<code>``, its values (display-ready: counts as ints, points as "+110.00",
money as "¥1,234.56") and the English wording. The refresh scores every overdue borrower, so a score keeps
its parts compact (``Part``: the code and its values in ``REASONS[code].names`` order) and makes the ``Said``
only when asked (``said_of``); building a ``Said`` and its English for a million borrowers would double the
cost of scoring them. The faces translate them from the catalogue
(collectui/tui/i18n/wording.py); JSON output, logs and the audit trail keep the English.

``work_item.reasons`` stores them compactly, one ``[code, value, ...]`` list a reason, in the order of
``REASONS[code].names`` (a work list of a million borrowers stores four reasons each); the English is built
again from ``REASONS`` when they are read. A stored reason that is plain text (a database refreshed before
the reasons were coded) reads back as that text, with no key: the faces show it as it is until the next
refresh writes it again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from collectui.domain.said import Said, said

PREFIX = "worklist.reason."
# The stored form's version, part of the refresh's fingerprint (refresh/stats.py): change it whenever what
# ``encode`` writes changes, and every database refreshes its work list once.
STORED_FORM = 2


@dataclass(frozen=True)
class Reason:
    english: str  # str.format template over ``names``
    names: tuple[str, ...]


REASONS: dict[str, Reason] = {
    "dpd": Reason("DPD {dpd}: {points}", ("dpd", "points")),
    "dpd_capped": Reason("DPD {dpd} (capped at {cap}): {points}", ("dpd", "cap", "points")),
    "overdue": Reason("overdue {amount}: {points}", ("amount", "points")),
    "broken_one": Reason("{n} broken promise: {points}", ("n", "points")),
    "broken": Reason("{n} broken promises: {points}", ("n", "points")),
    "never_reached": Reason("never reached: {points}", ("points",)),
    "since_reached": Reason("{days} days since last reached: {points}", ("days", "points")),
}


Part = tuple[str, tuple[Any, ...]]  # (code, its values in REASONS[code].names order)


def part(code: str, *values: Any) -> Part:
    """The reason ``code`` with its values, in the order of ``REASONS[code].names`` (a test reads every call
    of the ranking and checks the code and the number of values)."""
    return (code, values)


def said_of(found: Part) -> Said:
    """The reason as the faces translate it: key, named values, the domain's English."""
    code, values = found
    known = REASONS[code]
    named = dict(zip(known.names, values, strict=True))
    return said(PREFIX + code, known.english.format(**named), **named)


COUNTS = {"dpd", "cap", "n", "days"}  # the values that are whole numbers; the others are text (points, money)
# Each reason's stored form as a %-template, and the number of '"' it writes.
_STORED = {
    code: '["' + code + '",' + ",".join("%d" if name in COUNTS else '"%s"' for name in known.names) + "]"
    for code, known in REASONS.items()
}
_QUOTES = {code: template.count('"') for code, template in _STORED.items()}


def encode(parts: Sequence[Part]) -> str:
    """``parts`` as ``work_item.reasons`` holds them: ``[["dpd",110,"+110.00"],...]``, what json.dumps writes
    (``ensure_ascii=False``, no spaces). Filled into templates where nothing needs escaping (the ranking's
    values are counts, points and money): the refresh writes one a borrower, and json.dumps costs twice as
    much."""
    try:
        text = "[" + ",".join([_STORED[code] % values for code, values in parts]) + "]"
    except TypeError:  # a count that is not a whole number: json.dumps says it as it is
        text = ""
    if text.isprintable() and "\\" not in text and text.count('"') == sum([_QUOTES[code] for code, _ in parts]):
        return text
    return json.dumps([[code, *values] for code, values in parts], ensure_ascii=False, separators=(",", ":"))


def decode(stored: str | None) -> list[Said]:
    """The reasons stored by ``encode``; a plain-text reason (stored before they were coded) as its text."""
    return read(json.loads(stored)) if stored else []


def read(items: Sequence[Any]) -> list[Said]:
    """The reasons from ``encode``'s JSON, parsed (the ORM's JSON column gives them so)."""
    found: list[Said] = []
    for item in items:
        if isinstance(item, list) and item and item[0] in REASONS:
            found.append(said_of((item[0], tuple(item[1:]))))
        else:
            found.append(Said("", str(item)))
    return found
