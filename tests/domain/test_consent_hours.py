"""The borrower's agreed call hours as typed or imported: the normal form, and what is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectui.domain.calls.gate import consent_window
from collectui.domain.consent_hours import parse_consent_hours, runs_past_midnight


@pytest.mark.parametrize(
    "text, stored",
    [
        ("18:00-20:00", "18:00-20:00"),
        (" 8:30 - 12:00 ", "08:30-12:00"),
        ("20:00~09:00", "20:00-09:00"),
        ("１８：００～２０：００", "18:00-20:00"),
        ("07:30–21:00", "07:30-21:00"),
        ("22:00-24:00", "22:00-24:00"),
        ("00:00-06:00", "00:00-06:00"),
    ],
)
def test_accepted_spellings_are_stored_in_one_form(text, stored):
    assert parse_consent_hours(text) == stored
    assert consent_window(stored) == tuple(stored.split("-"))  # the gate reads what is stored


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "like 18:00-20:00"),
        ("18:00", "like 18:00-20:00"),
        ("18-20", "like 18:00-20:00"),
        ("18:00-20:00-21:00", "like 18:00-20:00"),
        ("24:00-06:00", "24:00 only as an end"),
        ("18:00-24:30", "24:00 only as an end"),
        ("18:75-20:00", "minutes 00-59"),
        ("09:00-9:00", "the same time"),
        ("00:00-24:00", "the same time"),
    ],
)
def test_refused_windows_say_what_was_expected(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_consent_hours(text)


def test_past_midnight():
    assert runs_past_midnight("20:00-09:00") and not runs_past_midnight("08:00-22:00")
    assert not runs_past_midnight("22:00-24:00")


@given(st.text(max_size=30))
def test_any_text_is_a_window_the_gate_reads_or_a_clear_refusal(text):
    try:
        stored = parse_consent_hours(text)
    except ValueError as exc:
        assert "like 18:00-20:00" in str(exc)
    else:
        assert consent_window(stored) is not None
