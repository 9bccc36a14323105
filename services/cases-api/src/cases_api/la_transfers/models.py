"""A plan's transfer to another LA, and a change of the body commissioning its health care."""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow


class LaTransfer(Base):
    """A child with a plan who moved from one LA's area to another's (SEND Regulations 2014
    reg 15). Both LAs' officers see this record; the child's file moves to the new LA when the
    old LA records the transfer, as reg 15(3) moves the duty to maintain the plan."""

    __tablename__ = "la_transfers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), index=True
    )
    old_la_code: Mapped[str] = mapped_column(sa.String(3), index=True)
    new_la_code: Mapped[str] = mapped_column(sa.String(3), index=True)
    moved_on: Mapped[date]
    old_la_aware_on: Mapped[date]
    # The plan's last review (or the day it was made) when the family moved: reg 15(5)(a).
    plan_last_reviewed_on: Mapped[date]
    transferred_on: Mapped[date | None]
    family_notified_on: Mapped[date | None]
    recorded_by: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint("old_la_code <> new_la_code", name="between_two_las"),
        sa.CheckConstraint(
            "family_notified_on IS NULL OR (transferred_on IS NOT NULL "
            "AND family_notified_on >= transferred_on)",
            name="family_told_after_transfer",
        ),
    )


class CommissioningChange(Base):
    """The body responsible for commissioning the plan's health care changed (reg 16)."""

    __tablename__ = "commissioning_changes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), index=True
    )
    old_body: Mapped[str] = mapped_column(sa.String(200))
    new_body: Mapped[str] = mapped_column(sa.String(200))
    new_body_aware_on: Mapped[date]
    answered_on: Mapped[date | None]
    recorded_by: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint(
            "answered_on IS NULL OR answered_on >= new_body_aware_on", name="answered_after"
        ),
    )
