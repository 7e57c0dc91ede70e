"""Storage layer: the SQLite engine, the tables and their migrations. No business rules here."""

from collectui.storage.engine import Database

__all__ = ["Database"]
