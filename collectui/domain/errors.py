"""Errors a face can show as one line. Services raise these; faces catch them and set the exit code.

A service says what went wrong as a ``Said`` (``domain.said``): a catalogue key, its values and the English
wording. ``str(exc)`` is the English (logs, JSON, the audit trail); a face shows ``exc.said`` in the
person's language (``Translator.error``). A plain string is still accepted, for text that is already the
person's own (a parser's column name, a file's path) and is shown as it is in both languages.
"""

from __future__ import annotations

from collections.abc import Sequence

from collectui.domain.said import Said


class CollectError(Exception):
    """Base: a message fit for the person at the keyboard."""

    exit_code = 1

    def __init__(self, message: str | Said = "") -> None:
        self.said: Said | None = message if isinstance(message, Said) else None
        super().__init__(message.text if isinstance(message, Said) else message)


class NotFound(CollectError):
    pass


class PermissionDenied(CollectError):
    pass


class InvalidInput(CollectError):
    """Bad input. ``problems`` holds each problem on its own (for a face that lists them); by default the message.

    A problem may be a ``Said``: ``problems`` keeps the English of each (logs, JSON), ``said_problems`` the
    problems as given, for a face to show in the person's language (``Translator.problems``)."""

    def __init__(self, message: str | Said, problems: Sequence[str | Said] | None = None) -> None:
        super().__init__(message)
        given: list[str | Said] = list(problems) if problems is not None else [self.said or str(self)]
        self.said_problems: list[str | Said] = given
        self.problems: list[str] = [str(p) for p in given]


class UsageError(CollectError):
    exit_code = 2


class NotSignedIn(CollectError):
    """No valid login session or API token: the person must run `collectui login` (or the token is bad)."""

    exit_code = 4
