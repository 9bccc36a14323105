"""Request and response bodies of requests for assessment, their clocks and disputes."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from cases_api.assessments.clock import clock_of
from cases_api.assessments.models import (
    AdviceRequestRecord,
    AssessmentRequest,
    ClockExceptionRecord,
    DisputeEvent,
    DisputeKind,
    DisputeOutcome,
    DisputeStage,
    RequestCorrection,
    RequestSource,
    RequestTransition,
)
from cases_api.core.etag import etag_for
from cases_api.core.references import ChildReference, PlanReference, RequestReference
from cases_api.core.schemas import (
    LEGAL_BASIS_HELP,
    CaseDate,
    InputModel,
    LegalBases,
    OutputModel,
    PastDate,
    Urn,
)
from cases_api.deadlines.schemas import AppealDeadlineRead, present_appeal_deadline
from cases_api.statutory import (
    AdviceType,
    AppealGround,
    ClockSummary,
    ExceptionGround,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    RequestState,
    allowed_transitions,
    basis,
)
from send_contracts.problems import FieldRuleError

# Bounded so date arithmetic never leaves the calendar, whatever a client sends.
OfficerId = Annotated[
    str, Field(min_length=1, max_length=200, description="The officer's token subject.")
]


class AssessmentRequestCreate(InputModel):
    """Officers record any request. A parent may start one for their own child (source
    `parent`, received today); a school for a pupil (source `school`, received today, from one
    of its establishments). Neither may assign an officer."""

    child_id: ChildReference
    source: RequestSource
    received_on: PastDate = Field(description="The day the LA received the request.")
    assigned_officer: OfficerId | None = None
    submitted_by_urn: Urn | None = Field(
        default=None, description="The establishment that submitted it, if a school did."
    )


class Assignment(InputModel):
    assigned_officer: OfficerId | None = Field(description="Null leaves the request unassigned.")


APPEALABLE_STATES = frozenset({RequestState.REFUSED_TO_ASSESS, RequestState.DECIDED_NOT_TO_ISSUE})


class TransitionCreate(InputModel):
    to_state: RequestState = Field(examples=["decided_to_assess"])
    occurred_on: PastDate = Field(description="The day it happened (decision, issue…).")
    notice_sent_on: PastDate | None = Field(
        default=None,
        description="refused_to_assess and decided_not_to_issue only: the day the decision notice "
        "was sent to the family; the time to appeal runs from it (HESC Rules 2008 r20(1)).",
    )

    @model_validator(mode="after")
    def _notice_of_an_appealable_decision(self) -> Self:
        if self.notice_sent_on is None:
            return self
        if self.to_state not in APPEALABLE_STATES:
            raise FieldRuleError(
                "notice_sent_on",
                "notice_sent_on goes only with refused_to_assess or decided_not_to_issue",
            )
        if self.notice_sent_on < self.occurred_on:
            raise FieldRuleError(
                "notice_sent_on", "the decision notice was sent before the decision was made"
            )
        return self


class DecisionNotice(InputModel):
    """The day the notice of a refusal to assess or to issue was sent to the family."""

    sent_on: PastDate


class CorrectedField(StrEnum):
    """A date of the request that can be corrected: its receipt, the day it entered a state,
    or when one kind of advice was asked for or arrived."""

    RECEIVED_ON = "received_on"
    DECIDED_TO_ASSESS_ON = "decided_to_assess_on"
    REFUSED_TO_ASSESS_ON = "refused_to_assess_on"
    ADVICE_REQUESTED_ON = "advice_requested_on"
    DECIDED_TO_ISSUE_ON = "decided_to_issue_on"
    DECIDED_NOT_TO_ISSUE_ON = "decided_not_to_issue_on"
    DRAFT_ISSUED_ON = "draft_issued_on"
    FINAL_ISSUED_ON = "final_issued_on"
    WITHDRAWN_ON = "withdrawn_on"
    DECISION_NOTICE_SENT_ON = "decision_notice_sent_on"
    EDUCATION_ADVICE_REQUESTED_ON = "advice.education.requested_on"
    EDUCATION_ADVICE_RECEIVED_ON = "advice.education.received_on"
    HEALTH_ADVICE_REQUESTED_ON = "advice.health.requested_on"
    HEALTH_ADVICE_RECEIVED_ON = "advice.health.received_on"
    SOCIAL_CARE_ADVICE_REQUESTED_ON = "advice.social_care.requested_on"
    SOCIAL_CARE_ADVICE_RECEIVED_ON = "advice.social_care.received_on"
    EP_ADVICE_REQUESTED_ON = "advice.educational_psychologist.requested_on"
    EP_ADVICE_RECEIVED_ON = "advice.educational_psychologist.received_on"


class CorrectionCreate(InputModel):
    """A wrongly recorded date and the right one; the old value is kept in the correction."""

    field: CorrectedField
    new_value: PastDate
    reason: str = Field(min_length=3, max_length=2000, description="Why the date was wrong.")


class CorrectionRead(OutputModel):
    id: uuid.UUID
    request_id: uuid.UUID
    field: str
    old_value: date
    new_value: date
    reason: str
    corrected_by: str
    corrected_at: datetime


REQUEST_RECEIVED_HELP = (
    "The day the adviser received the LA's request: reg 8(1)'s six weeks run from it (from "
    "requested_on, the earliest possible day, until it is recorded)."
)
APPOINTMENT_MISSED_HELP = (
    "The family missed an appointment for an examination or test the adviser made; within the "
    "six weeks it excuses the adviser's time limit (reg 8(2))."
)


class AdviceRequestCreate(InputModel):
    advice: AdviceType
    requested_on: PastDate
    received_on: PastDate | None = Field(default=None, description="The day the advice arrived.")
    request_received_on: PastDate | None = Field(default=None, description=REQUEST_RECEIVED_HELP)
    appointment_missed_on: PastDate | None = Field(
        default=None, description=APPOINTMENT_MISSED_HELP
    )

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.received_on is not None and self.received_on < self.requested_on:
            raise FieldRuleError("received_on", "the advice was received before it was requested")
        return self


class AdviceReceipt(InputModel):
    received_on: PastDate


class AdviserDates(InputModel):
    """What happened at the adviser's end; each date is recorded once."""

    request_received_on: PastDate | None = Field(default=None, description=REQUEST_RECEIVED_HELP)
    appointment_missed_on: PastDate | None = Field(
        default=None, description=APPOINTMENT_MISSED_HELP
    )

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.request_received_on is None and self.appointment_missed_on is None:
            raise ValueError("give request_received_on, appointment_missed_on or both")
        return self


