"""The audit key: the secret the chain's HMAC is computed with, kept outside the database.

An operator who can write the database file can recompute a plain hash chain after editing it; without
the key they cannot recompute an HMAC chain. So the key never goes into the database:

- ``COLLECTUI_AUDIT_KEY`` (64 hex digits) when the service account's environment provides it, else
- the file ``<state dir>/keys/<db_id>.key`` (hex, mode 0600, folder 0700; ``collectui.paths.state_dir``).

``provision_key(db)`` creates the file (``collectui init`` calls it). A demo, practice or test database gets
its key on first use (``key_for`` with ``create=True``), so the demo builder and the test fixtures need no
step of their own; a production database never silently gets a new key: its writers refuse and ``audit
verify`` fails loudly until the key is back (docs/admin/audit.md: back the key file up with the database).

``meta.audit_key_check`` holds a short HMAC of a fixed text, so that a wrong key is named as such instead
of showing as every event being edited. It proves nothing by itself (an operator can change it).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from collectui.domain.errors import CollectError
from collectui.domain.said import Said, said
from collectui.paths import state_dir
from collectui.storage.engine import Database
from collectui.storage.kind import db_id_of, kind_of
from collectui.storage.raw import RawConnection

KEY_ENV = "COLLECTUI_AUDIT_KEY"
KEY_BYTES = 32
CHECK_KEY = "audit_key_check"  # meta: check_of(key), written with the first keyed event
_CHECK_TEXT = b"collectui audit key check"


class AuditKeyError(CollectError):
    """The audit key is missing or is not this database's: events cannot be written or verified."""


def key_path(db_id: str) -> Path:
    return state_dir() / "keys" / f"{db_id}.key"


@functools.cache
def check_of(key: bytes) -> str:
    return hmac.new(key, _CHECK_TEXT, hashlib.sha256).hexdigest()[:16]


def _parse(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise AuditKeyError(
            said("error.audit.key_not_hex", f"{where}: the audit key must be hex digits", where=where)
        ) from None
    if len(key) < 16:
        raise AuditKeyError(
            said("error.audit.key_short", f"{where}: the audit key is too short (at least 32 hex digits)", where=where)
        )
    return key


def _from_env() -> bytes | None:
    text = os.environ.get(KEY_ENV, "").strip()
    return _parse(text, KEY_ENV) if text else None


def _write_key_file(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    # O_EXCL: never replace a key (events made with it could no longer be verified).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(KEY_BYTES) + "\n")


def _read_key_file(path: Path) -> bytes | None:
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    return _parse(text, str(path))


# db_id -> key: the hot paths (one call = a few events) read the file once per process.
_cache: dict[str, bytes] = {}


def load_key(raw: RawConnection, create: bool = False) -> bytes | None:
    """This database's key (environment first, then the key file); None when there is none.

    ``create``: make the key file when there is none (callers pass it for non-production databases only).
    """
    env = _from_env()
    if env is not None:
        return env
    db_id = db_id_of(raw)
    cached = _cache.get(db_id)
    if cached is not None:
        return cached
    path = key_path(db_id)
    key = _read_key_file(path)
    if key is None and create:
        try:
            _write_key_file(path)
        except FileExistsError:  # another process made it first
            pass
        key = _read_key_file(path)
    if key is not None:
        _cache[db_id] = key
    return key


def forget_cached_keys() -> None:
    """Drop the per-process cache (tests that remove or replace a key file)."""
    _cache.clear()


def may_create_key(raw: RawConnection) -> bool:
    """Only a demo, practice or test database gets a key made for it on first use."""
    return kind_of(raw) != "production"


def missing_key_said(raw: RawConnection, key: str, tail: str) -> Said:
    """``missing_key_message`` and ``tail`` as one message (``key``: the catalogue entry, ``{path}`` in it)."""
    path = str(key_path(db_id_of(raw)))
    text = f"no audit key for this database: set {KEY_ENV} or restore the key file {path} (docs/admin/audit.md)"
    return said(key, text + tail, env=KEY_ENV, path=path)


def missing_key_message(raw: RawConnection) -> str:
    return (
        f"no audit key for this database: set {KEY_ENV} or restore the key file {key_path(db_id_of(raw))} "
        "(docs/admin/audit.md)"
    )


def provision_key(db: Database, raw: RawConnection | None = None) -> Path | None:
    """Create this database's key file unless it exists or ``COLLECTUI_AUDIT_KEY`` is set; its path (None: env).

    Idempotent: an existing key is kept, never replaced. ``raw``: a connection in the caller's write
    transaction (``init`` creates the schema and the first admin in one), read for the id instead of a
    transaction of its own, which would queue behind the caller's.
    """
    if _from_env() is not None:
        return None
    if raw is not None:
        path = key_path(db_id_of(raw))
    else:
        with db.raw_write() as own:  # db_id_of stamps an id on an older database that has none
            path = key_path(db_id_of(own))
    if not path.exists():
        try:
            _write_key_file(path)
        except FileExistsError:
            pass
    os.chmod(path, 0o600)
    return path
