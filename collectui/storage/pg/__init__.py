"""PostgreSQL behind the storage seam (docs/developer/storage-seam.md, "Adding PostgreSQL").

- ``pg.raw``: the raw connection the domain receives (``?`` / ``:name`` placeholders translated, the
  driver's errors raised as ``storage.raw``'s);
- ``pg.schema``: the tables from the same SQLModel metadata in SQLite's storage forms, the audit trigger;
- ``pg.database``: ``PgDatabase``, the ``Database`` of a ``postgresql://`` URL.

psycopg is imported only here and only when a PostgreSQL database is opened: a SQLite run never loads it.
"""
