"""Row digests: which business rows the audit trail vouches for, and the digest of each.

An event that names a covered row (by its target, or by an id in its details) carries the digest of that
row's content as it stands when the event is written, inside the event's HMAC. ``audit verify`` re-reads
the rows and reports every row whose current content no event explains: edited or deleted with SQL, or
inserted without the service (a forged ``staff_user``). The callers change nothing: ``record`` and
``RawAudit`` compute the digests from the names below.

Two kinds of coverage:

- ``row``: the operators' own records (calls, promises, disputes, complaints, accounts, API tokens, login
  sessions, policy versions, hand assignments of borrowers to collectors). Every row must be explained by an event, and its digest is its whole content
  except the columns the system derives (``exclude``: a promise's verdict is recomputed from payments, a
  token's or a session's last use is touched on every request, and not at all on a read-only database or
  while an import holds the write lock). Columns whose value is NULL, 0 or empty are left out of the
  digest, so a column added later with such a default does not change the digests of older rows (a new
  column with any other default needs a re-baseline in its migration).
- ``flags``: rows of the bank's own data (customers, contacts) that the core-banking import writes and
  re-writes in bulk. Only the flags an operator sets after a call are covered (do not call, hardship, a
  contact's refusal), and only one way: a flag an event saw set must still be set. The import may set
  them too (the bank's do-not-call list) but never clears them, so a cleared flag is an operator's SQL.
  Imported figures themselves (loans, instalments, payments, names, numbers) are the bank's: the next
  import restores them from core banking, so they are not the audit trail's to vouch for.

Not covered: derived tables (loan state, work list, snapshots: rebuilt by every refresh), the SMS queue
(its state moves with gateway receipts in bulk), feedback and ``meta``. Login sessions are covered: a
session row forged with SQL (a secret hash its author knows) would sign its author in as anyone.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from collectui.storage.raw import DatabaseError, RawConnection, table_columns

DELETED = "-"  # the digest of a row that is not there (an event that saw it gone)


@dataclass(frozen=True)
class Covered:
    kind: str  # the name used in audit events: target_type, and the prefix in ``row_digests``
    table: str
    key: str  # the column events name the row by
    mode: Literal["row", "flags"] = "row"
    exclude: frozenset[str] = frozenset()  # row mode: derived columns
    flags: tuple[str, ...] = ()  # flags mode: the operator-set flags, in a fixed order


COVERED: tuple[Covered, ...] = (
    Covered("call", "call_attempt", "id"),
    Covered("promise", "promise", "id", exclude=frozenset({"status", "paid_fen", "evaluated_on"})),
    Covered("dispute", "dispute", "id"),
    Covered("complaint", "complaint", "id"),
    Covered("user", "staff_user", "username"),
    Covered("token", "api_token", "name", exclude=frozenset({"last_used_at"})),
    Covered("session", "login_session", "id", exclude=frozenset({"last_seen_at"})),
    Covered("policy", "policy_version", "version"),
    Covered("assignment", "assignment", "customer_id"),  # who calls whom, set by hand (cases.assignment)
    # Payment plans: who proposed, who decided, why; the status also moves with the refresh's verdicts.
    Covered("plan", "payment_plan", "id", exclude=frozenset({"status"})),
    Covered("customer", "customer", "customer_id", mode="flags", flags=("do_not_call", "hardship")),
    Covered("contact", "contact", "contact_id", mode="flags", flags=("refused_calls",)),
)
BY_KIND: dict[str, Covered] = {c.kind: c for c in COVERED}
# Ids in an event's details that name a covered row (the event's target is often the customer, or the user
# a session belongs to); a list of ids names each (``session_ids``: the sessions a deactivation ended).
# ``replaced_session_id``: the session a new sign-in by the same OS user revoked.
DETAIL_KEYS: dict[str, Covered] = {
    "call_id": BY_KIND["call"],
    "attempt_id": BY_KIND["call"],
    "promise_id": BY_KIND["promise"],
    "dispute_id": BY_KIND["dispute"],
    "complaint_id": BY_KIND["complaint"],
    "session_id": BY_KIND["session"],
    "session_ids": BY_KIND["session"],
    "replaced_session_id": BY_KIND["session"],
}
# Event kinds a target_type may be spelled as (older events used the table name).
ALIASES = {
    "call_attempt": "call",
    "staff_user": "user",
    "api_token": "token",
    "policy_version": "policy",
    "login_session": "session",
}


def covered_for(target_type: str | None) -> Covered | None:
    if target_type is None:
        return None
    return BY_KIND.get(ALIASES.get(target_type, target_type))


def _keep(value: object) -> bool:
    return value is not None and value != 0 and value != "" and value != "[]" and value != "{}"


def digest_values(columns: list[str], values: tuple[object, ...], exclude: frozenset[str]) -> str:
    content = {c: v for c, v in zip(columns, values, strict=True) if c not in exclude and _keep(v)}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def flags_value(values: Mapping[str, object], flags: tuple[str, ...]) -> str:
    return "f:" + "".join("1" if values[f] else "0" for f in flags)


@functools.cache
def _select_one(table: str, key: str) -> str:
    return f"SELECT * FROM {table} WHERE {key} = ?"


_present_cache: dict[int, frozenset[str]] = {}


def present_tables(conn: RawConnection, refresh: bool = False) -> frozenset[str]:
    """The covered tables this database has (a table another feature adds may be missing from an older
    file); cached per connection, since the schema does not change under a running service (``refresh``:
    look again, for a connection whose id a closed one had)."""
    found = None if refresh else _present_cache.get(id(conn))
    if found is None:
        if len(_present_cache) > 64:
            _present_cache.clear()
        found = frozenset(c.table for c in COVERED if table_columns(conn, c.table))
        _present_cache[id(conn)] = found
    return found


def row_digest(conn: RawConnection, cov: Covered, key: object) -> str:
    """The digest of the row as it stands on ``conn`` (inside the caller's transaction)."""
    cur = conn.execute(_select_one(cov.table, cov.key), (key,))
    row = cur.fetchone()
    if row is None:
        return DELETED
    columns = [d[0] for d in cur.description]
    if cov.mode == "flags":
        return flags_value(dict(zip(columns, row, strict=True)), cov.flags)
    return digest_values(columns, tuple(row), cov.exclude)


def _key_value(cov: Covered, text: object) -> object:
    if cov.key in ("id", "version"):
        try:
            return int(str(text))
        except ValueError:
            return None
    return str(text)


def named_rows(
    target_type: str | None, target_id: str | None, details: Mapping[str, Any]
) -> Iterator[tuple[Covered, str]]:
    """The covered rows an event names: its target, and the ids in its details."""
    cov = covered_for(target_type)
    if cov is not None and target_id is not None:
        yield cov, str(target_id)
    for name, detail_cov in DETAIL_KEYS.items():
        found = details.get(name)
        for value in found if isinstance(found, list) else [found]:
            if (
                isinstance(value, int | str)
                and not isinstance(value, bool)
                and (cov is not detail_cov or str(value) != target_id)
            ):
                yield detail_cov, str(value)


def digests_for(
    conn: RawConnection, target_type: str | None, target_id: str | None, details: Mapping[str, Any]
) -> dict[str, str] | None:
    """``{"kind:key": digest}`` for the covered rows the event names (None when it names none)."""
    found: dict[str, str] = {}
    tables: frozenset[str] | None = None
    for cov, key in named_rows(target_type, target_id, details):
        if tables is None:
            tables = present_tables(conn)
        if cov.table not in tables:
            continue
        value = _key_value(cov, key)
        if value is None:
            continue
        try:
            found[f"{cov.kind}:{key}"] = row_digest(conn, cov, value)
        except DatabaseError:
            tables = present_tables(conn, refresh=True)
            if cov.table in tables:
                raise
    return found or None


def current_rows(conn: RawConnection, cov: Covered) -> Iterator[tuple[str, str]]:
    """(key, digest) of every row of a row-mode table, for ``verify`` and the baseline."""
    columns = [c.name for c in table_columns(conn, cov.table)]
    key_at = columns.index(cov.key)
    select = f"SELECT {', '.join(columns)} FROM {cov.table}"
    for row in conn.execute(select):
        yield str(row[key_at]), digest_values(columns, tuple(row), cov.exclude)


def current_flags(conn: RawConnection, cov: Covered, only_set: bool = False) -> Iterator[tuple[str, str]]:
    """(key, flags value) of a flags-mode table's rows (``only_set``: rows with a flag set)."""
    cols = ", ".join((cov.key, *cov.flags))
    where = " OR ".join(f"{f} = 1" for f in cov.flags) if only_set else "1 = 1"
    for row in conn.execute(f"SELECT {cols} FROM {cov.table} WHERE {where}"):
        yield str(row[0]), flags_value(dict(zip(cov.flags, row[1:], strict=True)), cov.flags)


def flags_explained(recorded: str, current: str) -> bool:
    """A flag an event saw set is still set (the import may set flags, never clear them)."""
    if current == DELETED or recorded == DELETED:
        return current == recorded
    return all(c == "1" for r, c in zip(recorded[2:], current[2:], strict=True) if r == "1")
