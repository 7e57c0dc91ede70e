"""Storage layer: the engine (SQLite today), its SQL dialect and bulk paths, the tables and their migrations.

The only package that knows the database driver (docs/developer/storage-seam.md). No business rules here."""

from collectui.storage.engine import Database

__all__ = ["Database"]
