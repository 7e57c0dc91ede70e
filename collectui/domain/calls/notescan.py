"""The note scan: call notes must not hold threats, insults, disclosure to others or unofficial channels.

Notes and phrases are both normalised before comparing: NFKC (full-width letters, digits and the
ideographic space become their ordinary forms), case folded, and every space, zero-width character and
separator punctuation removed, so "坐 牢", "ＪＡＩＬ", "j-a-i-l" and "转到我 个人 账户" all match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

CATEGORIES = ("threats", "insults", "disclosure", "unofficial_channels")

# Whitespace, zero-width characters, and punctuation people put between letters to dodge a filter.
_FILLER = re.compile(r"[\s\u200b-\u200f\u2060\ufeff._\-*~·•/\\|,，。、'\"`]+")


@dataclass(frozen=True)
class NoteHit:
    category: str
    phrase: str  # the phrase as written in the policy


def normalise(text: str) -> str:
    # NFKC can yield a space (U+00A8 -> " \u0308") and removing one can let a mark compose: repeat until stable.
    out, previous, rounds = text, None, 0
    while out != previous and rounds < 4:
        previous, rounds = out, rounds + 1
        out = _FILLER.sub("", unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", out).casefold()))
    return out


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
