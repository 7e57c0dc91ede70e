"""Floors: the limits of the law that no policy may relax (tightening is always allowed).

A policy file may make a rule stricter (a shorter call window, fewer attempts, more masking, more phrases
for the note scan) but never looser than these. Each floor names its source (docs/domain.md, sections 2 and
3; docs/admin/policy.md lists them). The checks run on a merged policy whose types are already checked, so
every value here has its default's type.

This module reads nothing from ``collectui.domain.policy`` (which calls it): the note-scan floor compares
with the default phrases it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from collectui.domain.conduct.notescan import normalise
from collectui.domain.said import Said, said

CBA = "CBA 2026 guideline (金融机构个人消费类贷款催收工作指引)"
GBT = "GB/T 45251-2025"
CBA_GBT = f"{CBA}; {GBT}"
NOTES = f"{CBA}; NIFA 2018 art. 19"
MASKING = "domain facts section 3: JR/T 0171-2020; PIPL art. 6 (minimum necessary)"


@dataclass(frozen=True)
class Floor:
    key: str  # dotted policy key
    rule: str  # the floor in words ("at most 6")
    source: str
    relaxes: Callable[[Any], bool]  # True when the value is looser than the floor


@dataclass(frozen=True)
class Breach:
    key: str
    value: Any
    rule: str
    source: str

    def message(self) -> str:
        return f"{self.key} = {_shown(self.value)} relaxes a floor: {self.rule} ({self.source})"

    def said(self) -> Said:
        """``message`` for a person: the floor's rule in their language, its source cited as written."""
        return said(
            "error.policy.floor",
            self.message(),
            at=self.key,
            value=_shown(self.value),
            rule=_rule_said(self.rule),
            source=self.source,
        )


def _rule_said(rule: str) -> Said | str:
    """A floor's rule (``Floor.rule``, made by the helpers below) in words a face can translate."""
    if rule == "must stay true":
        return said("policy.floor.stay_true", rule)
    for prefix, key in (
        ("at most ", "policy.floor.at_most"),
        ("at least ", "policy.floor.at_least"),
        ("not before ", "policy.floor.not_before"),
        ("not after ", "policy.floor.not_after"),
    ):
        if rule.startswith(prefix):
            return said(key, rule, limit=rule.removeprefix(prefix))
    if rule.startswith(_KEEP_PHRASES) and rule.endswith(")"):
        return said("policy.floor.keep_phrases", rule, missing=rule.removeprefix(_KEEP_PHRASES)[:-1])
    return rule


_KEEP_PHRASES = "must keep every default phrase (missing "


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return f"[{len(value)} items]"
    return repr(value)


def _on(key: str, source: str) -> Floor:
    return Floor(key, "must stay true", source, lambda v: v is not True)


def _at_most(key: str, limit: float, source: str) -> Floor:
    return Floor(key, f"at most {limit}", source, lambda v: v > limit)


def _at_least(key: str, limit: float, source: str) -> Floor:
    return Floor(key, f"at least {limit}", source, lambda v: v < limit)


# "HH:MM" texts compare as times once the validators have checked their form.
FLOORS: tuple[Floor, ...] = (
    _on("rules.call_window.enabled", CBA_GBT),
    Floor("rules.call_window.start", "not before 08:00", CBA_GBT, lambda v: v < "08:00"),
    Floor("rules.call_window.end", "not after 22:00", CBA_GBT, lambda v: v > "22:00"),
    _on("rules.daily_attempts.enabled", CBA),
    _at_most("rules.daily_attempts.max", 6, CBA),
    _on("rules.daily_conversations.enabled", GBT),
    _at_most("rules.daily_conversations.max", 3, GBT),
    _on("rules.third_party_not_allowed.enabled", CBA),
    _at_least("rules.third_party_not_allowed.failed_attempts", 3, CBA),
    _on("rules.do_not_call.enabled", GBT),
    _on("rules.note_scan.enabled", NOTES),
    # Masking: show at most the characters the defaults show.
    _at_most("masking.name.first", 1, MASKING),
    _at_most("masking.name.last", 0, MASKING),
    _at_most("masking.mobile.first", 3, MASKING),
    _at_most("masking.mobile.last", 4, MASKING),
    _at_most("masking.landline.first", 4, MASKING),
    _at_most("masking.landline.last", 2, MASKING),
    _at_most("masking.id_number.first", 1, MASKING),
    _at_most("masking.id_number.last", 4, MASKING),
    _at_most("masking.account.first", 0, MASKING),
    _at_most("masking.account.last", 4, MASKING),
    _at_most("masking.other.first_fraction", 0.34, MASKING),
    _at_most("masking.other.last_fraction", 0.33, MASKING),
)
# The note scan's phrase lists may grow, never lose a default phrase.
PHRASE_LISTS = ("threats", "insults", "disclosure", "unofficial_channels")


def _get(data: Mapping[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        node = node[part]
    return node


def breaches(data: Mapping[str, Any], defaults: Mapping[str, Any]) -> list[Breach]:
    """Every floor the merged policy ``data`` relaxes, in the order of ``FLOORS``, then the phrase lists."""
    found = [Breach(f.key, value, f.rule, f.source) for f in FLOORS if f.relaxes(value := _get(data, f.key))]
    for name in PHRASE_LISTS:  # compared as the note scan compares (a default written full-width still counts)
        key = f"rules.note_scan.{name}"
        have = {normalise(p) for p in _get(data, key)}
        missing = [p for p in _get(defaults, key) if normalise(p) not in have]
        if missing:
            rule = (
                f"must keep every default phrase (missing {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''})"
            )
            found.append(Breach(key, _get(data, key), rule, NOTES))
    return found


def floor_table() -> list[tuple[str, str, str]]:
    """(key, floor, source) for the docs: every floor, the phrase lists last."""
    rows = [(f.key, f.rule, f.source) for f in FLOORS]
    rows += [(f"rules.note_scan.{n}", "keeps every default phrase (more may be added)", NOTES) for n in PHRASE_LISTS]
    return rows
