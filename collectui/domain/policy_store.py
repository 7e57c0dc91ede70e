"""Policy versions in the database: the policy in force, applying a new one (admins), the history.

The database holds the policy, not a file beside it, so that every branch PC on the same database works
under the same rules and nobody changes them by editing a file: ``collectui policy apply FILE --reason T``
stores the file's text as a new version (who, when, why, its SHA-256) after the same checks as ``policy
check``, floors included. The newest version is in force; version 0 is the built-in defaults (nothing
applied yet). Every check, call, refusal and SMS event records the version it ran under (``Ctx.policy_version``).

A policy file given with ``--policy`` on a demo, practice or test database is not stored: it runs as
``FILE_VERSION``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy, policy_from_text
from collectui.domain.policy_values import bounded
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.storage.engine import Database
from collectui.storage.raw import RawConnection, driver_connection, table_columns
from collectui.storage.timefmt import utc_text

DEFAULTS_VERSION = 0  # nothing applied: the built-in defaults
FILE_VERSION = -1  # a --policy file on a demo, practice or test database (never stored)
MAX_REASON = 500
SHORT_HASH = 12  # the SHA-256 prefix `policy apply` and `policy history` show
_COLUMNS = "version, content, sha256, applied_by, applied_at, reason"


@dataclass(frozen=True)
class StoredPolicy:
    version: int
    content: str  # the TOML text as applied
    sha256: str
    applied_by: str
    applied_at: datetime  # aware, UTC as stored
    reason: str


class StoredPolicyInvalid(InvalidInput):
    """The version in force fails this program's checks (a floor tightened by an upgrade, an edited row)."""


def sha256_of(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _row(r: Any) -> StoredPolicy:
    at = r[4] if isinstance(r[4], datetime) else datetime.fromisoformat(str(r[4]))
    return StoredPolicy(int(r[0]), str(r[1]), str(r[2]), str(r[3]), at, str(r[5]))


def _rows(raw: RawConnection, where: str = "", args: tuple[Any, ...] = (), desc: bool = False) -> list[StoredPolicy]:
    # A database made before policy versions has no table yet (its migration adds it): nothing applied.
    if not table_columns(raw, "policy_version"):
        return []
    order = "DESC" if desc else "ASC"
    sql = f"SELECT {_COLUMNS} FROM policy_version {where} ORDER BY version {order}"
    return [_row(r) for r in raw.execute(sql, args).fetchall()]


def latest(db: Database) -> StoredPolicy | None:
    with db.raw_read() as raw:
        rows = _rows(raw, "WHERE version = (SELECT MAX(version) FROM policy_version)")
    return rows[0] if rows else None


def version(db: Database, number: int) -> StoredPolicy | None:
    with db.raw_read() as raw:
        rows = _rows(raw, "WHERE version = ?", (number,))
    return rows[0] if rows else None


def history(db: Database) -> list[StoredPolicy]:
    """Every applied version, oldest first."""
    with db.raw_read() as raw:
        return _rows(raw)


def applied_between(raw: RawConnection, start_utc: str, end_utc: str) -> list[StoredPolicy]:
    """Versions applied in [start, end) (stored UTC text, ``timefmt.utc_text``), oldest first: for the
    compliance report."""
    return _rows(raw, "WHERE applied_at >= ? AND applied_at < ?", (start_utc, end_utc))


def policy_of(stored: StoredPolicy) -> Policy:
    """The merged policy of a stored version, checked again (this program's floors may be stricter)."""
    try:
        # Not the files it names (policy.FILE_CHECKS): checked when applied, and again where they are used.
        return policy_from_text(stored.content, f"policy version {stored.version}", files=False)
    except InvalidInput as exc:
        raise StoredPolicyInvalid(
            said(
                "error.policy.stored_invalid",
                f"{exc}. Apply a corrected policy with `collectui policy apply FILE --reason ...`",
                refusal=exc.said or str(exc),
            ),
            exc.said_problems,
        ) from None


def active_policy(db: Database) -> tuple[Policy, int]:
    """The policy in force and its version (the defaults and 0 when none was applied)."""
    stored = latest(db)
    if stored is None:
        return Policy(), DEFAULTS_VERSION
    return policy_of(stored), stored.version


def check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            said("error.policy.reason_missing", "--reason: say why the policy changes (it is kept with the version)")
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            said("error.policy.reason_long", f"--reason: at most {MAX_REASON} characters", most=MAX_REASON)
        )
    problem = bounded(reason)
    if problem:
        raise InvalidInput(said("error.policy.reason_bad", f"--reason: {problem}", problem=problem))
    return reason


def _leaves(node: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in node.items():
        if isinstance(value, Mapping):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def changed_keys(before: Policy, after: Policy) -> list[str]:
    """The dotted keys whose merged values differ."""
    old = dict(_leaves(before.data))
    return [key for key, value in _leaves(after.data) if old.get(key) != value]


def apply_policy(ctx: Ctx, actor: Actor, content: str, reason: str, source: str) -> StoredPolicy:
    """Store ``content`` as the next version (admins only: ``policy.apply``) and audit it.

    Refused, storing nothing, unless it passes every check ``policy check`` makes, floors included.
    """
    from collectui.domain.staff.permissions import authorize

    authorize(ctx, actor, "policy.apply")
    reason = check_reason(reason)
    new = policy_from_text(content, source)
    digest = sha256_of(content)
    with ctx.db.write() as s:
        raw = driver_connection(s)
        previous = _rows(raw, "WHERE version = (SELECT MAX(version) FROM policy_version)")
        if previous and previous[0].content == content and previous[0].sha256 == digest:
            raise InvalidInput(
                said(
                    "error.policy.already_in_force",
                    f"this policy is already in force (version {previous[0].version})",
                    version=previous[0].version,
                )
            )
        number = previous[0].version + 1 if previous else 1
        try:
            before = policy_of(previous[0]) if previous else Policy()
        except StoredPolicyInvalid:  # replacing a version this program no longer accepts
            before = Policy()
        at = ctx.clock.now()
        raw.execute(
            f"INSERT INTO policy_version ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (number, content, digest, actor.name, utc_text(at), reason),
        )
        changed = changed_keys(before, new)
        details = {
            "policy": number,
            "previous": previous[0].version if previous else DEFAULTS_VERSION,
            "sha256": digest,
            "reason": reason,
            "changed": changed[:100],
        }
        audit.record(s, ctx.clock, actor.name, "policy.apply", "policy", str(number), details, at=at)
    return StoredPolicy(number, content, digest, actor.name, at, reason)
