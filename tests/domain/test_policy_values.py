"""Validation of a policy: type, range and sense of every key; files that are no policy refused in
one line; a hypothesis fuzz of both the validator and the file reader."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import DEFAULTS, VALIDATORS, Policy, load_policy, policy_from_dict
from collectui.domain.policy_floors import breaches
from collectui.domain.policy_text import MAX_POLICY_BYTES, decode_policy, parse_policy
from collectui.domain.policy_values import MAX_ABS_NUMBER


def leaves(node: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in node.items():
        if isinstance(value, Mapping):
            yield from leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def nested(dotted: str, value: object) -> dict:
    *parents, leaf = dotted.split(".")
    table: dict = {leaf: value}
    for part in reversed(parents):
        table = {part: table}
    return table


def problems_of(override: dict) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        policy_from_dict(override)
    return info.value.problems


def test_every_key_but_the_switches_has_its_own_check():
    missing = [key for key, value in leaves(DEFAULTS) if not isinstance(value, bool) and key not in VALIDATORS]
    assert missing == [], "add a validator (collectui/domain/policy_values.py) for each"
    assert set(VALIDATORS) <= {key for key, _ in leaves(DEFAULTS)}


@pytest.mark.parametrize(
    "key,value,needle",
    [
        ("ranking.dpd_points_per_day", 1e308, "out of range"),
        ("ranking.dpd_points_per_day", math.inf, "must be a finite number"),
        ("ranking.broken_promise_points", math.nan, "must be a finite number"),
        ("ranking.amount_points_per_tenfold", 1000.5, "must be at most 1000"),
        ("ranking.never_contacted_points", -1, "must not be negative"),
        ("ranking.dpd_cap_days", 0, "must be at least 1"),
        ("masking.mobile.first", -1, "must not be negative"),
        ("masking.id_number.last", -4, "must not be negative"),
        ("masking.other.first_fraction", -0.1, "must not be negative"),
        ("promises.horizon_days", 10**20, "out of range"),
        ("sessions.idle_minutes", 10**6, "must be at most 1440"),
        ("sms.http.timeout_s", 0, "must be above 0"),
        ("sms.max_segments", 21, "must be at most 20"),
        ("sms.window", "8-20", "expected 'HH:MM-HH:MM'"),
        ("rules.call_window.end", "21:5", "expected a time HH:MM"),
        ("rules.call_window.start", "25:00", "expected a time HH:MM"),
        ("bank_name", "  ", "must not be empty"),
        ("bank_name", "银行\x1b[2J", "control characters"),
        ("hotline", "x" * 41, "at most 40 characters"),
        ("sms.templates.zh", "{bank}\u202e", "control characters"),
        ("sms.http.url", "http://", "http:// or https://"),
        ("timezone", "Mars/Olympus", "unknown time zone"),
        ("rules.note_scan.threats", [*DEFAULTS["rules"]["note_scan"]["threats"], "-- .."], "non-empty text"),
        ("rules.vulnerable_senior_only.roles", ["boss"], "unknown role"),
        ("complaints.hold_about", ["everything"], "unknown item"),
    ],
)
def test_range_and_sense_named_by_key(key, value, needle):
    problems = problems_of(nested(key, value))
    assert any(p.startswith(f"{key}: ") and needle in p for p in problems), problems


@pytest.mark.parametrize(
    "override,needle",
    [
        ({"complaints": {"due_days": 20, "extended_days": 10}}, "extended_days 10 must not be before due_days 20"),
        ({"sms": {"gateway": "http"}}, "sms.http.url: needed"),
        ({"masking": {"other": {"first_fraction": 0.3, "last_fraction": 0.3}}}, None),
        ({"rules": {"call_window": {"start": "21:00", "end": "09:00"}}}, "must be before end"),
    ],
)
def test_sense_across_keys(override, needle):
    if needle is None:
        policy_from_dict(override)
    else:
        assert any(needle in p for p in problems_of(override))


@pytest.mark.parametrize("outbox", ["/etc", "/etc/collectui", "/", "/usr/local/outbox", "../../etc", "/proc/self"])
def test_outbox_never_a_system_folder(outbox):
    assert any(p.startswith("sms.file.outbox: ") for p in problems_of({"sms": {"file": {"outbox": outbox}}}))


def test_outbox_a_folder_collectui_may_write(tmp_path):
    a_file = tmp_path / "f.txt"
    a_file.write_text("x")
    assert "is a file" in problems_of({"sms": {"file": {"outbox": str(a_file)}}})[0]
    for ok in (str(tmp_path), str(tmp_path / "new" / "outbox"), "sms-outbox", "batches/sms"):
        assert policy_from_dict({"sms": {"file": {"outbox": ok}}})["sms.file.outbox"] == ok
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert "not writable" in problems_of({"sms": {"file": {"outbox": str(locked)}}})[0]


# --- files that are not a policy: one line each ---


def test_binary_file_refused_in_one_line(tmp_path):
    path = tmp_path / "p.toml"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    with pytest.raises(InvalidInput) as info:
        load_policy(path)
    assert str(info.value) == f"{path}: a binary file, not a TOML policy"


def test_non_utf8_file_refused_in_one_line(tmp_path):
    path = tmp_path / "p.toml"
    path.write_bytes('bank_name = "农商银行"\n'.encode("gb18030"))
    with pytest.raises(InvalidInput) as info:
        load_policy(path)
    assert "not UTF-8 text (byte 0x" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("text", ["a = " + "[" * 10_000 + "]" * 10_000, "a = " + "{b = " * 5_000 + "1" + "}" * 5_000])
def test_deep_nesting_refused_in_one_line(tmp_path, text):
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_policy(path)
    assert "nested too deeply" in str(info.value) or "not valid TOML" in str(info.value)
    assert "\n" not in str(info.value)


def test_toml_errors_say_line_and_column_and_other_refusals(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('bank_name = "x"\n[rules\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"not valid TOML: .*line 2, column 7"):
        load_policy(path)
    with pytest.raises(InvalidInput, match="no such file"):
        load_policy(tmp_path / "missing.toml")
    with pytest.raises(InvalidInput, match="a folder"):
        load_policy(tmp_path)
    path.write_bytes(b"# x\n" * (MAX_POLICY_BYTES // 4 + 1))
    with pytest.raises(InvalidInput, match="larger than"):
        load_policy(path)
    path.write_bytes("\ufeff[promises]\ngrace_days = 1\n".encode())  # a byte-order mark (Windows editors)
    assert load_policy(path)["promises.grace_days"] == 1


# --- the fuzz ---

_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["08:00", "22:00", "24:00", "09:00-17:00", "http://x", "/etc", "Asia/Shanghai", "file", "http"]),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=12)
_KEYS = [key for key, _ in leaves(DEFAULTS)] + ["ranking.bogus", "rules.curfew.enabled", "sms"]


@st.composite
def overrides(draw: st.DrawFn) -> dict:
    table: dict = {}
    for key in draw(st.lists(st.sampled_from(_KEYS), max_size=8)):
        node = table
        *parents, leaf = key.split(".")
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node[leaf] = draw(_values)
    return table


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides())
def test_fuzz_the_validator_accepts_only_sane_policies(override):
    try:
        policy = policy_from_dict(override)
    except InvalidInput as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    assert isinstance(policy, Policy)
    assert breaches(policy.data, DEFAULTS) == []
    for key, value in leaves(policy.data):
        assert type(value) is type(Policy()[key]), key
        if isinstance(value, int | float) and not isinstance(value, bool):
            assert math.isfinite(value) and abs(value) <= MAX_ABS_NUMBER, key
            assert value >= 0, key  # no policy number is negative
    Policy(policy.data).tz  # noqa: B018 - the zone resolves


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_the_file_reader_never_fails_but_in_one_line(data):
    try:
        parse_policy(decode_policy(data, "f.toml"), "f.toml")
    except InvalidInput as exc:
        assert str(exc).startswith("f.toml: ") and "\n" not in str(exc).rstrip("\n")
