"""Requests for an EHC needs assessment, what happened on them (as dates), and disputes."""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, aliased, column_property, mapped_column, relationship

from cases_api.children.models import Child
from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.plans.models import Plan, PlanVersion, VersionKind
from cases_api.provisions.models import enum_column
from cases_api.statutory import (
    FINAL_STATES,
    AdviceType,
    AppealDeadline,
    AppealGround,
    ExceptionGround,
    RequestState,
    appeal_deadline_detail,
)


class RequestSource(StrEnum):
    """Who asked for the assessment (SEN2 module 2)."""

    PARENT = "parent"
    SCHOOL = "school"
    HEALTH = "health"
    SOCIAL_CARE = "social_care"
    OTHER = "other"


OPEN_STATES_SQL = "state NOT IN ({})".format(
    ", ".join(f"'{state.value}'" for state in sorted(FINAL_STATES))
)


_draft = aliased(PlanVersion)
_LATEST_DRAFT = (
    sa.select(sa.func.max(_draft.number))
    .where(_draft.plan_id == PlanVersion.plan_id, _draft.kind == VersionKind.DRAFT)
    .correlate_except(_draft)
    .scalar_subquery()
)


class AssessmentRequest(Base):
    """A request for an EHC needs assessment. Its dates live in its transitions, advice requests
    and exceptions; the clock is derived from them on every read, never stored."""

    __tablename__ = "assessment_requests"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), index=True
    )
    # The LA that received the request (the child's LA then; it stays if the child moves).
    la_code: Mapped[str] = mapped_column(sa.String(3), index=True)
    source: Mapped[RequestSource] = mapped_column(enum_column(RequestSource, "request_source"))
    received_on: Mapped[date] = mapped_column(index=True)
    # The state the latest transition entered, kept on the row so lists can filter on it.
    state: Mapped[RequestState] = mapped_column(
        enum_column(RequestState, "request_state"), index=True
    )
    assigned_officer: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    # The school (URN) that submitted the request, which lets that school follow the child.
    submitted_by_urn: Mapped[int | None] = mapped_column(index=True)
    # The day the notice of an appealable decision (a refusal to assess or to issue) was sent:
    # the tribunal's time runs from it (HESC Rules 2008 r20(1)), not from the state change.
    decision_notice_sent_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # The draft and the family's waiver are the plan's (one source of truth), read from the
    # versions of the plan made from this request in the request's own SELECT.
    commented_draft_on: Mapped[date | None] = column_property(
        sa.select(sa.func.max(PlanVersion.issued_on))
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(Plan.assessment_request_id == id, PlanVersion.kind == VersionKind.DRAFT)
        .correlate_except(Plan, PlanVersion)
        .scalar_subquery()
    )
    comments_waived: Mapped[bool] = column_property(
        sa.exists()
        .where(
            Plan.assessment_request_id == id,
            PlanVersion.plan_id == Plan.id,
            PlanVersion.comments_waived.is_(True),
            # Waived on the latest draft when it was sent, or on the final since (as plans say).
            sa.or_(PlanVersion.kind == VersionKind.FINAL, PlanVersion.number == _LATEST_DRAFT),
        )
        .correlate_except(Plan, PlanVersion)
    )

    child: Mapped[Child] = relationship(lazy="joined", innerjoin=True)
    transitions: Mapped[list["RequestTransition"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(RequestTransition.occurred_on, RequestTransition.recorded_at)",
    )
    advice_requests: Mapped[list["AdviceRequestRecord"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(AdviceRequestRecord.requested_on, AdviceRequestRecord.advice)",
    )
    exceptions: Mapped[list["ClockExceptionRecord"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(ClockExceptionRecord.starts_on, ClockExceptionRecord.id)",
    )

    corrections: Mapped[list["RequestCorrection"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(RequestCorrection.corrected_at, RequestCorrection.id)",
    )

    disputes: Mapped[list["DisputeEvent"]] = relationship(
        lazy="selectin",
        viewonly=True,
        order_by="(DisputeEvent.opened_on, DisputeEvent.id)",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # One open request per child, held by the database even under concurrent receipts.
        sa.Index(
            "uq_assessment_requests_open_per_child",
            "child_id",
            unique=True,
            sqlite_where=sa.text(OPEN_STATES_SQL),
            postgresql_where=sa.text(OPEN_STATES_SQL),
        ),
        # An LA's requests received in a period (compliance by receipt, lists by date).
        sa.Index("ix_assessment_requests_la_code_received_on", "la_code", "received_on"),
    )

    def entered_on(self, state: RequestState) -> date | None:
        """The date the request entered ``state``, if it did."""
        return next((t.occurred_on for t in self.transitions if t.to_state is state), None)

    def appealable_decision_on(self) -> date | None:
        """The day of a refusal to assess or to issue, if the request ended so."""
        return self.entered_on(RequestState.REFUSED_TO_ASSESS) or self.entered_on(
            RequestState.DECIDED_NOT_TO_ISSUE
        )

    def appeal(self) -> "AppealDeadline | None":
        """The last day to appeal a refusal to assess or to issue, if the request ended so.

        Counted from the day the decision notice was sent (HESC Rules 2008 r20(1)). Until that day
        is recorded it is counted from the day of the decision: the notice cannot go earlier, so
        this is the earliest the deadline can be (the safe reading for the family); the API flags
        it provisional.
        """
        decided_on = self.appealable_decision_on()
        if decided_on is None:
            return None
        certificates = [
            d.certificate_on
            for d in self.disputes
            if d.kind is DisputeKind.MEDIATION and d.certificate_on is not None
        ]
        sent_on = self.decision_notice_sent_on or decided_on
        certificate_on = max(certificates, default=None)
        if certificate_on is not None and certificate_on < sent_on:
            certificate_on = None  # a certificate before the notice gives no later date
        return appeal_deadline_detail(
            notice_sent_on=sent_on, mediation_certificate_on=certificate_on
        )

    def appeal_deadline(self) -> date | None:
        """The last day to appeal (see ``appeal``)."""
        appeal = self.appeal()
        return None if appeal is None else appeal.last_day


class RequestTransition(Base):
    """The request entered ``to_state`` on ``occurred_on``. The lawful machine has no cycles, so
    each state is entered at most once: (request, state) is the key."""

    __tablename__ = "assessment_request_transitions"

    request_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("assessment_requests.id", ondelete="CASCADE"), primary_key=True
    )
    # Distinct enum names: each names its CHECK constraint, and two on one table would clash.
    to_state: Mapped[RequestState] = mapped_column(
        enum_column(RequestState, "to_state"), primary_key=True
    )
    from_state: Mapped[RequestState] = mapped_column(enum_column(RequestState, "from_state"))
    occurred_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(sa.String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        # The plans issued in a period (20-week compliance by issue), without a table scan.
        sa.Index(
            "ix_assessment_request_transitions_to_state_occurred_on",
            "to_state",
            "occurred_on",
            "request_id",
        ),
    )


class RequestCorrection(Base):
    """An officer corrected a wrongly recorded date of the request. Append-only: the database
    refuses UPDATE (migration 0009); the stored date itself holds the corrected value."""

    __tablename__ = "request_corrections"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("assessment_requests.id", ondelete="CASCADE"), index=True
    )
    # `received_on`, `<state>_on` or `advice.<type>.requested_on` / `.received_on`.
    field: Mapped[str] = mapped_column(sa.String(64))
    old_value: Mapped[date]
    new_value: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.String(2000))
    corrected_by: Mapped[str] = mapped_column(sa.String(200))
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.CheckConstraint("new_value <> old_value", name="changes_the_date"),)


