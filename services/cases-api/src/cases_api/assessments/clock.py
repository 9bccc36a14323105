"""The bridge to `cases_api.statutory`: a stored request as a timeline, and its clock."""

from datetime import date

from cases_api.assessments.models import AssessmentRequest
from cases_api.statutory import (
    AdviceRequest,
    AssessmentTimeline,
    ClockException,
    ClockSummary,
    RequestState,
    clock_summary,
)


def timeline_of(request: AssessmentRequest) -> AssessmentTimeline:
    """What happened on the request, as the statutory rules take it (raises StatutoryRuleError)."""
    assessed_on = request.entered_on(RequestState.DECIDED_TO_ASSESS)
    refused_on = request.entered_on(RequestState.REFUSED_TO_ASSESS)
    decided_on = assessed_on or refused_on
    return AssessmentTimeline(
        received_on=request.received_on,
        decided_on=decided_on,
        decided_to_assess=None if decided_on is None else assessed_on is not None,
        advice_requests=tuple(
            AdviceRequest(
                advice=advice.advice,
                requested_on=advice.requested_on,
                received_on=advice.received_on,
                request_received_on=advice.request_received_on,
                appointment_missed_on=advice.appointment_missed_on,
            )
            for advice in request.advice_requests
        ),
        no_plan_notice_on=request.entered_on(RequestState.DECIDED_NOT_TO_ISSUE),
        draft_sent_on=draft_under_comment(request),
        comments_waived=request.comments_waived,
        final_issued_on=request.entered_on(RequestState.FINAL_ISSUED),
        exceptions=tuple(
            ClockException(
                ground=exception.ground,
                start=exception.starts_on,
                end=exception.ends_on,
                advice_requested_on=exception.advice_requested_on,
            )
            for exception in request.exceptions
        ),
        withdrawn_on=request.entered_on(RequestState.WITHDRAWN),
    )


def draft_under_comment(request: AssessmentRequest) -> date | None:
    """The day the draft the family comments on was sent: the plan's latest draft (a revised
    draft opens a new window, as the plan counts it), else the day the request entered
    draft_issued."""
    drafted = request.entered_on(RequestState.DRAFT_ISSUED)
    if drafted is None or request.commented_draft_on is None:
        return drafted
    return max(drafted, request.commented_draft_on)


def clock_of(request: AssessmentRequest, *, as_of: date, due_soon_days: int = 14) -> ClockSummary:
    """The request's statutory clock on ``as_of``."""
    return clock_summary(timeline_of(request), today=as_of, due_soon_days=due_soon_days)
