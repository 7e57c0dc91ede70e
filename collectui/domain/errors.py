"""Errors a face can show as one line. Services raise these; faces catch them and set the exit code."""

from __future__ import annotations


class CollectError(Exception):
    """Base: a message fit for the person at the keyboard."""

    exit_code = 1


class NotFound(CollectError):
    pass


class PermissionDenied(CollectError):
    pass


class InvalidInput(CollectError):
    """Bad input. ``problems`` holds each problem on its own (for a face that lists them); by default the message."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = problems if problems is not None else [message]


class UsageError(CollectError):
    exit_code = 2


class NotSignedIn(CollectError):
    """No valid login session or API token: the person must run `collectui login` (or the token is bad)."""

    exit_code = 4
