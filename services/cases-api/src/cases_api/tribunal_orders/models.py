"""A tribunal order (or an appeal the LA did not oppose) and each compliance step done."""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.provisions.models import enum_column
from cases_api.statutory.tribunal_orders import ComplianceStep, OrderKind


class TribunalOrder(Base):
    """What the Tribunal ordered on an appeal, or what the LA conceded by not opposing it.

    ``started_on`` is the day the order was made (reg 44) or the day the LA told the Tribunal it
    would not oppose the appeal (reg 45, ``unopposed``): every limit counts from it.
    """

    __tablename__ = "tribunal_orders"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    dispute_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("dispute_events.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[OrderKind] = mapped_column(enum_column(OrderKind, "tribunal_order_kind"))
    started_on: Mapped[date]
    unopposed: Mapped[bool] = mapped_column(default=False)
    # After an ordered assessment the LA may decide not to make a plan: no final plan is due.
    no_plan_decided: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    steps: Mapped[list["TribunalOrderStep"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="TribunalOrderStep.done_on"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TribunalOrderStep(Base):
    """A compliance step done: the letter or plan the order required, and its date."""

    __tablename__ = "tribunal_order_steps"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tribunal_orders.id", ondelete="CASCADE")
    )
    step: Mapped[ComplianceStep] = mapped_column(enum_column(ComplianceStep, "compliance_step"))
    done_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("order_id", "step"),)
