"""The import path appends audit events with ``collectui.domain.audit.RawAudit`` (batched, same chain)."""

from collectui.domain.audit import RawAudit

__all__ = ["RawAudit"]
