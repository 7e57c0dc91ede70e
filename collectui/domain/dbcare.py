"""Backing up, checking and restoring the database: ``collectui db backup|check|restore``.

Storage makes the copies and runs SQLite's own checks (``storage.backup``); this module adds the audit
chain (``audit.verify``, the same check as ``collectui audit verify``), records each backup and restore in the
trail, and refuses to install a backup that fails any check. Each service checks who may do it
(``db.backup``, ``db.check``, ``db.restore``, ``audit.verify``) with ``staff.permissions.authorize``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import CollectError
from collectui.domain.said import Said, said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize
from collectui.storage import backup as copies
from collectui.storage.engine import Database
from collectui.storage.outfiles import OutputRefused


class BackupFailed(CollectError):
    """A copy or a backup file that fails a check; ``problems`` lists them one per line."""

    def __init__(self, message: str | Said, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class DatabaseInUse(CollectError):
    pass


class NotABackup(CollectError):
    """The file given to restore is no backup at all (missing, empty, not collectui's): one line."""


@dataclass(frozen=True)
class Backup:
    path: Path
    audit_events: int


def _audit_of(path: Path) -> audit.VerifyResult:
    db = Database(path, read_only=True)
    try:
        with db.raw_read() as raw:
            return audit.verify(raw)
    finally:
        db.dispose()


def audit_problems(path: Path) -> tuple[list[str], int]:
    """The audit chain's problems in the database file at ``path`` (read-only) and its event count."""
    result = _audit_of(path)
    return [f"audit: {p}" for p in result.problems], result.events


def _examined(path: Path) -> tuple[list[str], int, str | None]:
    """Every problem of the database file at ``path``, its audit events and the head of its trail."""
    problems = copies.storage_problems(path)
    if any(p.startswith(("integrity:", "unreadable:")) for p in problems) or not Path(path).exists():
        return problems, 0, None  # a damaged file: its audit walk would only repeat the damage
    try:
        result = _audit_of(path)
    except Exception as exc:  # a file this broken is a finding, not a crash
        return [*problems, f"audit: cannot be read ({exc})"], 0, None
    return problems + [f"audit: {p}" for p in result.problems], result.events, result.head


def problems_of(path: Path) -> tuple[list[str], int]:
    """Every problem of the database file at ``path`` (SQLite, schema, marker, audit chain), events."""
    problems, events, _head = _examined(path)
    return problems, events


def check(ctx: Ctx, actor: Actor) -> tuple[list[str], int]:
    """``collectui db check``: the live database's problems (empty: none) and its audit events."""
    authorize(ctx, actor, "db.check")
    return problems_of(ctx.db.path)


def verify_trail(ctx: Ctx, actor: Actor, anchor: str | None = None) -> audit.VerifyResult:
    """``collectui audit verify``: the chain and the rows it vouches for, up to ``anchor`` when given."""
    authorize(ctx, actor, "audit.verify")
    with ctx.db.read() as s:
        return audit.verify(s, anchor=anchor)


def anchor_trail(ctx: Ctx, actor: Actor) -> tuple[audit.VerifyResult, str | None]:
    """``collectui audit anchor``: the trail's check and, when it holds, its head as ``SEQ:DIGEST`` (an
    anchor of a broken trail would prove nothing)."""
    authorize(ctx, actor, "audit.verify")
    with ctx.db.read() as s:
        result = audit.verify(s)
        return result, audit.anchor(s) if result.ok else None


def backup(ctx: Ctx, actor: Actor, dest: Path) -> Backup:
    """Copy the live database to ``dest`` (a new file, 0600), safe while others write; the copy is checked
    (integrity, foreign keys, schema, audit chain) before it appears at ``dest``."""
    authorize(ctx, actor, "db.backup")
    try:
        tmp = copies.start_backup(ctx.db.path, Path(dest))
    except OutputRefused as exc:
        raise CollectError(str(exc)) from None
    try:
        problems, events = problems_of(tmp)
        if problems:
            raise BackupFailed(
                said("error.db.copy_failed", f"the copy failed its checks; nothing written at {dest}", dest=str(dest)),
                problems,
            )
        copies.finish_backup(tmp, Path(dest))
    finally:
        tmp.unlink(missing_ok=True)
    if not ctx.db.read_only:
        with ctx.db.write() as s:
            audit.record(s, ctx.clock, actor.name, "db.backup", "file", Path(dest).name, {"events": events})
    return Backup(Path(dest), events)


def restore(ctx: Ctx, actor: Actor, source: Path) -> Path:
    """Replace the live database by the backup ``source`` after checking it; the path the replaced file is
    kept at. Refused while anyone else has the database open."""
    authorize(ctx, actor, "db.restore")
    source = Path(source)
    refused = copies.not_a_backup(source)
    if refused:
        raise NotABackup(refused)
    problems, events, head = _examined(source)
    if problems:
        raise BackupFailed(
            said(
                "error.db.backup_failed",
                f"{source} failed its checks; the database was not touched",
                source=str(source),
            ),
            problems,
        )
    ctx.db.dispose()  # our own connections would count as "in use"
    try:
        aside = copies.restore(source, ctx.db.path, ctx.clock.now())
    except copies.InUse as exc:
        raise DatabaseInUse(str(exc)) from None
    except FileExistsError as exc:
        raise CollectError(str(exc)) from None
    # Recorded in the restored database, after the backup's last event (its head): `audit verify` reads it
    # to explain why an anchor taken after the backup no longer matches.
    with ctx.db.write() as s:
        details = {"backup": source.name, "kept_aside": aside.name, "events": events, "head": head}
        audit.record(s, ctx.clock, actor.name, "db.restore", "file", ctx.db.path.name, details)
    return aside
