"""Trained staff for the tests: a recorded certification for accounts a fixture creates.

The gate's ``certified`` rule is on by default and refuses calls by staff nobody certified. The staff the
fixtures create stand for trained staff (the tests are about something else), so the helpers that create
them record a certification dated ``TRAINED_DAYS_AGO`` days before the fixture's day: valid well before and
after the days the tests move their clocks to. Tests of the rule itself create their staff without it.
"""

from __future__ import annotations

from datetime import date, timedelta

from collectui.storage.raw import raw_of

TRAINED_DAYS_AGO = 180
REASON = "trained staff (test fixture)"

_SQL = (
    "INSERT INTO certification (user_id, certified_on, source, reason, by_user_id, recorded_at) "
    "SELECT id, ?, 'recorded', ?, NULL, ? FROM staff_user WHERE id NOT IN (SELECT user_id FROM certification)"
)
_ONE = (
    "INSERT INTO certification (user_id, certified_on, source, reason, by_user_id, recorded_at) "
    "SELECT id, ?, 'recorded', ?, NULL, ? FROM staff_user WHERE username = ?"
)


def _params(today: date) -> tuple[str, str, str]:
    day = today - timedelta(days=TRAINED_DAYS_AGO)
    return day.isoformat(), REASON, f"{day.isoformat()}T00:00:00.000000+00:00"


def certify_all(conn, today: date) -> None:
    """On an open connection (raw sqlite3, or an ORM ``Session``): certify every account not yet certified."""
    _run(conn, _SQL, _params(today))


def certify(conn, today: date, username: str) -> None:
    """Certify one account (by username) on an open connection."""
    _run(conn, _ONE, (*_params(today), username))


def certify_in(ctx, username: str | None = None) -> None:
    """In a transaction of its own on ``ctx``: one account, or every account not yet certified."""
    with ctx.db.raw_write() as raw:
        if username is None:
            certify_all(raw, ctx.clock.today())
        else:
            certify(raw, ctx.clock.today(), username)


def _run(conn, sql: str, params: tuple) -> None:
    # An ORM session: its raw connection, in its transaction (on PostgreSQL the wrapper that reads ``?``).
    raw, _ = raw_of(conn)
    raw.execute(sql, params)
