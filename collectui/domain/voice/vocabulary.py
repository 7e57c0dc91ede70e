"""The words of customer feedback: its vocabulary and the masking of numbers inside free text.

No ORM import here: the feedback import kind (``importing.feedback_kind``) registers with every import, and an
import of a schedule must not load SQLAlchemy for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from collectui.domain.policy import Policy
from collectui.domain.privacy.masking import mask_account, mask_id_number, mask_phone
from collectui.domain.textsafe import clean

SENTIMENTS = ("positive", "neutral", "negative")
CATEGORIES = (
    "attitude",
    "language",
    "frequency",
    "timing",
    "privacy",
    "amount_accuracy",
    "repayment_difficulty",
    "other",
)
CHANNELS = ("call", "branch", "hotline", "sms", "survey")
MAX_TEXT = 2000

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_SEP = r"[ \-\u00a0]?"
# Order matters: ID numbers before phones, phones before long account numbers.
_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(rf"(?<![0-9])(?:\+?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?![0-9])")
_LANDLINE = re.compile(rf"(?<![0-9])0\d{{2,3}}{_SEP}\d{{7,8}}(?![0-9])")
_ACCOUNT = re.compile(r"(?<![0-9])\d{12,19}(?![0-9])")


@dataclass
class Scrubbed:
    text: str
    masked: dict[str, int] = field(default_factory=dict)  # kind -> how many numbers were masked


def scrub_personal_data(text: str, policy: Policy | None = None) -> Scrubbed:
    """Mask ID numbers, phone numbers and account numbers inside free text (full-width digits too)."""
    view = text.translate(_FULLWIDTH_DIGITS)  # one character for one, so positions match ``text``
    chars = list(text)
    counts: dict[str, int] = {}
    taken = [False] * len(text)

    def apply(pattern: re.Pattern[str], kind: str, masker: Callable[[str, Policy | None], str]) -> None:
        for m in pattern.finditer(view):
            if any(taken[m.start() : m.end()]):
                continue
            digits = re.sub(r"[^0-9Xx]", "", m.group(0))
            if kind == "phone" and digits.startswith("86") and len(digits) == 13:
                digits = digits[2:]
            masked = masker(digits, policy)
            chars[m.start() : m.end()] = [masked] + [""] * (m.end() - m.start() - 1)
            for i in range(m.start(), m.end()):
                taken[i] = True
            counts[kind] = counts.get(kind, 0) + 1

    apply(_ID18, "id_number", mask_id_number)
    apply(_MOBILE, "phone", mask_phone)
    apply(_ID15, "id_number", mask_id_number)
    apply(_LANDLINE, "phone", mask_phone)
    apply(_ACCOUNT, "account", mask_account)
    return Scrubbed("".join(chars), counts)


def scrub_free_text(text: str | None, policy: Policy | None = None) -> Scrubbed | None:
    """Typed free text made fit to store: control characters out (line breaks kept), trimmed, numbers masked;
    None when nothing is left. Used for feedback, complaint texts and collectors' call notes alike."""
    value = clean(text or "", newlines=True).strip()
    return scrub_personal_data(value, policy) if value else None
