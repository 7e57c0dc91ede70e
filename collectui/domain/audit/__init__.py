"""The audit trail: append-only events chained by SHA-256, one public API for every caller.

- ``record(session, ...)``: append one event inside an ORM write transaction;
- ``record_raw(conn, ...)`` / ``RawAudit``: the same chain on a plain connection (bulk paths: import,
  refresh, calls, SMS), with no ORM import so that those paths start quickly;
- ``verify(session)``: walk the chain and report every break.
"""

from collectui.domain.audit.chain import GENESIS, RawAudit, record_raw
from collectui.domain.audit.trail import VerifyResult, record, verify

__all__ = ["GENESIS", "RawAudit", "VerifyResult", "record", "record_raw", "verify"]
