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
from collectui.domain.said import Said, said

Check = Callable[[Any], str | Said | None]

# Beyond these every value is a mistake, whatever the key (a day count of a million overflows a date).
MAX_ABS_NUMBER = 1_000_000
MAX_TEXT = 4_000
MAX_ITEMS = 1_000
# Control characters would reach a terminal or an SMS; tab aside, none belongs in a policy value.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def bounded(value: Any) -> Said | None:
    """The sanity every value needs, whatever its key."""
    if isinstance(value, float) and not math.isfinite(value):
        return said("error.policy.not_finite", f"must be a finite number, got {value!r}", value=repr(value))
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_ABS_NUMBER:
        return said("error.policy.out_of_range", f"out of range: {value!r}", value=repr(value))
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return said("error.policy.text_long", f"at most {MAX_TEXT} characters", most=MAX_TEXT)
        if _CONTROL.search(value):
            return said("error.policy.control_chars", "must not hold control characters")
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return said("error.policy.too_many_items", f"at most {MAX_ITEMS} items", most=MAX_ITEMS)
        return next(
            (
                said("error.policy.item", f"item {i + 1}: {p}", item=i + 1, problem=p)
                for i, x in enumerate(value)
                if (p := bounded(x))
            ),
            None,
        )
    return None


def in_range(lo: float, hi: float) -> Check:
    """lo <= value <= hi (integers or numbers; the merge has checked the type)."""

    def check(value: float) -> Said | None:
        if value < lo and lo == 0:
            return said("error.policy.negative", "must not be negative")
        if value < lo:
            return said("error.policy.at_least", f"must be at least {_num(lo)}", least=_num(lo))
        if value > hi:
            return said(
                "error.policy.at_most",
                f"must be at most {_num(hi)}, got {_num(value)}",
                most=_num(hi),
                value=_num(value),
            )
        return None

    return check


def above(lo: float, hi: float) -> Check:
    """lo < value <= hi."""

    def check(value: float) -> Said | None:
        if not lo < value <= hi:
            low, high, got = _num(lo), _num(hi), _num(value)
            return said(
                "error.policy.above",
                f"must be above {low} and at most {high}, got {got}",
                low=low,
                high=high,
                value=got,
            )
        return None

    return check


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def text(max_chars: int) -> Check:
    def check(value: str) -> Said | None:
        if not value.strip():
            return said("error.policy.empty", "must not be empty")
        if len(value) > max_chars:
            return said("error.policy.text_long", f"at most {max_chars} characters", most=max_chars)
        return None

    return check


def one_of(*choices: str) -> Check:
    def check(value: str) -> Said | None:
        if value in choices:
            return None
        listed = " or ".join(repr(c) for c in choices)
        return said("error.policy.one_of", f"must be {listed}, got {value!r}", choices=listed, value=repr(value))

    return check


def items_of(*choices: str) -> Check:
    def check(value: Iterable[object]) -> Said | None:
        bad = [x for x in value if x not in choices]
        if not bad:
            return None
        listed = ", ".join(choices)
        return said(
            "error.policy.unknown_item",
            f"unknown item {bad[0]!r} (expected {listed})",
            item=repr(bad[0]),
            choices=listed,
        )

    return check


def time_zone(value: str) -> Said | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return said("error.policy.unknown_tz", f"unknown time zone {value!r}", value=repr(value))
    return None


def hhmm(value: object) -> Said | None:
    parts = value.split(":") if isinstance(value, str) else []
    if len(parts) == 2 and all(len(p) == 2 and p.isdigit() for p in parts):
        if int(parts[0]) <= 24 and int(parts[1]) <= 59 and (int(parts[0]) < 24 or parts[1] == "00"):
            return None
    return said("error.policy.not_hhmm", f"expected a time HH:MM (00:00-24:00), got {value!r}", value=repr(value))


def window(value: str) -> Said | None:
    match = re.fullmatch(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})", value.strip())
    if not match:
        return said("error.policy.not_window", f"expected 'HH:MM-HH:MM', got {value!r}", value=repr(value))
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        return said("error.policy.not_time_of_day", f"not a time of day: {value!r}", value=repr(value))
    if h1 * 60 + m1 >= h2 * 60 + m2:
        return said("error.policy.window_order", "the window must end after it starts (same day)")
    return None


def phrases(value: Iterable[object]) -> Said | None:
    """Note-scan phrases: text that still says something once normalised as the scan normalises notes."""
    for x in value:
        if not isinstance(x, str) or not normalise(x):
            return said("error.policy.phrase_empty", f"every phrase must be non-empty text, got {x!r}", value=repr(x))
        if len(x) > 200:
            return said(
                "error.policy.phrase_long", f"a phrase may be at most 200 characters, got {len(x)}", length=len(x)
            )
    return None


