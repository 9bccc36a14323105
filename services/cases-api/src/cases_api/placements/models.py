"""Placements: a child taking a place at a provision."""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.provisions.models import Provision, enum_column


class PlacementStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


ACTIVE = "status = 'active'"


class Placement(Base):
    """While active, the placement holds one of the provision's places (`places_taken`)."""

    __tablename__ = "placements"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), index=True
    )
    provision_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("provisions.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[PlacementStatus] = mapped_column(
        enum_column(PlacementStatus, "placement_status")
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    annual_cost_pence: Mapped[int] = mapped_column(sa.BigInteger)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    provision: Mapped[Provision] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
        sa.CheckConstraint("annual_cost_pence >= 0", name="cost_non_negative"),
        # A child holds at most one active place at a provision, even under concurrent requests.
        sa.Index(
            "uq_placements_active_child_provision",
            "child_id",
            "provision_id",
            unique=True,
            sqlite_where=sa.text(ACTIVE),
            postgresql_where=sa.text(ACTIVE),
        ),
    )
