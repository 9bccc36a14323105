"""EHC plans and their versions, as stored. Every version is kept; none is ever changed."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.plans.sections import SettingCode
from cases_api.provisions.models import enum_column


class VersionKind(StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    AMENDMENT_NOTICE = "amendment_notice"
    REISSUE = "reissue"


IN_FORCE_KINDS = (VersionKind.FINAL, VersionKind.REISSUE)
NOT_CEASED = "ceased_on IS NULL"


class Plan(Base):
    """A child's plan. Besides the versions it keeps, for the officers' views, a few facts read
    from them: when it was first made final, what the latest final version names in section I,
    and when the next annual review is due."""

    __tablename__ = "plans"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), index=True
    )
    # The request for assessment that led to the plan, if it was made here.
    assessment_request_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("assessment_requests.id", ondelete="SET NULL"), index=True
    )
    latest_version_number: Mapped[int]
    latest_kind: Mapped[VersionKind] = mapped_column(enum_column(VersionKind, "plan_version_kind"))
    made_on: Mapped[date | None]
    named_provision_id: Mapped[uuid.UUID | None]
    named_setting_code: Mapped[SettingCode | None] = mapped_column(
        enum_column(SettingCode, "setting_code")
    )
    named_setting_from: Mapped[date | None]
    last_review_meeting_on: Mapped[date | None]
    next_review_due: Mapped[date | None] = mapped_column(index=True)
    ceased_on: Mapped[date | None]
    cease_reason: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    versions: Mapped[list["PlanVersion"]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="PlanVersion.number",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint("cease_reason BETWEEN 1 AND 9", name="cease_reason_sen2"),
        sa.CheckConstraint("latest_version_number >= 1", name="latest_version_positive"),
        # One plan in force (or in draft) per child: the database settles concurrent creations.
        sa.Index(
            "uq_plans_child_not_ceased",
            "child_id",
            unique=True,
            sqlite_where=sa.text(NOT_CEASED),
            postgresql_where=sa.text(NOT_CEASED),
        ),
    )

    @property
    def latest_version(self) -> "PlanVersion":
        return self.versions[-1]


class PlanVersion(Base):
    __tablename__ = "plan_versions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"))
    number: Mapped[int]
    kind: Mapped[VersionKind] = mapped_column(enum_column(VersionKind, "plan_version_kind"))
    issued_on: Mapped[date]
    comments_waived: Mapped[bool] = mapped_column(default=False)
    sections: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="versions")

    __table_args__ = (
        sa.UniqueConstraint("plan_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )


class SubmissionKind(StrEnum):
    VIEWS = "views"
    DRAFT_COMMENTS = "draft_comments"


class FamilySubmission(Base):
    """What the family sent the LA about a plan: their views for section A, or comments on a
    draft (or amendment notice) within its comment window. Kept as sent; never changed."""

    __tablename__ = "family_submissions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[SubmissionKind] = mapped_column(enum_column(SubmissionKind, "submission_kind"))
    # The plan's latest version when it was sent: the draft the comments are about.
    version_number: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    submitted_by: Mapped[str] = mapped_column(sa.String(200))
    submitted_role: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