def roles(value: Iterable[object]) -> Said | None:
    known = ("collector", "supervisor", "admin", "trainer")
    bad = [x for x in value if x not in known]
    if not bad:
        return None
    listed = ", ".join(known)
    return said(
        "error.policy.unknown_role", f"unknown role {bad[0]!r} (expected {listed})", role=repr(bad[0]), roles=listed
    )


def script_file(value: str) -> Said | None:
    """``scripts.file``: "" (the shipped scripts) or an absolute path. A relative one would mean another file
    for each folder collectui is started from; the file's content is checked with the policy (``FILE_CHECKS``)."""
    if value and not Path(value).is_absolute():
        return said(
            "error.policy.script_relative",
            f"must be an absolute path (or empty for the shipped scripts), got {value!r}",
            value=repr(value),
        )
    return None


def http_url(value: str) -> Said | None:
    if value == "":
        return None
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
        return said("error.policy.not_http", "must be an http:// or https:// address")
    return None


# Folders of the operating system: the SMS outbox must never be one of them (or inside one).
SYSTEM_DIRS = tuple(
    Path(p)
    for p in ("/etc", "/bin", "/sbin", "/boot", "/dev", "/proc", "/sys", "/usr", "/lib", "/lib64", "/var/lib")
    + ("/var/log", "/var/spool", "/root", "/run", "C:/Windows", "C:/Program Files")
)


def outbox_dir(value: str) -> Said | None:
    """A folder collectui may write: relative (beside the database, never above it), or an absolute path
    that is not a system folder, not a file, and is (or can be made) writable."""
    if not value.strip():
        return said("error.policy.empty", "must not be empty")
    path = Path(value).expanduser()
    shown = repr(value)
    if not path.is_absolute():
        if ".." in path.parts:
            return said(
                "error.policy.outbox_dotdot",
                f"a relative outbox stays beside the database: no '..' in {shown}",
                value=shown,
            )
        return None
    resolved = Path(os.path.realpath(path))
    if resolved == Path(resolved.anchor):
        return said("error.policy.outbox_root", f"{shown} is the root of the file system", value=shown)
    for system in SYSTEM_DIRS:
        if resolved == system or system in resolved.parents:
            return said(
                "error.policy.outbox_system",
                f"{shown} is a system folder ({system}): choose a folder of its own",
                value=shown,
                system=str(system),
            )
    if resolved.exists():
        if not resolved.is_dir():
            return said("error.policy.outbox_file", f"{shown} is a file, not a folder", value=shown)
        if os.access(resolved, os.W_OK | os.X_OK):
            return None
        return said("error.policy.outbox_not_writable", f"{shown} is not writable", value=shown)
    parent = next((p for p in resolved.parents if p.exists()), None)
    if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        return said(
            "error.policy.outbox_cannot_create",
            f"{shown} cannot be created (its nearest folder is not writable)",
            value=shown,
        )
    return None


# --- sense across keys: each sees a merged, well-typed policy table ---
def _check_call_window(data: Mapping[str, Any]) -> Said | None:
    window = data["rules"]["call_window"]
    if window["start"] >= window["end"]:
        start, end = window["start"], window["end"]
        return said(
            "error.policy.call_window_order",
            f"rules.call_window: start {start} must be before end {end}",
            start=start,
            end=end,
        )
    return None


def _check_sms_notice(data: Mapping[str, Any]) -> Said | None:
    notice = data["rules"]["sms_notice"]
    if notice["min_lead_hours"] >= notice["max_age_days"] * 24:
        return said(
            "error.policy.sms_notice_lead", "rules.sms_notice: min_lead_hours must be less than max_age_days x 24"
        )
    return None


def _check_complaints(data: Mapping[str, Any]) -> Said | None:
    c = data["complaints"]
    if c["extended_days"] < c["due_days"]:
        extended, due = c["extended_days"], c["due_days"]
        return said(
            "error.policy.complaints_days",
            f"complaints: extended_days {extended} must not be before due_days {due}",
            extended=extended,
            due=due,
        )
    return None


def _check_http(data: Mapping[str, Any]) -> Said | None:
    if data["sms"]["gateway"] == "http" and not data["sms"]["http"]["url"]:
        return said("error.policy.http_url_needed", 'sms.http.url: needed when sms.gateway = "http"')
    return None


def _check_masking_other(data: Mapping[str, Any]) -> Said | None:
    other = data["masking"]["other"]
    if other["first_fraction"] + other["last_fraction"] > 1:
        return said("error.policy.masking_fractions", "masking.other: first_fraction + last_fraction must not exceed 1")
    return None


CROSS_KEY_CHECKS: tuple[Callable[[Mapping[str, Any]], str | Said | None], ...] = (
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
FILE_CHECKS: tuple[Callable[[Mapping[str, Any]], str | Said | None], ...] = (_check_scripts,)
