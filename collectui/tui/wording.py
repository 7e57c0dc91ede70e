"""How the faces word the domain's codes: gate rule names, coded states, ranking reasons.

Light on purpose (no ORM, no Textual): the command line's ``queue`` uses it too, and must start quickly
(tests/storage/test_startup.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

T = Callable[..., str]

# The ranking's reasons (``portfolio.ranking``) are stored as English lines in ``work_item.reasons``; these
# patterns give their Chinese.
_REASONS_ZH = (
    (re.compile(r"^DPD (\d+) \(capped at (\d+)\): (.*)$"), "逾期 {0} 天（上限 {1}）：{2}"),
    (re.compile(r"^DPD (\d+): (.*)$"), "逾期 {0} 天：{1}"),
    (re.compile(r"^overdue (\S+): (.*)$"), "逾期金额 {0}：{1}"),
    (re.compile(r"^(\d+) broken promises?: (.*)$"), "毁诺 {0} 次：{1}"),
    (re.compile(r"^never reached: (.*)$"), "从未联系上：{0}"),
    (re.compile(r"^(\d+) days since last reached: (.*)$"), "距上次联系上 {0} 天：{1}"),
)


def reason_text(reason: str, lang: str) -> str:
    """A ranking reason in ``lang`` (unknown lines are shown as they are)."""
    if lang != "zh":
        return reason
    for pattern, template in _REASONS_ZH:
        found = pattern.match(reason)
        if found:
            return template.format(*found.groups())
    return reason


def listed(t: T, items: Iterable[str]) -> str:
    """Items of a list inside a sentence: joined by "、" in Chinese, ", " in English (``list.sep``)."""
    return t("list.sep").join(items)


def tr(t: T, prefix: str, code: str | None) -> str:
    """A coded state's word (``<prefix>.<code>``), the code itself when the catalogue has none, "—" for none."""
    if not code:
        return "—"
    text = t(f"{prefix}.{code}")
    return code if text == f"{prefix}.{code}" else text


def rule_name(t: T, code: str | None) -> str:
    """A gate rule's short name for the list (``wl.flag.<id>``), else its long one (``rule.<id>``), else the id."""
    if not code:
        return t("wl.flag.blocked")
    for key in (f"wl.flag.{code}", f"rule.{code}"):
        text = t(key)
        if text != key:
            return text
    return code
