"""Hand assignments: which collector a supervisor put in charge of a borrower (all their loans).

The loans' ``collector_id`` is what the work list reads; a row here says that value was set in collectui
(``domain.cases.assignment``), so a later import's ``collector`` column does not override it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from collectui.storage.types import AwareDateTime


class Assignment(SQLModel, table=True):
    __tablename__ = "assignment"
    customer_id: str = Field(primary_key=True, foreign_key="customer.customer_id")
    collector_id: int = Field(foreign_key="staff_user.id", index=True)
    assigned_by: int | None = Field(default=None, foreign_key="staff_user.id")  # None: a machine's token
    assigned_at: datetime = Field(sa_type=AwareDateTime)
