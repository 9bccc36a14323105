"""Audit events, as stored. Append-only: the database refuses UPDATE and DELETE (migration 0007)."""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.provisions.models import enum_column


class AuditAction(StrEnum):
    READ = "read"
    WRITE = "write"
    EXPORT = "export"
    PURGE = "purge"


class AuditEvent(Base):
    """Who did what to which record, when, why, and what the answer was."""

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    subject: Mapped[str] = mapped_column(sa.String(200), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    la_code: Mapped[str | None] = mapped_column(sa.String(3))
    school_urns: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, "audit_action"))
    resource_type: Mapped[str] = mapped_column(sa.String(60), index=True)
    resource_id: Mapped[str | None] = mapped_column(sa.String(200))
    # No foreign key: the trail outlives the child (a purge leaves it, with no personal data).
    child_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    operation_id: Mapped[str] = mapped_column(sa.String(100))
    method: Mapped[str] = mapped_column(sa.String(10))
    path: Mapped[str] = mapped_column(sa.String(500))
    request_id: Mapped[str | None] = mapped_column(sa.String(128))
    outcome: Mapped[int]
    reason: Mapped[str | None] = mapped_column(sa.String(500))
