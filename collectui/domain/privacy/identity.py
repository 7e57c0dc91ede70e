"""Resident ID numbers (GB 11643) and Chinese phone numbers: validation and normalisation."""

from __future__ import annotations

import re

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def normalise_id_number(text: str) -> str:
    """Upper-cased 18-character ID; ValueError when the length, digits or check character are wrong."""
    value = text.strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValueError("expected 18 characters: 17 digits and a digit or X")
    if not value.isascii():
        raise ValueError("expected 18 characters: 17 digits and a digit or X")
    if id_check_char(value[:17]) != value[17]:
        raise ValueError("check character does not match (GB 11643)")
    return value


def normalise_phone(text: str) -> str:
    """'13812345678' for mobiles, '01012345678' for landlines with area code; ValueError otherwise."""
    value = re.sub(r"[\s\-()（）]", "", text.strip())
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    if not value.isascii() or not value.isdigit():
        raise ValueError("expected a mobile (11 digits from 13-19) or a landline with area code")
    if _MOBILE.match(value) or _LANDLINE.match(value):
        return value
    raise ValueError("expected a mobile (11 digits from 13-19) or a landline with area code")


def is_mobile(phone: str) -> bool:
    return bool(_MOBILE.match(phone))