class AdviceRequestRecord(Base):
    """Advice the LA asked for (reg 6), due 6 weeks after the request (reg 8)."""

    __tablename__ = "advice_requests"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("assessment_requests.id", ondelete="CASCADE"), index=True
    )
    advice: Mapped[AdviceType] = mapped_column(enum_column(AdviceType, "advice_type"))
    requested_on: Mapped[date]
    # The day the adviser received the LA's request: reg 8(1)'s six weeks run from it.
    request_received_on: Mapped[date | None]
    # The family missed an appointment the adviser made (reg 8(2)).
    appointment_missed_on: Mapped[date | None]
    received_on: Mapped[date | None]

    __table_args__ = (
        sa.UniqueConstraint("request_id", "advice"),
        sa.CheckConstraint(
            "received_on IS NULL OR received_on >= requested_on", name="received_after_requested"
        ),
    )


class ClockExceptionRecord(Base):
    """An exception to the time limits (reg 10(4)(a)–(d)), first and last day inclusive."""

    __tablename__ = "clock_exceptions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("assessment_requests.id", ondelete="CASCADE"), index=True
    )
    ground: Mapped[ExceptionGround] = mapped_column(
        sa.Enum(
            ExceptionGround,
            name="exception_ground",
            native_enum=False,
            create_constraint=True,
            length=40,  # 'exceptional_personal_circumstances' is longer than enum_column's 32
            values_callable=lambda members: [member.value for member in members],
            validate_strings=True,
        )
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # setting_closed only: the day the LA asked the head teacher for advice (reg 10(4)(a)).
    advice_requested_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="period_in_order"),)


class DisputeStage(StrEnum):
    """What the dispute is about: the request (refusal to assess), the assessment (refusal to
    issue) or a plan (its content, or ceasing it)."""

    REQUEST = "request"
    ASSESSMENT = "assessment"
    PLAN = "plan"


class DisputeKind(StrEnum):
    MEDIATION = "mediation"
    TRIBUNAL = "tribunal"


class DisputeOutcome(StrEnum):
    AGREED = "agreed"
    NOT_AGREED = "not_agreed"
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    DISMISSED = "dismissed"
    CONCEDED = "conceded"
    WITHDRAWN = "withdrawn"


class DisputeEvent(Base):
    """A mediation or a First-tier Tribunal (SEND) appeal, as SEN2 modules 2 and 3 record them.

    ``plan_id`` names a plan without a foreign key: plans are migrated separately.
    """

    __tablename__ = "dispute_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="RESTRICT"), index=True
    )
    assessment_request_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("assessment_requests.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    stage: Mapped[DisputeStage] = mapped_column(enum_column(DisputeStage, "dispute_stage"))
    kind: Mapped[DisputeKind] = mapped_column(enum_column(DisputeKind, "dispute_kind"))
    appeal_ground: Mapped[AppealGround | None] = mapped_column(
        enum_column(AppealGround, "appeal_ground")
    )
    opened_on: Mapped[date]
    certificate_on: Mapped[date | None]
    hearing_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    outcome: Mapped[DisputeOutcome | None] = mapped_column(
        enum_column(DisputeOutcome, "dispute_outcome")
    )
    recorded_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.CheckConstraint(
            "closed_on IS NULL OR closed_on >= opened_on", name="closed_after_opened"
        ),
        sa.CheckConstraint("outcome IS NULL OR closed_on IS NOT NULL", name="outcome_when_closed"),
        sa.CheckConstraint(
            "(stage = 'plan') = (plan_id IS NOT NULL)", name="plan_stage_names_a_plan"
        ),
        sa.CheckConstraint(
            "stage = 'plan' OR assessment_request_id IS NOT NULL",
            name="request_stages_name_a_request",
        ),
    )
