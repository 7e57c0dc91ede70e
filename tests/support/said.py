"""Checks that a service error reads in the person's language: Chinese for ``zh``, its own English for ``en``."""

from __future__ import annotations

import re

from collectui.tui.i18n import Translator

_CJK = re.compile(r"[\u4e00-\u9fff]")


def in_both(exc: BaseException) -> str:
    """The error as a Chinese reader sees it, after checking it is a catalogued ``Said`` whose Chinese has
    Chinese words and whose English is exactly ``str(exc)`` (logs, JSON)."""
    said = getattr(exc, "said", None)
    assert said is not None, f"raised with plain text: {exc}"
    zh = Translator("zh").error(exc)
    assert _CJK.search(zh), zh
    assert zh != str(exc)
    assert Translator("en").error(exc) == str(exc)
    return zh
