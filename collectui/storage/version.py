"""The schema version this collectui writes (``migrations.SCHEMA_VERSION + len(migrations.STEPS)``).

Kept apart from ``migrations`` so that opening an up-to-date database needs no ORM import; a test keeps the
two equal.
"""

LATEST_VERSION = 5