class ClockExceptionCreate(InputModel):
    ground: ExceptionGround
    starts_on: CaseDate = Field(
        description="The first day of the circumstance (for setting_closed, of the closure)."
    )
    ends_on: CaseDate = Field(
        description="The last day (for setting_closed, the day before the setting re-opened)."
    )
    advice_requested_on: CaseDate | None = Field(
        default=None,
        description="setting_closed only, and required there: the day the LA asked the head "
        "teacher or principal for advice, from one week before the closure to one week before "
        "the re-opening (reg 10(4)(a)).",
    )
    note: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.ends_on < self.starts_on:
            raise FieldRuleError("ends_on", "the exception ends before it starts")
        closed = self.ground is ExceptionGround.SETTING_CLOSED
        if closed != (self.advice_requested_on is not None):
            raise ValueError(
                "advice_requested_on goes with setting_closed (the day the head teacher was "
                "asked for advice), and only with it"
            )
        return self


class DisputeEventCreate(InputModel):
    stage: DisputeStage
    kind: DisputeKind
    assessment_request_id: RequestReference | None = Field(
        default=None, description="Required for the request and assessment stages."
    )
    plan_id: PlanReference | None = Field(default=None, description="Required for the plan stage.")
    child_id: ChildReference | None = Field(
        default=None, description="Required for the plan stage; otherwise the request's child."
    )
    appeal_ground: AppealGround | None = None
    opened_on: PastDate
    certificate_on: PastDate | None = Field(
        default=None, description="Mediation certificate issued (mediation only)."
    )
    hearing_on: CaseDate | None = Field(default=None, description="Tribunal hearing date.")
    closed_on: PastDate | None = None
    outcome: DisputeOutcome | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        check_dispute_rules(self)
        return self


_OUTCOMES = {
    DisputeKind.MEDIATION: {
        DisputeOutcome.AGREED,
        DisputeOutcome.NOT_AGREED,
        DisputeOutcome.WITHDRAWN,
    },
    DisputeKind.TRIBUNAL: {
        DisputeOutcome.UPHELD,
        DisputeOutcome.PARTLY_UPHELD,
        DisputeOutcome.DISMISSED,
        DisputeOutcome.CONCEDED,
        DisputeOutcome.WITHDRAWN,
    },
}


