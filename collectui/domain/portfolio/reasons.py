"""The ranking's reasons ("why this row is here"), said as ``Said`` messages, and how they are stored.

``ranking.score`` explains a borrower's priority score part by part; each part is a ``Said``: a catalogue key
``worklist.reason.<code>``, its values (display-ready: counts as ints, points as "+110.00", money as
"¥1,234.56") and the English wording. The faces translate them from the catalogue
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


def reason(code: str, **values: Any) -> Said:
    """The reason ``code`` with its values, in the domain's English."""
    return said(PREFIX + code, REASONS[code].english.format(**values), **values)


def _cell(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if '"' in text or "\\" in text or not text.isprintable():
        return json.dumps(text, ensure_ascii=False)
    return f'"{text}"'


def encode(reasons: Sequence[Said]) -> str:
    """``reasons`` as ``work_item.reasons`` holds them: ``[["dpd",110,"+110.00"],...]``. Written by hand:
    the refresh writes one a borrower, and json.dumps costs several times more."""
    parts = []
    for r in reasons:
        code = r.key[len(PREFIX) :]
        cells = [_cell(r.values[name]) for name in REASONS[code].names]
        parts.append('["' + code + '",' + ",".join(cells) + "]")
    return "[" + ",".join(parts) + "]"


def decode(stored: str | None) -> list[Said]:
    """The reasons stored by ``encode``; a plain-text reason (stored before they were coded) as its text."""
    return read(json.loads(stored)) if stored else []


def read(items: Sequence[Any]) -> list[Said]:
    """The reasons from ``encode``'s JSON, parsed (the ORM's JSON column gives them so)."""
    found: list[Said] = []
    for item in items:
        if isinstance(item, list) and item and item[0] in REASONS:
            code = item[0]
            found.append(reason(code, **dict(zip(REASONS[code].names, item[1:], strict=True))))
        else:
            found.append(Said("", str(item)))
    return found
