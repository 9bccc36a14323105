"""Subject access exports, legal holds and disposal tombstones, as stored."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.provisions.models import enum_column


class ExportStatus(StrEnum):
    DRAFT = "draft"
    RELEASED = "released"


class SubjectAccessExport(Base):
    """Everything held about a child, gathered once; redactions are marked until it is released."""

    __tablename__ = "subject_access_exports"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="CASCADE"), index=True
    )
    requesting_guardian_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("guardians.id", ondelete="SET NULL")
    )
    status: Mapped[ExportStatus] = mapped_column(enum_column(ExportStatus, "export_status"))
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    redacted_paths: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_by: Mapped[str | None] = mapped_column(sa.String(200))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class LegalHold(Base):
    """A child whose records must not be disposed of (litigation, an inquiry, a complaint)."""

    __tablename__ = "legal_holds"

    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(sa.String(500))
    placed_by: Mapped[str] = mapped_column(sa.String(200))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DisposalTombstone(Base):
    """What is left of a purged child: the id, when, under which rule, by whom. No personal data."""

    __tablename__ = "disposal_tombstones"

    child_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rule: Mapped[str] = mapped_column(sa.String(60))
    due_on: Mapped[date]
    purged_by: Mapped[str] = mapped_column(sa.String(200))
