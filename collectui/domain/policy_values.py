"""Checks of single policy values (ranges, times, texts, folders): their type, range and sense.

``collectui.domain.policy`` registers one of these per key in ``VALIDATORS``; ``bounded`` runs on every value
first, so a key added without its own validator still cannot carry an infinite number, a number that
overflows a date, a megabyte of text or a terminal control sequence. Each check returns the problem in words,
or None.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectui.domain.conduct.notescan import normalise
from collectui.domain.conduct.scripts import policy_problem as scripts_policy_problem

Check = Callable[[Any], str | None]

# Beyond these every value is a mistake, whatever the key (a day count of a million overflows a date).
MAX_ABS_NUMBER = 1_000_000
MAX_TEXT = 4_000
MAX_ITEMS = 1_000
# Control characters would reach a terminal or an SMS; tab aside, none belongs in a policy value.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def bounded(value: Any) -> str | None:
    """The sanity every value needs, whatever its key."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_ABS_NUMBER:
        return f"out of range: {value!r}"
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return f"at most {MAX_TEXT} characters"
        if _CONTROL.search(value):
            return "must not hold control characters"
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return f"at most {MAX_ITEMS} items"
        return next((f"item {i + 1}: {p}" for i, x in enumerate(value) if (p := bounded(x))), None)
    return None


def in_range(lo: float, hi: float) -> Check:
    """lo <= value <= hi (integers or numbers; the merge has checked the type)."""

    def check(value: float) -> str | None:
        if value < lo:
            return "must not be negative" if lo == 0 else f"must be at least {_num(lo)}"
        return f"must be at most {_num(hi)}, got {_num(value)}" if value > hi else None

    return check


def above(lo: float, hi: float) -> Check:
    """lo < value <= hi."""

    def check(value: float) -> str | None:
        if not lo < value <= hi:
            return f"must be above {_num(lo)} and at most {_num(hi)}, got {_num(value)}"
        return None

    return check


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def text(max_chars: int) -> Check:
    def check(value: str) -> str | None:
        if not value.strip():
            return "must not be empty"
        return f"at most {max_chars} characters" if len(value) > max_chars else None

    return check


def one_of(*choices: str) -> Check:
    def check(value: str) -> str | None:
        return None if value in choices else f"must be {' or '.join(repr(c) for c in choices)}, got {value!r}"

    return check


def items_of(*choices: str) -> Check:
    def check(value: Iterable[object]) -> str | None:
        bad = [x for x in value if x not in choices]
        return f"unknown item {bad[0]!r} (expected {', '.join(choices)})" if bad else None

    return check


def time_zone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r}"
    return None


def hhmm(value: object) -> str | None:
    parts = value.split(":") if isinstance(value, str) else []
    if len(parts) == 2 and all(len(p) == 2 and p.isdigit() for p in parts):
        if int(parts[0]) <= 24 and int(parts[1]) <= 59 and (int(parts[0]) < 24 or parts[1] == "00"):
            return None
    return f"expected a time HH:MM (00:00-24:00), got {value!r}"


def window(value: str) -> str | None:
    match = re.fullmatch(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})", value.strip())
    if not match:
        return f"expected 'HH:MM-HH:MM', got {value!r}"
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        return f"not a time of day: {value!r}"
    if h1 * 60 + m1 >= h2 * 60 + m2:
        return "the window must end after it starts (same day)"
    return None


def phrases(value: Iterable[object]) -> str | None:
    """Note-scan phrases: text that still says something once normalised as the scan normalises notes."""
    for x in value:
        if not isinstance(x, str) or not normalise(x):
            return f"every phrase must be non-empty text, got {x!r}"
        if len(x) > 200:
            return f"a phrase may be at most 200 characters, got {len(x)}"
    return None


def roles(value: Iterable[object]) -> str | None:
    known = ("collector", "supervisor", "admin", "trainer")
    bad = [x for x in value if x not in known]
    return f"unknown role {bad[0]!r} (expected {', '.join(known)})" if bad else None


