"""How the faces word the domain's codes: gate rule names, coded states, ranking reasons, lists.

Light on purpose (no ORM, no Textual): the command line's ``queue`` uses it too, and must start quickly
(tests/storage/test_startup.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

T = Callable[..., str]


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
