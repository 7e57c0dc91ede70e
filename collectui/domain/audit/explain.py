"""Which rows the audit trail explains: the latest digest events recorded for each covered row, compared
with the rows as they stand now (the row half of ``verify``; the registry is in ``audit.rows``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from collectui.domain.audit import rows
from collectui.storage.raw import RawConnection


@dataclass(frozen=True)
class RowFinding:
    name: str  # "kind:key", e.g. "call:12", "user:mallory"
    what: str  # edited | deleted | unexplained | flag_cleared
    event_id: int | None  # the last event that vouched for the row
    current: str  # the row's digest now (rows.DELETED when it is gone)

    def message(self) -> str:
        kind, key = self.name.split(":", 1)
        cov = rows.BY_KIND[kind]
        row = f"{cov.table} {cov.key}={key}"
        if self.what == "unexplained":
            return f"{row}: no audit event explains this row (inserted outside collectui)"
        if self.what == "deleted":
            return f"{row}: deleted, but event {self.event_id} recorded it and no event deleted it"
        if self.what == "flag_cleared":
            return f"{row}: a flag event {self.event_id} recorded as set was cleared outside collectui"
        return f"{row}: changed after event {self.event_id} recorded it (edited outside collectui)"


@dataclass
class Ledger:
    """The latest (event id, digest) per covered row, filled while walking the chain in id order."""

    latest: dict[str, tuple[int, str]] = field(default_factory=dict)

    def note(self, event_id: int, row_digests: object) -> None:
        if not row_digests:
            return
        found = json.loads(row_digests) if isinstance(row_digests, str) else row_digests
        if isinstance(found, dict):
            for name, value in found.items():
                self.latest[str(name)] = (event_id, str(value))

    def findings(self, conn: RawConnection) -> list[RowFinding]:
        """Every covered row whose current content no event explains, in table and key order."""
        problems: list[RowFinding] = []
        tables = rows.present_tables(conn, refresh=True)
        for cov in rows.COVERED:
            if cov.table not in tables:
                continue
            prefix = cov.kind + ":"
            if cov.mode == "row":
                seen: set[str] = set()
                for key, now in rows.current_rows(conn, cov):
                    name = prefix + key
                    seen.add(name)
                    last = self.latest.get(name)
                    if last is None:
                        problems.append(RowFinding(name, "unexplained", None, now))
                    elif last[1] != now:
                        problems.append(RowFinding(name, "edited", last[0], now))
                for name, (event_id, value) in self.latest.items():
                    if name.startswith(prefix) and name not in seen and value != rows.DELETED:
                        problems.append(RowFinding(name, "deleted", event_id, rows.DELETED))
            else:
                current = dict(rows.current_flags(conn, cov))
                for name, (event_id, value) in self.latest.items():
                    if not name.startswith(prefix):
                        continue
                    now = current.get(name[len(prefix) :], rows.DELETED)
                    if not rows.flags_explained(value, now):
                        what = "deleted" if now == rows.DELETED else "flag_cleared"
                        problems.append(RowFinding(name, what, event_id, now))
        problems.sort(key=lambda f: f.name)
        return problems


def ledger_of(conn: RawConnection) -> Ledger:
    """The ledger from the stored events as they are (no digest checked: ``verify`` does that)."""
    ledger = Ledger()
    for event_id, found in conn.execute(
        "SELECT id, row_digests FROM audit_event WHERE row_digests IS NOT NULL ORDER BY id"
    ):
        ledger.note(int(event_id), found)
    return ledger


def unexplained_rows(conn: RawConnection) -> list[tuple[str, str]]:
    """("kind:key", current digest) of the rows no event explains now, for a system path's ``adopt``."""
    return [(f.name, f.current) for f in ledger_of(conn).findings(conn) if f.what in ("unexplained", "edited")]
