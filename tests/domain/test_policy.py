"""The policy: defaults of the [rules] section, impossible values named by key, partial files."""

from __future__ import annotations

import json

import pytest

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy, load_policy, policy_from_dict

GATE_RULES = (
    "call_window",
    "daily_attempts",
    "daily_conversations",
    "do_not_call",
    "dispute_hold",
    "complaint_hold",
    "promise_pending",
    "third_party_not_allowed",
    "vulnerable_senior_only",
    "sms_notice",
    "in_call",
    "cycle_interval",
)


def test_defaults_and_their_figures():
    rules = Policy().data["rules"]
    assert all(rules[r]["enabled"] in (True, False) for r in GATE_RULES)
    assert (rules["call_window"]["start"], rules["call_window"]["end"]) == ("08:00", "22:00")
    assert rules["daily_attempts"]["max"] == 6 and rules["daily_conversations"]["max"] == 3
    assert rules["third_party_not_allowed"]["failed_attempts"] == 3
    assert rules["cycle_interval"]["days"] == 7
    for phrase in ("坐牢", "通知你单位", "爆通讯录", "转到我个人账户", "jail"):
        assert any(phrase in rules["note_scan"][c] for c in rules["note_scan"] if c != "enabled")


@pytest.mark.parametrize(
    "override,needle",
    [
        ({"call_window": {"start": "8:00"}}, "rules.call_window.start: expected a time HH:MM"),
        ({"call_window": {"end": "22:60"}}, "rules.call_window.end"),
        ({"call_window": {"start": "22:00"}}, "start 22:00 must be before end 22:00"),
        ({"call_window": {"start": "23:00", "end": "07:00"}}, "must be before end"),
        ({"daily_attempts": {"max": -1}}, "rules.daily_attempts.max: must not be negative"),
        ({"daily_conversations": {"max": "3"}}, "rules.daily_conversations.max: expected integer"),
        ({"third_party_not_allowed": {"failed_attempts": 0}}, "must be at least 1"),
        ({"vulnerable_senior_only": {"roles": ["boss"]}}, "unknown role 'boss'"),
        ({"in_call": {"minutes": -5}}, "rules.in_call.minutes"),
        ({"note_scan": {"threats": ["坐牢", "  "]}}, "every phrase must be non-empty"),
        ({"note_scan": {"threats": "坐牢"}}, "expected array"),
        ({"call_window": {"enabled": "yes"}}, "expected boolean"),
        ({"curfew": {"enabled": True}}, "rules.curfew: unknown key"),
    ],
)
def test_impossible_values_rejected(override, needle):
    with pytest.raises(InvalidInput) as info:
        policy_from_dict({"rules": override})
    assert needle in str(info.value)


def test_a_file_may_hold_only_the_keys_it_changes(tmp_path):
    path = tmp_path / "p.toml"
    insults = [*Policy()["rules.note_scan.insults"], "混蛋"]  # phrases may be added, never removed (a floor)
    path.write_text(
        f"[rules.daily_attempts]\nmax = 4\n[rules.note_scan]\ninsults = {json.dumps(insults, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    policy = load_policy(path)
    assert policy["rules.daily_attempts.max"] == 4 and policy["rules.daily_attempts.enabled"] is True
    assert policy["rules.call_window.end"] == "22:00"
    assert policy["rules.note_scan.insults"] == insults


def test_policy_errors_name_the_key(tmp_path):
    p = tmp_path / "policy.toml"
    p.write_text('[ranking]\ndpd_points_per_day = "x"\nbogus = 1\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_policy(p)
    assert "ranking.dpd_points_per_day: expected number" in str(exc.value)
    assert "ranking.bogus: unknown key" in str(exc.value)
    p.write_text("[promises]\ngrace_days = 5\n", encoding="utf-8")
    assert load_policy(p)["promises.grace_days"] == 5
    assert load_policy(p)["promises.horizon_days"] == 30
