"""Translations for the TUI. Each feature owns one catalog module here, ``<feature>.py``, holding
``STRINGS = {"key": ("中文", "English")}``; ``load_catalog`` merges them all, so adding a feature's
strings never touches another feature's file.
"""

from __future__ import annotations

import importlib
import locale
import os
import pkgutil
from collections.abc import Callable
from functools import lru_cache

from collectui.domain.said import Said

LANGS = ("zh", "en")


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        strings = getattr(module, "STRINGS", None)
        if isinstance(strings, dict):
            merged.update(strings)
    return merged


def normalise_lang(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower().replace("-", "_")
    if value.startswith("zh"):
        return "zh"
    if value.startswith("en"):
        return "en"
    return None


def detect_lang(explicit: str | None = None, environ: dict | None = None) -> str:
    """``--lang`` first, then ``COLLECTUI_LANG``, then the locale; English when nothing says Chinese."""
    env = os.environ if environ is None else environ
    for candidate in (explicit, env.get("COLLECTUI_LANG")):
        lang = normalise_lang(candidate)
        if lang:
            return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var)
        if value:
            return normalise_lang(value) or "en"
    if environ is None:
        try:
            return normalise_lang(locale.getlocale()[0]) or "en"
        except ValueError:
            pass
    return "en"


def said_text(t: Callable[..., str], message: Said) -> str:
    """A domain message in ``t``'s language, from the catalogue; its English wording when the catalogue lacks
    the key (a test fails then, or it is a stored text from before the message was coded, but a person still
    reads something true). A value may itself be a Said (a permission's name, a role): it is said in this
    language too; a list of them (several problems in one line) is joined as the language joins clauses."""
    values = {k: _value_text(t, v) for k, v in message.values.items()}
    text = t(message.key, **values)
    return message.text if not message.key or text == message.key else text


def _value_text(t: Callable[..., str], value: object) -> object:
    if isinstance(value, Said):
        return said_text(t, value)
    if isinstance(value, list | tuple):
        return t("list.sep.clauses").join(str(_value_text(t, v)) for v in value)
    return value


class Translator:
    def __init__(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}")
        self.lang = lang
        self._index = LANGS.index(lang)
        self._catalog = load_catalog()

    def __call__(self, key: str, **kw: object) -> str:
        pair = self._catalog.get(key)
        text = pair[self._index] if pair else key
        return text.format(**kw) if kw else text

    def said(self, message: Said) -> str:
        """A domain message in this language (``said_text``)."""
        return said_text(self, message)

    def error(self, exc: BaseException) -> str:
        """A service error as the person reads it: its ``Said`` translated, else its text."""
        message = getattr(exc, "said", None)
        return self.said(message) if isinstance(message, Said) else str(exc)

    def problems(self, exc: BaseException) -> list[str]:
        """Each problem of an ``InvalidInput`` (its one message for another error) in this language."""
        given = getattr(exc, "said_problems", None)
        if given is None:
            return [self.error(exc)]
        return [self.said(p) if isinstance(p, Said) else str(p) for p in given]
