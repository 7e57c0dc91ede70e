"""Property tests of the note scan: width, case and spacing never hide a policy phrase."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from collectui.domain.conduct.notescan import normalise, scan
from collectui.domain.policy import Policy

RULES = Policy().data["rules"]["note_scan"]
PHRASES = [p for c in ("threats", "insults", "disclosure", "unofficial_channels") for p in RULES[c]]
FILLERS = st.sampled_from([" ", "\u3000", "\t", "\u200b", ".", "-", "_", "·"])


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# Around the phrase: any text but combining marks (a mark after "jail" makes another letter, not a disguise).
AROUND = st.text(alphabet=st.characters(exclude_categories=("Mn", "Mc", "Me", "Cs")), max_size=10)


@settings(max_examples=200, deadline=None)
@given(
    phrase=st.sampled_from(PHRASES),
    data=st.data(),
    prefix=AROUND,
    suffix=AROUND,
    full=st.booleans(),
    upper=st.booleans(),
)
def test_disguised_phrase_is_still_found(phrase, data, prefix, suffix, full, upper):
    disguised = ""
    for ch in phrase:
        disguised += ch + data.draw(st.lists(FILLERS, max_size=2).map("".join))
    if upper:
        disguised = disguised.upper()
    if full:
        disguised = to_full_width(disguised)
    hits = scan(prefix + disguised + suffix, RULES)
    assert phrase in [h.phrase for h in hits]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_normalise_is_idempotent_and_has_no_spaces(text):
    once = normalise(text)
    assert normalise(once) == once
    assert not any(c.isspace() for c in once)