def script_file(value: str) -> str | None:
    """``scripts.file``: "" (the shipped scripts) or an absolute path. A relative one would mean another file
    for each folder collectui is started from; the file's content is checked with the policy (``FILE_CHECKS``)."""
    if value and not Path(value).is_absolute():
        return f"must be an absolute path (or empty for the shipped scripts), got {value!r}"
    return None


def http_url(value: str) -> str | None:
    if value == "":
        return None
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
        return "must be an http:// or https:// address"
    return None


# Folders of the operating system: the SMS outbox must never be one of them (or inside one).
SYSTEM_DIRS = tuple(
    Path(p)
    for p in ("/etc", "/bin", "/sbin", "/boot", "/dev", "/proc", "/sys", "/usr", "/lib", "/lib64", "/var/lib")
    + ("/var/log", "/var/spool", "/root", "/run", "C:/Windows", "C:/Program Files")
)


def outbox_dir(value: str) -> str | None:
    """A folder collectui may write: relative (beside the database, never above it), or an absolute path
    that is not a system folder, not a file, and is (or can be made) writable."""
    if not value.strip():
        return "must not be empty"
    path = Path(value).expanduser()
    if not path.is_absolute():
        if ".." in path.parts:
            return f"a relative outbox stays beside the database: no '..' in {value!r}"
        return None
    resolved = Path(os.path.realpath(path))
    if resolved == Path(resolved.anchor):
        return f"{value!r} is the root of the file system"
    for system in SYSTEM_DIRS:
        if resolved == system or system in resolved.parents:
            return f"{value!r} is a system folder ({system}): choose a folder of its own"
    if resolved.exists():
        if not resolved.is_dir():
            return f"{value!r} is a file, not a folder"
        return None if os.access(resolved, os.W_OK | os.X_OK) else f"{value!r} is not writable"
    parent = next((p for p in resolved.parents if p.exists()), None)
    if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        return f"{value!r} cannot be created (its nearest folder is not writable)"
    return None


# --- sense across keys: each sees a merged, well-typed policy table ---
def _check_call_window(data: Mapping[str, Any]) -> str | None:
    window = data["rules"]["call_window"]
    if window["start"] >= window["end"]:
        return f"rules.call_window: start {window['start']} must be before end {window['end']}"
    return None


def _check_sms_notice(data: Mapping[str, Any]) -> str | None:
    notice = data["rules"]["sms_notice"]
    if notice["min_lead_hours"] >= notice["max_age_days"] * 24:
        return "rules.sms_notice: min_lead_hours must be less than max_age_days x 24"
    return None


def _check_complaints(data: Mapping[str, Any]) -> str | None:
    c = data["complaints"]
    if c["extended_days"] < c["due_days"]:
        return f"complaints: extended_days {c['extended_days']} must not be before due_days {c['due_days']}"
    return None


def _check_http(data: Mapping[str, Any]) -> str | None:
    if data["sms"]["gateway"] == "http" and not data["sms"]["http"]["url"]:
        return 'sms.http.url: needed when sms.gateway = "http"'
    return None


def _check_masking_other(data: Mapping[str, Any]) -> str | None:
    other = data["masking"]["other"]
    if other["first_fraction"] + other["last_fraction"] > 1:
        return "masking.other: first_fraction + last_fraction must not exceed 1"
    return None


CROSS_KEY_CHECKS: tuple[Callable[[Mapping[str, Any]], str | None], ...] = (
    _check_call_window,
    _check_sms_notice,
    _check_complaints,
    _check_http,
    _check_masking_other,
)


def _check_scripts(data: Mapping[str, Any]) -> str | None:
    # The talk scripts the policy names load, and hold no phrase of this policy's own note-scan lists.
    return scripts_policy_problem(data)


# Checks of files a policy names, run when a policy is given (checked, applied, a --policy file), not when a
# stored version is read again: the database may be shared by PCs that do not all have the file at that path,
# and a file changed later is checked again where it is used (the call screen, `scripts show`).
FILE_CHECKS: tuple[Callable[[Mapping[str, Any]], str | None], ...] = (_check_scripts,)
