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
    pass


class UsageError(CollectError):
    exit_code = 2
