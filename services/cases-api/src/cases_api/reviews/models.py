"""Annual reviews, one row per review cycle whose meeting has been held."""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.provisions.models import enum_column


class ReviewOutcome(StrEnum):
    """The LA's decision after the review meeting (CFA 2014 s44; SEND Regulations 2014 reg 20)."""

    MAINTAIN = "maintain"
    AMEND = "amend"
    CEASE = "cease"


class AnnualReview(Base):
    __tablename__ = "annual_reviews"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    # The cycle: its last lawful day and the previous cycle's meeting it was counted from.
    due_on: Mapped[date]
    previous_meeting_on: Mapped[date | None]
    meeting_on: Mapped[date]
    decision_notified_on: Mapped[date | None]
    outcome: Mapped[ReviewOutcome | None] = mapped_column(
        enum_column(ReviewOutcome, "review_outcome")
    )
    cease_reason: Mapped[int | None]
    amendment_notice_on: Mapped[date | None]
    amended_plan_issued_on: Mapped[date | None]
    # The meeting's logistics (reg 20(3), (4), (7); reg 21 when the child attends no school).
    attends_school: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    invitations_sent_on: Mapped[date | None]
    advice_circulated_on: Mapped[date | None]
    report_sent_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint("cease_reason BETWEEN 1 AND 9", name="cease_reason_sen2"),
        sa.CheckConstraint(
            "(cease_reason IS NULL) = (outcome IS NULL OR outcome <> 'cease')",
            name="cease_reason_only_when_ceasing",
        ),
        sa.CheckConstraint(
            "(outcome IS NULL) = (decision_notified_on IS NULL)", name="outcome_with_decision_date"
        ),
        sa.CheckConstraint(
            "invitations_sent_on IS NULL OR invitations_sent_on <= meeting_on",
            name="invitations_before_meeting",
        ),
        sa.CheckConstraint(
            "advice_circulated_on IS NULL OR advice_circulated_on <= meeting_on",
            name="advice_before_meeting",
        ),
        sa.CheckConstraint(
            "report_sent_on IS NULL OR report_sent_on >= meeting_on", name="report_after_meeting"
        ),
    )


class ScheduledReviewMeeting(Base):
    """The next review meeting of a plan, planned but not yet held: at most one per plan. Its
    notice and advice are due before it (reg 20(3), (4); reg 21); recording the meeting held
    (an ``AnnualReview``) consumes it."""

    __tablename__ = "scheduled_review_meetings"

    plan_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    meeting_on: Mapped[date]
    attends_school: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    invitations_sent_on: Mapped[date | None]
    advice_circulated_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint(
            "invitations_sent_on IS NULL OR invitations_sent_on <= meeting_on",
            name="invitations_before_meeting",
        ),
        sa.CheckConstraint(
            "advice_circulated_on IS NULL OR advice_circulated_on <= meeting_on",
            name="advice_before_meeting",
        ),
    )
