"""Surrogate keys: ``id: int | None`` on a table model is None only before the row is flushed."""

from __future__ import annotations


def saved_id(row_id: int | None) -> int:
    """The id of a row read from the database or flushed to it (where it is never None)."""
    if row_id is None:
        raise ValueError("the row has no id yet: flush it first")
    return row_id
