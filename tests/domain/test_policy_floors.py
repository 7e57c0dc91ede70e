"""Floors: each one refused just past its edge, accepted at it, tightening always accepted; every breach named."""

from __future__ import annotations

import re

import pytest

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import DEFAULTS, Policy, policy_from_dict
from collectui.domain.policy_floors import FLOORS, PHRASE_LISTS, breaches, floor_table


def nested(dotted: str, value: object) -> dict:
    *parents, leaf = dotted.split(".")
    table: dict = {leaf: value}
    for part in reversed(parents):
        table = {part: table}
    return table


# (key, relaxed just past the floor, at the floor, tighter)
EDGES = [
    ("rules.call_window.start", "07:59", "08:00", "09:30"),
    ("rules.call_window.end", "22:01", "22:00", "20:00"),
    ("rules.daily_attempts.max", 7, 6, 2),
    ("rules.daily_conversations.max", 4, 3, 1),
    ("rules.third_party_not_allowed.failed_attempts", 2, 3, 5),
    ("masking.name.first", 2, 1, 0),
    ("masking.name.last", 1, 0, 0),
    ("masking.mobile.first", 4, 3, 0),
    ("masking.mobile.last", 5, 4, 2),
    ("masking.landline.first", 5, 4, 3),
    ("masking.landline.last", 3, 2, 0),
    ("masking.id_number.first", 2, 1, 0),
    ("masking.id_number.last", 5, 4, 1),
    ("masking.account.first", 1, 0, 0),
    ("masking.account.last", 5, 4, 2),
    ("masking.other.first_fraction", 0.35, 0.34, 0.2),
    ("masking.other.last_fraction", 0.34, 0.33, 0.1),
]
SWITCHES = [
    "rules.call_window.enabled",
    "rules.daily_attempts.enabled",
    "rules.daily_conversations.enabled",
    "rules.third_party_not_allowed.enabled",
    "rules.do_not_call.enabled",
    "rules.note_scan.enabled",
]


@pytest.mark.parametrize("key,relaxed,edge,tighter", EDGES, ids=[e[0] for e in EDGES])
def test_each_floor_at_its_edge(key, relaxed, edge, tighter):
    with pytest.raises(InvalidInput) as info:
        policy_from_dict(nested(key, relaxed), "p.toml")
    floor = next(f for f in FLOORS if f.key == key)
    shown = f'"{relaxed}"' if isinstance(relaxed, str) else repr(relaxed)
    assert info.value.problems == [f"{key} = {shown} relaxes a floor: {floor.rule} ({floor.source})"]
    assert str(info.value).startswith("p.toml: ")
    assert policy_from_dict(nested(key, edge))[key] == edge
    assert policy_from_dict(nested(key, tighter))[key] == tighter


@pytest.mark.parametrize("key", SWITCHES)
def test_rules_the_law_requires_stay_on(key):
    with pytest.raises(InvalidInput, match=re.escape(f"{key} = false relaxes a floor: must stay true")):
        policy_from_dict(nested(key, False))
    assert policy_from_dict(nested(key, True))[key] is True


@pytest.mark.parametrize("name", PHRASE_LISTS)
def test_note_scan_phrases_may_grow_never_shrink(name):
    key = f"rules.note_scan.{name}"
    defaults = Policy()[key]
    grown = policy_from_dict(nested(key, [*defaults, "新的说法"]))
    assert grown[key][-1] == "新的说法"
    # A default written full-width or with spaces is still that phrase (the scan normalises both).
    respelled = [p.upper().replace("", " ").strip() if p.isascii() else p for p in defaults]
    assert policy_from_dict(nested(key, respelled))[key] == respelled
    with pytest.raises(InvalidInput, match=re.escape(key) + r" = \[.* must keep every default phrase"):
        policy_from_dict(nested(key, defaults[1:]))


def test_every_breach_of_one_file_is_named():
    relaxed = {
        "rules": {
            "daily_attempts": {"enabled": False},
            "note_scan": {"enabled": False},
            "call_window": {"start": "07:00", "end": "23:00"},
        },
        "masking": {"mobile": {"first": 11}},
    }
    with pytest.raises(InvalidInput) as info:
        policy_from_dict(relaxed, "loose.toml")
    keys = [p.split(" = ")[0] for p in info.value.problems]
    assert keys == [
        "rules.call_window.start",
        "rules.call_window.end",
        "rules.daily_attempts.enabled",
        "rules.note_scan.enabled",
        "masking.mobile.first",
    ]
    assert all("relaxes a floor" in p and "(" in p for p in info.value.problems)


def test_the_defaults_sit_within_every_floor_and_each_floor_has_a_source():
    assert breaches(DEFAULTS, DEFAULTS) == []
    keys = {key for key, _, _ in floor_table()}
    for key in keys:  # every floor names a real policy key
        assert Policy()[key] is not None
    assert all(source for _, _, source in floor_table())


def test_only_code_may_switch_floors_off():
    # The gate's own tests pass floors=False to reach a switched-off rule; no file can.
    assert (
        policy_from_dict({"rules": {"call_window": {"enabled": False}}}, floors=False)["rules.call_window.enabled"]
        is False
    )
