"""The work list's ranking reasons are said by the domain (``portfolio.reasons``: key, values, English) and
translated from the catalogue; no regular expression reads English back.

Read from the source, every ``part("<code>", ...)`` of the ranking names a known reason with as many values
as it has names; every reason has a catalogue entry in both languages with the same placeholders, whose English is the
domain's own template and whose Chinese reads in Chinese; real scores read in Chinese whole, and a reason
stored as plain text (before the reasons were coded) is shown as it is."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from collectui.domain.policy import Policy
from collectui.domain.portfolio.ranking import RankInput, score, weights_from_policy
from collectui.domain.portfolio.reasons import PREFIX, REASONS, decode, encode
from collectui.tui.i18n import Translator, load_catalog, said_text

SOURCE = Path("collectui/domain/portfolio/ranking.py")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _part_calls() -> list[tuple[str, int, int]]:
    """(code, number of values, line) of every part("<code>", *values) in the ranking."""
    found = []
    for node in ast.walk(ast.parse(SOURCE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "part":
            code, *values = node.args
            assert isinstance(code, ast.Constant) and not node.keywords, f"{SOURCE}:{node.lineno}"
            found.append((code.value, len(values), node.lineno))
    return found


def test_every_reason_the_ranking_says_is_known_with_its_values():
    calls = _part_calls()
    assert {code for code, _, _ in calls} == set(REASONS)  # each said somewhere, nothing unknown
    for code, n, line in calls:
        assert n == len(REASONS[code].names), f"{SOURCE}:{line}"


def test_every_reason_key_has_both_languages_with_the_same_values():
    catalogue = load_catalog()
    for code, known in REASONS.items():
        zh, en = catalogue[PREFIX + code]
        assert en == known.english  # the catalogue's English is the domain's own wording
        assert _placeholders(zh) == set(known.names) == _placeholders(en), code
        assert CJK.search(zh), code


def test_real_scores_read_in_both_languages_and_survive_storage():
    weights = weights_from_policy(Policy())
    zh, en = Translator("zh"), Translator("en")
    cases = [
        RankInput(max_dpd=45, overdue_fen=999_900, broken_promises=1, days_since_contact=12),
        RankInput(max_dpd=400, overdue_fen=100, broken_promises=5),
    ]
    seen = set()
    for case in cases:
        scored = score(case, weights)
        said = scored.reasons
        stored = decode(encode(scored.parts))
        assert stored == said and [r.values for r in stored] == [r.values for r in said]
        for r in stored:
            seen.add(r.key)
            assert said_text(en, r) == en.said(r) == r.text
            chinese = said_text(zh, r)
            assert chinese == zh.said(r) and CJK.search(chinese) and chinese != r.text
    assert said_text(zh, score(cases[0], weights).reasons[0]) == "逾期 45 天：+45.00"
    assert "逾期 400 天（按上限 360 天计）：+360.00" in [said_text(zh, r) for r in score(cases[1], weights).reasons]
    assert seen == {PREFIX + code for code in REASONS}  # the two cases say every reason there is


def test_a_reason_stored_as_plain_text_is_shown_as_it_is():
    [old] = decode('["DPD 110: +110.00"]')
    assert said_text(Translator("zh"), old) == "DPD 110: +110.00" == Translator("zh").said(old)
