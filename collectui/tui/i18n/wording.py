"""Strings of tui/wording.py: how items of a list are joined inside a sentence, and the work list's ranking
reasons (``worklist.reason.*``, said by collectui/domain/portfolio/ranking.py; the English of each, filled
with its values, is the domain's own wording: tests/tui/test_ranking_reasons.py checks it)."""

STRINGS = {
    # Items of a list inside a sentence: 、 in Chinese (an ASCII ", " reads as foreign there).
    "list.sep": ("、", ", "),
    # Between clauses that hold lists of their own.
    "list.sep.clauses": ("；", "; "),
    # The ranking's reasons: the English is the domain's own (portfolio/reasons.py REASONS).
    "worklist.reason.dpd": ("逾期 {dpd} 天：{points}", "DPD {dpd}: {points}"),
    "worklist.reason.dpd_capped": (
        "逾期 {dpd} 天（按上限 {cap} 天计）：{points}",
        "DPD {dpd} (capped at {cap}): {points}",
    ),
    "worklist.reason.overdue": ("逾期金额 {amount}：{points}", "overdue {amount}: {points}"),
    "worklist.reason.broken_one": ("毁诺 {n} 次：{points}", "{n} broken promise: {points}"),
    "worklist.reason.broken": ("毁诺 {n} 次：{points}", "{n} broken promises: {points}"),
    "worklist.reason.never_reached": ("从未联系上本人：{points}", "never reached: {points}"),
    "worklist.reason.since_reached": (
        "距上次联系上本人 {days} 天：{points}",
        "{days} days since last reached: {points}",
    ),
}