def check_dispute_rules(data: DisputeEventCreate) -> None:
    """The rules a dispute event must satisfy as a whole; ValueError names the first broken."""
    if data.stage is DisputeStage.PLAN:
        if data.plan_id is None or data.child_id is None:
            raise ValueError("a plan-stage dispute needs plan_id and child_id")
    elif data.assessment_request_id is None or data.plan_id is not None:
        raise ValueError(f"a {data.stage}-stage dispute needs assessment_request_id, no plan_id")
    after_opening = {
        "certificate_on": data.certificate_on,
        "hearing_on": data.hearing_on,
        "closed_on": data.closed_on,
    }
    for name, value in after_opening.items():
        if value is not None and value < data.opened_on:
            raise FieldRuleError(name, f"{name} is before opened_on")
    if data.kind is DisputeKind.MEDIATION and data.hearing_on is not None:
        raise FieldRuleError("hearing_on", "a mediation has no hearing")
    if data.kind is DisputeKind.TRIBUNAL and data.certificate_on is not None:
        raise FieldRuleError(
            "certificate_on", "certificate_on belongs to the mediation, not the appeal"
        )
    if data.outcome is not None:
        if data.closed_on is None:
            raise FieldRuleError("closed_on", "an outcome needs closed_on")
        if data.outcome not in _OUTCOMES[data.kind]:
            raise FieldRuleError("outcome", f"{data.outcome} is not an outcome of a {data.kind}")


class AssessmentMilestoneRead(OutputModel):
    kind: MilestoneKind
    detail: str = Field(description="Which one, when a kind repeats (the advice type).")
    due: date = Field(description="The plain statutory due date.")
    adjusted_due: date = Field(description="Pushed back by recorded exception days.")
    done: date | None
    status: MilestoneStatus
    days_remaining: int | None
    days_late: int | None
    legal_basis: str = Field(description=LEGAL_BASIS_HELP)
    exception_applies: bool = Field(
        description="A recorded exception excuses this time limit: it falls within the limit's "
        "period on a ground the limit accepts (reg 5(4), 8(2), 10(4), 13(3))."
    )


class ClockRead(OutputModel):
    """The statutory clock on ``as_of``, derived from the stored dates on every read."""

    as_of: date
    received_on: date
    milestones: list[AssessmentMilestoneRead]
    final_plan_due: date
    final_plan_adjusted_due: date
    exception_days: int
    exception_applies: bool
    within_20_weeks: bool | None = Field(
        description="Every issued plan counted (the DfE's 'including exceptions'); null until issued."
    )
    within_20_weeks_excluding_exceptions: bool | None = Field(
        description="Null where an exception applied (left out of that measure) or until issued."
    )
    comment_window_ends: date | None
    may_finalise_from: date | None
    withdrawn_on: date | None
    legal_bases: LegalBases


class TransitionRead(OutputModel):
    from_state: RequestState
    to_state: RequestState
    occurred_on: date
    recorded_by: str
    recorded_at: datetime


class AdviceRequestRead(OutputModel):
    id: uuid.UUID
    advice: AdviceType
    requested_on: date
    request_received_on: date | None
    appointment_missed_on: date | None
    received_on: date | None


class ClockExceptionRead(OutputModel):
    id: uuid.UUID
    ground: ExceptionGround
    starts_on: date
    ends_on: date
    advice_requested_on: date | None
    note: str | None


class AssessmentRequestRead(OutputModel):
    id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    la_code: str
    source: RequestSource
    received_on: date
    state: RequestState
    allowed_transitions: list[RequestState] = Field(
        description="The lawful next states. draft_issued and final_issued come with the plan "
        "(POST /v1/plans naming the request; POST /v1/plans/{id}/versions, kind final)."
    )
    assigned_officer: str | None
    submitted_by_urn: int | None
    comments_waived: bool = Field(
        description="Read from the plan made from this request: the family waived the comment "
        "window on its latest draft, or when it was made final."
    )
    transitions: list[TransitionRead]
    advice_requests: list[AdviceRequestRead]
    exceptions: list[ClockExceptionRead]
    corrections: list[CorrectionRead] = Field(
        description="Dates corrected since they were recorded, oldest first; the dates above "
        "already hold the corrected values."
    )
    clock: ClockRead
    decision_notice_sent_on: date | None = Field(
        description="The day the notice of a refusal to assess or to issue was sent."
    )
    appeal_deadline: date | None = Field(
        description="After a refusal to assess or to issue: the last day to appeal to the "
        "tribunal (appeal.last_day; see appeal for how it was counted)."
    )
    appeal: AppealDeadlineRead | None
    etag: str = Field(description="The record's version; every change moves it.")
    created_at: datetime
    updated_at: datetime


