"""The [sms] policy section and rules.sms_notice: defaults, and bad values named by key."""

from __future__ import annotations

import pytest

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy, policy_from_dict


def test_defaults():
    p = Policy()
    assert (
        p["sms.gateway"],
        p["sms.window"],
        p["sms.resend_days"],
        p["sms.segment_chars"],
        p["sms.max_segments"],
        p["sms.cycle_gap_days"],
    ) == ("file", "08:00-20:00", 3, 70, 2, 7)
    assert p["sms.http.max_attempts"] == 5 and p["sms.file.outbox"] == "sms-outbox"


@pytest.mark.parametrize(
    "override, named",
    [
        ({"sms": {"gateway": "smtp"}}, "sms.gateway"),
        ({"sms": {"window": "8-20"}}, "sms.window"),
        ({"sms": {"window": "20:00-08:00"}}, "sms.window"),
        ({"sms": {"window": "08:00-25:00"}}, "sms.window"),
        ({"sms": {"resend_days": -1}}, "sms.resend_days"),
        ({"sms": {"segment_chars": 0}}, "sms.segment_chars"),
        ({"sms": {"templates": {"zh": "  "}}}, "sms.templates.zh"),
        ({"sms": {"templates": {"fr": "x"}}}, "sms.templates.fr"),
        ({"sms": {"http": {"url": "ftp://x"}}}, "sms.http.url"),
        ({"sms": {"http": {"timeout_s": 0}}}, "sms.http.timeout_s"),
        ({"sms": {"http": {"max_attempts": 0}}}, "sms.http.max_attempts"),
        ({"sms": {"http": {"max_attempts": "5"}}}, "sms.http.max_attempts"),
        ({"rules": {"sms_notice": {"max_age_days": 0}}}, "rules.sms_notice.max_age_days"),
        ({"rules": {"sms_notice": {"min_lead_hours": 72}}}, "rules.sms_notice"),
    ],
)
def test_bad_values_are_named(override, named):
    with pytest.raises(InvalidInput, match=named.replace(".", r"\.")):
        policy_from_dict(override)


def test_window_may_end_at_midnight_and_ints_pass_for_floats():
    p = policy_from_dict(
        {"sms": {"window": "09:30-24:00", "http": {"timeout_s": 2}}, "rules": {"sms_notice": {"min_lead_hours": 2}}}
    )
    assert p["sms.http.timeout_s"] == 2.0 and p["rules.sms_notice.min_lead_hours"] == 2.0
