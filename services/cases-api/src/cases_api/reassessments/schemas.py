"""Request and response bodies of reassessment requests."""

import uuid
from datetime import date, datetime

from pydantic import Field

from cases_api.core.etag import etag_for
from cases_api.core.schemas import CaseDate, InputModel, OutputModel
from cases_api.deadlines.schemas import DeadlineRead, present_deadline
from cases_api.reassessments.models import ReassessmentRequest
from cases_api.statutory.reassessment import reassessment_dates, reassessment_deadlines


class ReassessmentRequestCreate(InputModel):
    received_on: CaseDate = Field(description="The day the LA received the request.")
    last_assessed_on: CaseDate | None = Field(
        default=None,
        description="When the last EHC needs assessment was made, for the six months of reg 27(3).",
    )


class ReassessmentDecision(InputModel):
    decision_notified_on: CaseDate
    reassessing: bool


class ReassessmentRequestRead(OutputModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    child_id: uuid.UUID
    received_on: date
    last_assessed_on: date | None
    may_refuse_as_too_soon: bool = Field(
        description="The request came within six months of the last assessment: the LA may "
        "refuse it unless it thinks a reassessment necessary (reg 27(3))."
    )
    six_months_elapse_on: date | None
    decision_notified_on: date | None
    reassessing: bool | None
    plan_issued_on: date | None = Field(
        description="The first re-issued plan on or after the request, once reassessing."
    )
    deadlines: list[DeadlineRead]
    as_of: date
    etag: str
    recorded_by: str
    created_at: datetime


def present_reassessment(
    request: ReassessmentRequest, *, plan_issued_on: date | None, as_of: date
) -> ReassessmentRequestRead:
    dates = reassessment_dates(
        request_received_on=request.received_on, last_assessed_on=request.last_assessed_on
    )
    issued = plan_issued_on if request.reassessing else None
    deadlines = reassessment_deadlines(
        request_received_on=request.received_on,
        today=as_of,
        last_assessed_on=request.last_assessed_on,
        decision_notified_on=request.decision_notified_on,
        reassessing=request.reassessing,
        plan_issued_on=issued,
    )
    return ReassessmentRequestRead(
        id=request.id,
        plan_id=request.plan_id,
        child_id=request.child_id,
        received_on=request.received_on,
        last_assessed_on=request.last_assessed_on,
        may_refuse_as_too_soon=dates.may_refuse_as_too_soon,
        six_months_elapse_on=dates.six_months_elapse_on,
        decision_notified_on=request.decision_notified_on,
        reassessing=request.reassessing,
        plan_issued_on=issued,
        deadlines=[present_deadline(d) for d in deadlines],
        as_of=as_of,
        etag=etag_for(request.version),
        recorded_by=request.recorded_by,
        created_at=request.created_at,
    )
