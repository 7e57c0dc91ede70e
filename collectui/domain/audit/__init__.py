"""The audit trail: append-only events in a keyed (HMAC-SHA256) chain, one public API for every caller.

- ``record(session, ...)``: append one event inside an ORM write transaction;
- ``record_raw(conn, ...)`` / ``RawAudit``: the same chain on a plain connection (bulk paths: import,
  refresh, calls, SMS), with no ORM import so that those paths start quickly;
- ``verify(conn, anchor=None)``: walk the chain, check an anchor and the rows it vouches for;
  ``anchor(conn)``: the head to keep off the machine;
- ``keys.provision_key(db)``: create the database's key file (``collectui init``);
- ``adopt(conn, ...)``: a system path that wrote covered rows in bulk (the demo) vouches for them.

Events that name a business row carry its digest (``audit.rows`` lists the rows covered and why).
"""

from collectui.domain.audit.chain import GENESIS, AuditClockError, RawAudit, adopt, record_raw
from collectui.domain.audit.keys import AuditKeyError, provision_key
from collectui.domain.audit.trail import record
from collectui.domain.audit.verify import VerifyResult, anchor, verify

__all__ = [
    "GENESIS",
    "AuditClockError",
    "AuditKeyError",
    "RawAudit",
    "VerifyResult",
    "adopt",
    "anchor",
    "provision_key",
    "record",
    "record_raw",
    "verify",
]
