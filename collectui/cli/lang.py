"""The command line's language: ``--lang``, then ``COLLECTUI_LANG``, then the locale, as in the TUI.

The texts come from the one catalogue (``collectui.tui.i18n``: ``{"key": ("中文", "English")}``), so a
message reads the same in the CLI and the app. The root callback sets the language once per run; commands
translate with ``t(key, **values)``. JSON keys and codes stay English whatever the language: they are for
programs. Table and CSV column headers are translated through ``field.<name>`` entries when there is one.
"""

from __future__ import annotations

from collections.abc import Iterable

from collectui.tui.i18n import Translator, detect_lang

_explicit: list[str | None] = [None]  # the run's --lang
_current: list[Translator] = []  # made on first use: a command that prints no text never loads the catalogue


def set_lang(explicit: str | None) -> None:
    """Remember the run's ``--lang`` (None: the environment and the locale decide, when a text is needed)."""
    _explicit[0] = explicit
    _current.clear()


def translator() -> Translator:
    if not _current:
        _current.append(Translator(detect_lang(_explicit[0])))
    return _current[0]


def lang() -> str:
    return translator().lang


def t(key: str, **values: object) -> str:
    return translator()(key, **values)


def header(column: str) -> str:
    """A column's header in the run's language: the ``field.<column>`` entry, else the column's own name."""
    key = f"field.{column}"
    text = t(key)
    return column if text == key else text


def headers(columns: Iterable[str], given: dict[str, str] | None = None) -> dict[str, str]:
    """Headers for ``columns``. In English a command's own wording (``given``) comes first; in Chinese the
    catalogue's ``field.<column>`` does (a command's wording is usually English), then ``given``, then the
    name; a command's wording already in Chinese (it came from the catalogue) comes first in Chinese too."""
    given = given or {}
    if lang() == "zh":
        return {
            c: given[c] if _chinese(given.get(c)) else header(c) if header(c) != c else given.get(c, c) for c in columns
        }
    return {c: given.get(c) or header(c) for c in columns}


def _chinese(text: str | None) -> bool:
    return bool(text) and any("\u3400" <= ch <= "\u9fff" for ch in text or "")
