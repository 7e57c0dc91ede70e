"""The note scan: call notes must not hold threats, insults, disclosure to others or unofficial channels.

Notes and phrases are both normalised before comparing: NFKD (full-width letters, digits and the
ideographic space become their ordinary forms), case folded, combining marks dropped, and every space,
zero-width character and separator punctuation removed, so "坐 牢", "ＪＡＩＬ", "j-a-i-l" and "转到我 个人 账户"
all match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

CATEGORIES = ("threats", "insults", "disclosure", "unofficial_channels")

# Whitespace, zero-width characters, and punctuation people put between letters to dodge a filter.
_FILLER = re.compile(r"[\s\u200b-\u200f\u2060\ufeff._\-*~·•/\\|,，。、'\"`]+")


_MARKS = ("Mn", "Mc", "Me")


@dataclass(frozen=True)
class NoteHit:
    category: str
    phrase: str  # the phrase as written in the policy


def normalise(text: str) -> str:
    # Compatibility-decompose and drop combining marks, so accents and marks that NFKC produces from
    # spacing characters (U+00AF -> " \u0304") can neither hide a phrase nor glue onto its letters.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(c for c in decomposed if unicodedata.category(c) not in _MARKS)
    return _FILLER.sub("", bare)


def scan(notes: str | None, rules: dict[str, Any]) -> list[NoteHit]:
    """Every phrase of ``rules`` (the policy's ``rules.note_scan`` table) found in ``notes``."""
    if not notes or not rules.get("enabled", True):
        return []
    body = normalise(notes)
    hits: list[NoteHit] = []
    for category in CATEGORIES:
        for phrase in rules.get(category, []):
            key = normalise(phrase)
            if key and key in body:
                hits.append(NoteHit(category, phrase))
    return hits
