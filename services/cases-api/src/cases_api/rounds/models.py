"""Rounds, their cohort, the proposals asked for, decisions, and consultations, as stored."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.provisions.models import Provision, enum_column


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class DecisionKind(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    OVERRIDDEN = "overridden"


class ConsultationStatus(StrEnum):
    PENDING = "pending"
    AGREED = "agreed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Transfer(StrEnum):
    """The move into a new phase a child makes at entry, named by where they go."""

    INTO_RECEPTION = "into_reception"
    INTO_JUNIOR = "into_junior"  # Year 3, from an infant school
    INTO_MIDDLE = "into_middle"  # Year 5, from a first school (three-tier areas)
    INTO_SECONDARY = "into_secondary"  # Year 7
    INTO_UPPER = "into_upper"  # Year 9, from a middle school (three-tier areas)
    INTO_POST_16 = "into_post_16"  # Year 12: sixth forms, further education, special post-16


class AllocationRound(Base):
    __tablename__ = "allocation_rounds"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    la_code: Mapped[str] = mapped_column(sa.String(3), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    entry_date: Mapped[date]
    status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus, "round_status"))
    budget_pence: Mapped[int | None] = mapped_column(sa.BigInteger)
    max_travel_km: Mapped[float | None]
    transport_cost_per_km_pence: Mapped[int] = mapped_column(sa.BigInteger)
    honour_preferences: Mapped[bool]
    time_limit_s: Mapped[float]
    created_by: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint("budget_pence IS NULL OR budget_pence >= 0", name="budget_positive"),
        sa.CheckConstraint("time_limit_s > 0 AND time_limit_s <= 300", name="time_limit_range"),
    )


class RoundChild(Base):
    """A child in a round's cohort, with what the round needs to know to place them."""

    __tablename__ = "round_children"

    round_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), primary_key=True
    )
    suitable_kinds: Mapped[list[str]] = mapped_column(sa.JSON)
    requested_provision_ids: Mapped[list[str]] = mapped_column(sa.JSON)
    # The school-year age at the entry date (age on the 31 August before; Year 7 = 11).
    age_at_entry: Mapped[int]
    # The phase transfer the child makes at entry (Transfer), if any.
    transfer: Mapped[str | None] = mapped_column(sa.String(20))
    added_by: Mapped[str] = mapped_column(sa.String(40))  # the cohort rule, or "hand"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoundProposal(Base):
    """A proposal exactly as the matching service gave it, with the request that produced it.
    Never changed once stored, except by the retention purge, which takes a disposed-of child
    out of both documents (`cases_api.privacy.purge`)."""

    __tablename__ = "round_proposals"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    round_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    request: Mapped[Any] = mapped_column(sa.JSON)
    response: Mapped[Any] = mapped_column(sa.JSON)
    requested_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("round_id", "number"),)


class RoundDecision(Base):
    """An officer's decision on one child's proposed placement."""

    __tablename__ = "round_decisions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    round_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("children.id", ondelete="RESTRICT"))
    proposal_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("round_proposals.id", ondelete="RESTRICT")
    )
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind, "decision_kind"))
    provision_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("provisions.id", ondelete="RESTRICT")
    )
    reason: Mapped[str | None] = mapped_column(sa.String(2000))
    # The amendment notice proposing the setting to the family (reg 22), if the child's plan was
    # in force: the plan and the number of the notice's version.
    plan_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="SET NULL")
    )
    notice_version: Mapped[int | None]
    # Only one standing decision per child and round; a declined consultation retires it.
    current: Mapped[bool] = mapped_column(default=True)
    decided_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.Index(
            "uq_round_decisions_current",
            "round_id",
            "child_id",
            unique=True,
            sqlite_where=sa.text("current"),
            postgresql_where=sa.text("current"),
        ),
    )


class Consultation(Base):
    """The LA asks a school to admit a child (s39/s40); the school answers within 15 days."""

    __tablename__ = "consultations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    round_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="RESTRICT"), index=True
    )
    decision_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("round_decisions.id", ondelete="RESTRICT")
    )
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), index=True
    )
    provision_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("provisions.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[ConsultationStatus] = mapped_column(
        enum_column(ConsultationStatus, "consultation_status")
    )
    sent_on: Mapped[date]
    due_on: Mapped[date]
    answered_on: Mapped[date | None]
    answer_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    answered_by: Mapped[str | None] = mapped_column(sa.String(200))
    placement_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("placements.id", ondelete="RESTRICT")
    )
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    provision: Mapped[Provision] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
