"""What a database is for, and the marker that says a file is collectui's at all.

Every database collectui creates carries three ``meta`` facts, written in the transaction that creates
the schema: ``app`` (``collectui``: a file without it is another program's and is never taken over),
``db_id`` (a random id: sessions and the audit key are bound to it, and a backup keeps it) and ``kind``:

- ``production``: made by ``collectui init``; the rules bind fully (no clock override, no policy file);
- ``demo``: made by ``collectui demo``; ``practice``: a training sandbox;
- ``test``: made by code without a kind (the test suite's fixtures).

A database from before the marker has no ``kind``; it counts as production unless it is the demo.
"""

from __future__ import annotations

import uuid
from typing import Literal

from collectui.storage.raw import RawConnection, get_meta_raw, set_meta_raw

Kind = Literal["production", "demo", "practice", "test"]
KINDS: tuple[Kind, ...] = ("production", "demo", "practice", "test")
APP_MARKER = "collectui"
META_APP = "app"
META_DB_ID = "db_id"
META_KIND = "kind"


def stamp_new(raw: RawConnection, kind: Kind) -> None:
    """Mark a database being created (inside its creating transaction)."""
    if kind not in KINDS:
        raise ValueError(f"unknown database kind {kind!r}")
    set_meta_raw(raw, META_APP, APP_MARKER)
    set_meta_raw(raw, META_DB_ID, uuid.uuid4().hex)
    set_meta_raw(raw, META_KIND, kind)


def kind_of(raw: RawConnection) -> Kind:
    """The database's kind; unmarked databases are production unless they are the demo."""
    value = get_meta_raw(raw, META_KIND)
    for kind in KINDS:
        if value == kind:
            return kind
    return "demo" if get_meta_raw(raw, "demo") == "1" else "production"


def db_id_of(raw: RawConnection) -> str:
    """The database's id; an unmarked (older) database gets one now (the caller commits)."""
    value = get_meta_raw(raw, META_DB_ID)
    if value:
        return value
    value = uuid.uuid4().hex
    set_meta_raw(raw, META_DB_ID, value)
    return value


def rules_may_bend(kind: Kind) -> bool:
    """The clock override and a policy file on the command line are for demo, practice and tests only."""
    return kind != "production"
