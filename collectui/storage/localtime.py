"""The reports' local-time SQL functions on PostgreSQL: ``local_date``, ``local_week``, ``date_week``.

The reports group calls by the bank's local day and ISO week, in the zone of the clock (``Ctx.clock.tz``),
while the database holds UTC text (``storage.timefmt``). SQLite has no time zones, so there the functions
are Python callables installed on each connection (``storage.raw.install_local_time``). PostgreSQL has
the zones, so there they are SQL functions created once with the schema (``create_functions``), and the
zone is a setting of the session (``use_zone``) that they read: one definition serves every zone, and a
connection's zone is whatever its report asked for last.

The functions mean what SQLite's do (``tests/storage/test_seam.py`` runs the same inputs on both):
- ``local_date(utc_text)``: the ISO date (``YYYY-MM-DD``) of that instant in the zone;
- ``local_week(utc_text)``: its ISO week, ``YYYY-Www`` (``storage.timefmt.iso_week``);
- ``date_week(iso_date)``: the ISO week of a date;
NULL gives NULL. They are plain SQL functions, so the planner inlines them into the report's query.
A session that never set the zone gets an error naming ``collectui.tz``, never a day in the wrong zone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from collectui.storage.raw import RawConnection

ZONE_SETTING: Final = "collectui.tz"

# ``CAST(t AS timestamptz)`` reads the UTC offset the stored text carries; ``AT TIME ZONE`` then gives the
# wall-clock time in the bank's zone. STABLE, not IMMUTABLE: the answer depends on a setting.
_LOCAL = f"(CAST(t AS TIMESTAMPTZ) AT TIME ZONE current_setting('{ZONE_SETTING}'))"
_WEEK = "'IYYY-\"W\"IW'"  # ISO year, a literal W, ISO week with two digits

FUNCTIONS: Final = (
    f"""CREATE OR REPLACE FUNCTION local_date(t TEXT) RETURNS TEXT
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT CAST(CAST({_LOCAL} AS DATE) AS TEXT) $$""",
    f"""CREATE OR REPLACE FUNCTION local_week(t TEXT) RETURNS TEXT
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT to_char({_LOCAL}, {_WEEK}) $$""",
    f"""CREATE OR REPLACE FUNCTION date_week(d TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT to_char(CAST(d AS DATE), {_WEEK}) $$""",
)


def create_functions(conn: RawConnection) -> None:
    """Create (or replace) the three functions in the database's schema: with the schema, once."""
    for sql in FUNCTIONS:
        conn.execute(sql)


def use_zone(conn: RawConnection, tz: ZoneInfo) -> None:
    """Make the functions on ``conn`` answer in ``tz`` (for the session: a read transaction's end does not
    undo it, and the next report sets its own)."""
    conn.execute("SELECT set_config(?, ?, false)", (ZONE_SETTING, tz.key))
