"""Strings of tui/wording.py: how items of a list are joined inside a sentence, and the work list's ranking
reasons (``worklist.reason.*``, said by collectui/domain/portfolio/ranking.py; the English of each, filled
with its values, is the domain's own wording: tests/tui/test_ranking_reasons.py checks it)."""

STRINGS = {
    # Items of a list inside a sentence: 、 in Chinese (an ASCII ", " reads as foreign there).
    "list.sep": ("、", ", "),
    # Between clauses that hold lists of their own.
    "list.sep.clauses": ("；", "; "),
}
