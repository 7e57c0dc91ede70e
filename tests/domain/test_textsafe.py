"""textsafe: control characters, whole escape sequences and bidi overrides out; everything else kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectui.domain.textsafe import clean, clean_line, is_clean, show

UNSAFE = {chr(c) for c in range(32)} | {"\x7f"} | {chr(c) for c in range(0x80, 0xA0)}
UNSAFE |= set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三", "张三"),
        ("\x1b[2J张三", "张三"),  # the whole CSI sequence, not just ESC (no "[2J" left)
        ("a\x1b[38;5;196mred\x1b[0m", "ared"),
        ("a\x1b]0;title\x07b", "ab"),  # OSC with BEL
        ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # OSC 8 hyperlink with ST
        ("a\x9b2Jb", "ab"),  # 8-bit CSI
        ("a\x1bcb", "ab"),  # two-character escape (RIS)
        ("cod\u202egnp.exe", "codgnp.exe"),
        ("\u2066x\u2069", "x"),
        ("a\rb", "ab"),
        ("a\x00b\x07c\x85d", "abcd"),
        ("a\tb\nc", "abc"),
    ],
)
def test_clean(text, expected):
    assert clean(text) == expected


def test_line_feeds_and_tabs_kept_only_where_allowed():
    assert clean("a\r\nb\tc", newlines=True) == "a\nbc"
    assert clean("a\r\nb\tc", newlines=True, tabs=True) == "a\nb\tc"
    assert clean("a\tb", tabs=True) == "a\tb"


def test_clean_line_makes_one_line():
    assert clean_line("a\tb\r\nc\nd") == "a b c d"
    assert show(None) == "" and show(12) == "12" and show("x\x1b[2J") == "x"


def test_clean_text_is_returned_as_is():
    text = "客户说周一还款 1,234.50"
    assert clean(text) is text and is_clean(text)


@given(st.text())
def test_nothing_unsafe_survives(text):
    assert not set(clean(text)) & UNSAFE
    assert not set(clean(text, newlines=True)) & (UNSAFE - {"\n"})
    assert clean(clean(text)) == clean(text)  # idempotent


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf"))))
def test_printable_text_is_untouched(text):
    assert clean(text) == text
