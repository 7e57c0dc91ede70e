"""Copying the database to another engine or place: ``collectui db copy SRC DST`` (admins).

Storage copies the rows (``storage.copy``: one transaction on the target, counts compared); this module adds
what the audit trail needs. Before the target's transaction commits, the copy is recorded there as a
``db.copied`` event (the source's engine and kind and the rows per table: no personal data, and a URL is
named without its password) and the chain is verified with ``audit.verify``, the check ``collectui audit
verify`` makes; a broken chain rolls the copy back. After the commit the target is checked once more, from
new connections: the rows of each table against the source's snapshot, and the chain.

The audit key travels by ``db_id``: the target keeps the source's id, so on this machine and OS user it finds
the same key file (``<state dir>/keys/<db_id>.key``, or ``COLLECTUI_AUDIT_KEY``); where the target is used
from elsewhere, that key goes with it (docs/deploy.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import CollectError
from collectui.domain.said import Said, said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize
from collectui.storage import copy as copying
from collectui.storage.engine import Database
from collectui.storage.kind import kind_of
from collectui.storage.locate import database_at
from collectui.storage.raw import RawConnection


class CopyFailed(CollectError):
    """The copy did not hold (counts or audit chain); ``problems`` lists them one per line."""

    def __init__(self, message: str | Said, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass
class Copied:
    source: str  # as shown: a URL without its password
    target: str
    source_engine: str
    target_engine: str
    counts: list[copying.TableCount]
    audit_events: int = 0  # on the target, the db.copied event included
    problems: list[str] = field(default_factory=list)  # found after the commit

    @property
    def ok(self) -> bool:
        return not self.problems


def refused(exc: copying.CopyRefused) -> CollectError:
    """A storage refusal in the person's language."""
    return CollectError(said(f"error.db.copy.{exc.reason}", str(exc), **exc.params))


def refuse_old_source(db: Database) -> None:
    """``storage.copy.refuse_old_source`` as a service error (the faces call it before opening a context,
    which would upgrade the source)."""
    try:
        copying.refuse_old_source(db)
    except copying.CopyRefused as exc:
        raise refused(exc) from None


def copy(ctx: Ctx, actor: Actor, target: str | Path, progress: copying.Progress | None = None) -> Copied:
    """Copy the database of ``ctx`` into the empty database ``target`` (a ``postgresql://`` URL or a file
    path), audited and verified there (see the module docstring)."""
    authorize(ctx, actor, "db.copy")
    source_shown = copying.name_of(ctx.db)
    target_shown = copying.shown(target)
    with ctx.db.raw_read() as raw:
        source_kind = kind_of(raw)
    source_engine = copying.engine_of(ctx.db)

    def seal(raw: RawConnection, counts: list[copying.TableCount]) -> None:
        details = {
            "source_engine": source_engine,
            "source_kind": source_kind,
            "tables": len(counts),
            "rows": sum(c.source for c in counts),
            "counts": {c.table: c.source for c in counts},
        }
        audit.record_raw(raw, ctx.clock, actor.name, "db.copied", "database", target_shown, details)
        result = audit.verify(raw)
        if not result.ok:
            raise CopyFailed(
                said(
                    "error.db.copy.audit",
                    f"the audit chain does not verify on {target_shown}; nothing was kept there",
                    target=target_shown,
                ),
                [f"audit: {p}" for p in result.problems],
            )

    try:
        counts = copying.copy_database(ctx.db, target, before_commit=seal, progress=progress)
    except copying.CopyRefused as exc:
        raise refused(exc) from None
    except copying.CopyMismatch as exc:
        raise CopyFailed(
            said(
                "error.db.copy.counts",
                f"row counts differ on {target_shown}; nothing was kept there",
                target=target_shown,
            ),
            [str(exc)],
        ) from None
    done = Copied(source_shown, target_shown, source_engine, copying.engine_of(target), counts)
    _check_after(done, target)
    return done


def _check_after(done: Copied, target: str | Path) -> None:
    """The committed target from new connections: each table's rows (the source's count, and one event
    more: ``db.copied``) and the audit chain."""
    db = database_at(target)
    try:
        with db.raw_read() as raw:
            now = copying.count_rows(raw)
            result = audit.verify(raw)
    finally:
        db.dispose()
    for c in done.counts:
        expected = c.source + (1 if c.table == "audit_event" else 0)
        if now.get(c.table) != expected:
            done.problems.append(f"{c.table}: {now.get(c.table)} rows on the target, {expected} expected")
    done.problems.extend(f"audit: {p}" for p in result.problems)
    done.audit_events = result.events
