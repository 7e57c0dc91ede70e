"""A message for a person, as the domain says it: a catalogue key, its values, and the English wording.

Services decide what to say; the faces decide the language. So a message the faces must show in Chinese
(a gate rule's reason, first of all) is returned as a ``Said``: ``key`` names an entry of the faces' one
catalogue (``collectui/tui/i18n``, ``"key": ("中文 {value}", "English {value}")``), ``values`` fill it,
and ``text`` is the English wording, kept for logs, JSON output and the audit trail, which stay English.
Values are display-ready (a date as ISO text, a time as HH:MM, a count as an int), so a face needs no
knowledge of the domain to show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Said:
    key: str
    text: str  # the English wording
    values: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return self.text


def said(key: str, text: str, **values: Any) -> Said:
    """``said("gate.x", f"English {n}", n=n)``: the key, the English text and the values for the catalogue."""
    return Said(key, text, values)


def not_one_of(field: str, allowed: Iterable[str], got: object) -> Said:
    """A value outside its fixed set: ``field: expected one of a, b, c, got 'x'`` (the key ``error.choice``)."""
    choices = ", ".join(allowed)
    return said(
        "error.choice", f"{field}: expected one of {choices}, got {got!r}", field=field, choices=choices, got=repr(got)
    )
