"""The import path appends audit events with ``collectui.domain.audit_chain.RawAudit`` (batched, same chain)."""

from collectui.domain.audit_chain import RawAudit

__all__ = ["RawAudit"]