class DisputeEventRead(OutputModel):
    id: uuid.UUID
    child_id: uuid.UUID
    assessment_request_id: uuid.UUID | None
    plan_id: uuid.UUID | None
    stage: DisputeStage
    kind: DisputeKind
    appeal_ground: AppealGround | None
    opened_on: date
    certificate_on: date | None
    hearing_on: date | None
    closed_on: date | None
    outcome: DisputeOutcome | None
    recorded_by: str
    created_at: datetime


def present_milestone(milestone: Milestone) -> AssessmentMilestoneRead:
    """The API view of one milestone."""
    return AssessmentMilestoneRead(
        kind=milestone.kind,
        detail=milestone.detail,
        due=milestone.due,
        adjusted_due=milestone.adjusted_due,
        done=milestone.done,
        status=milestone.status,
        days_remaining=milestone.days_remaining,
        days_late=milestone.days_late,
        legal_basis=milestone.legal_basis,
        exception_applies=milestone.exception_applies,
    )


def present_clock(summary: ClockSummary) -> ClockRead:
    """The API view of a clock."""
    return ClockRead(
        as_of=summary.as_of,
        received_on=summary.received_on,
        milestones=[present_milestone(m) for m in summary.milestones],
        final_plan_due=summary.final_plan_due,
        final_plan_adjusted_due=summary.final_plan_adjusted_due,
        exception_days=summary.exception_days,
        exception_applies=summary.exception_applies,
        within_20_weeks=summary.within_20_weeks,
        within_20_weeks_excluding_exceptions=summary.within_20_weeks_excluding_exceptions,
        comment_window_ends=summary.comment_window_ends,
        may_finalise_from=summary.may_finalise_from,
        withdrawn_on=summary.withdrawn_on,
        legal_bases=clock_legal_bases(summary),
    )


def clock_legal_bases(summary: ClockSummary) -> dict[str, str]:
    """The legal basis of each bare deadline date of a clock."""
    bases = {
        "final_plan_due": basis.FINAL_PLAN,
        "final_plan_adjusted_due": f"{basis.FINAL_PLAN}, extended by exceptions (reg 13(3))",
    }
    if summary.comment_window_ends is not None:
        bases["comment_window_ends"] = basis.COMMENT_WINDOW
        bases["may_finalise_from"] = basis.COMMENT_WINDOW
    return bases


def present_appeal(request: AssessmentRequest) -> AppealDeadlineRead | None:
    """The appeal deadline of a refused request, with how it was counted."""
    appeal = request.appeal()
    decided_on = request.appealable_decision_on()
    if appeal is None or decided_on is None:
        return None
    sent_on = request.decision_notice_sent_on
    return present_appeal_deadline(
        appeal, counted_from=sent_on or decided_on, provisional=sent_on is None
    )


def child_name(request: AssessmentRequest) -> str:
    """The child's name as officers read it."""
    return f"{request.child.given_name} {request.child.family_name}"


def present_request(request: AssessmentRequest, *, as_of: date) -> AssessmentRequestRead:
    """The API view of a request, with its clock on ``as_of``."""
    return AssessmentRequestRead(
        id=request.id,
        child_id=request.child_id,
        child_name=child_name(request),
        la_code=request.la_code,
        source=request.source,
        received_on=request.received_on,
        state=request.state,
        allowed_transitions=sorted(allowed_transitions(request.state)),
        assigned_officer=request.assigned_officer,
        submitted_by_urn=request.submitted_by_urn,
        comments_waived=request.comments_waived,
        transitions=[_transition(t) for t in request.transitions],
        advice_requests=[_advice(a) for a in request.advice_requests],
        exceptions=[_exception(e) for e in request.exceptions],
        corrections=[present_correction(c) for c in request.corrections],
        clock=present_clock(clock_of(request, as_of=as_of)),
        decision_notice_sent_on=request.decision_notice_sent_on,
        appeal_deadline=request.appeal_deadline(),
        appeal=present_appeal(request),
        etag=etag_for(request.version),
        created_at=request.created_at,
        updated_at=request.updated_at,
    )


def _transition(row: RequestTransition) -> TransitionRead:
    return TransitionRead.model_validate(row)


def _advice(row: AdviceRequestRecord) -> AdviceRequestRead:
    return AdviceRequestRead.model_validate(row)


def _exception(row: ClockExceptionRecord) -> ClockExceptionRead:
    return ClockExceptionRead.model_validate(row)


def present_correction(row: RequestCorrection) -> CorrectionRead:
    """The API view of a correction."""
    return CorrectionRead.model_validate(row)


def present_dispute(event: DisputeEvent) -> DisputeEventRead:
    """The API view of a dispute event."""
    return DisputeEventRead.model_validate(event)
