"""A request to reassess, and the LA's decision on it."""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow


class ReassessmentRequest(Base):
    __tablename__ = "reassessment_requests"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), index=True
    )
    received_on: Mapped[date]
    # The last EHC needs assessment (its end), for reg 27(3)'s six months; unknown if null.
    last_assessed_on: Mapped[date | None]
    decision_notified_on: Mapped[date | None]
    reassessing: Mapped[bool | None]
    recorded_by: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint(
            "(decision_notified_on IS NULL) = (reassessing IS NULL)", name="decision_with_date"
        ),
        sa.CheckConstraint(
            "decision_notified_on IS NULL OR decision_notified_on >= received_on",
            name="decided_after_request",
        ),
    )
