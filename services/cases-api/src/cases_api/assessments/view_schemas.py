"""Response bodies of the officer views: cases on the clock, counts and 20-week compliance."""

import uuid
from datetime import date

from pydantic import Field

from cases_api.assessments.clock import clock_of
from cases_api.assessments.models import AssessmentRequest
from cases_api.assessments.queries import ComplianceBasis
from cases_api.assessments.schemas import AssessmentMilestoneRead, child_name, present_milestone
from cases_api.assessments.views import AssessmentStage, CaseOnClock
from cases_api.core.schemas import OutputModel, legal_bases_of
from cases_api.statutory import RequestState, Timeliness, TwentyWeekCompliance, basis


class CaseOnClockRead(OutputModel):
    request_id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    la_code: str
    state: RequestState
    received_on: date
    assigned_officer: str | None
    milestones: list[AssessmentMilestoneRead] = Field(
        description="The milestones that put it in this view."
    )


class CaseCountRead(OutputModel):
    as_of: date
    count: int = Field(description="Requests in the view.")
    by_stage: dict[AssessmentStage, int] = Field(
        description="Requests with such a milestone at each stage (one may count at several)."
    )


class TimelinessRead(OutputModel):
    issued: int = Field(description="Denominator: plans issued.")
    within_20_weeks: int = Field(description="Numerator: of those, issued within 20 weeks.")
    rate: float | None = Field(description="within_20_weeks / issued; null when none issued.")


class ComplianceRead(OutputModel):
    la_code: str | None
    basis: ComplianceBasis
    period_from: date
    period_to: date
    all_plans: TimelinessRead = Field(description="Every plan (the DfE's 'including exceptions').")
    excluding_exception_cases: TimelinessRead = Field(
        description="Plans where no exception applied (the DfE's 'excluding exceptions')."
    )


class IssuedPlanRead(OutputModel):
    request_id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    received_on: date
    final_issued_on: date
    final_plan_due: date
    final_plan_adjusted_due: date
    days_taken: int = Field(description="Days from receipt to the final plan.")
    within_20_weeks: bool
    exception_applies: bool
    within_20_weeks_excluding_exceptions: bool | None
    legal_bases: dict[str, str] = legal_bases_of(
        final_plan_due=basis.FINAL_PLAN,
        final_plan_adjusted_due=f"{basis.FINAL_PLAN}, extended by exceptions (reg 13(3))",
    )


def present_case(case: CaseOnClock) -> CaseOnClockRead:
    """The API view of a case in an officer view."""
    request = case.request
    return CaseOnClockRead(
        request_id=request.id,
        child_id=request.child_id,
        child_name=child_name(request),
        la_code=request.la_code,
        state=request.state,
        received_on=request.received_on,
        assigned_officer=request.assigned_officer,
        milestones=[present_milestone(m) for m in case.milestones],
    )


def _timeliness(figures: Timeliness) -> TimelinessRead:
    rate = figures.rate
    return TimelinessRead(
        issued=figures.issued,
        within_20_weeks=figures.within_20_weeks,
        rate=None if rate is None else round(rate, 4),
    )


def present_compliance(
    compliance: TwentyWeekCompliance,
    *,
    la_code: str | None,
    basis: ComplianceBasis,
    period_from: date,
    period_to: date,
) -> ComplianceRead:
    """The API view of 20-week compliance over a period."""
    return ComplianceRead(
        la_code=la_code,
        basis=basis,
        period_from=period_from,
        period_to=period_to,
        all_plans=_timeliness(compliance.all_plans),
        excluding_exception_cases=_timeliness(compliance.excluding_exception_cases),
    )


def present_issued_plan(request: AssessmentRequest) -> IssuedPlanRead:
    """The API view of one issued plan's timeliness."""
    issued_on = request.entered_on(RequestState.FINAL_ISSUED)
    assert issued_on is not None, "only requests with a final plan are listed"
    clock = clock_of(request, as_of=issued_on)
    return IssuedPlanRead(
        request_id=request.id,
        child_id=request.child_id,
        child_name=child_name(request),
        received_on=request.received_on,
        final_issued_on=issued_on,
        final_plan_due=clock.final_plan_due,
        final_plan_adjusted_due=clock.final_plan_adjusted_due,
        days_taken=(issued_on - request.received_on).days,
        within_20_weeks=clock.within_20_weeks is True,
        exception_applies=clock.exception_applies,
        within_20_weeks_excluding_exceptions=clock.within_20_weeks_excluding_exceptions,
    )
