"""HTTP routes of reassessment requests. Thin: parse, call, present."""

import uuid

from fastapi import APIRouter, Response, status

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, policy
from cases_api.auth.deps import Officer
from cases_api.core.deps import SessionDep
from cases_api.core.time import today
from cases_api.idempotency.deps import IdempotencyDep, respond_created
from cases_api.plans.http import IF_MATCH_PROBLEMS, AsOfQuery, IfMatch, with_etag
from cases_api.reassessments import service
from cases_api.reassessments.schemas import (
    ReassessmentDecision,
    ReassessmentRequestCreate,
    ReassessmentRequestRead,
    present_reassessment,
)

router = APIRouter(tags=["reassessments"])


@router.post(
    "/plans/{plan_id}/reassessment-requests",
    status_code=status.HTTP_201_CREATED,
    operation_id="recordReassessmentRequest",
    summary="Record a request to reassess: the decision is due in 15 days (reg 27)",
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def record_request(
    plan_id: uuid.UUID,
    body: ReassessmentRequestCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> ReassessmentRequestRead:
    on = today()
    request = service.record_request(session, plan_id=plan_id, data=body, today=on, scope=scope)
    created = present_reassessment(request, plan_issued_on=None, as_of=on)
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/reassessment-requests/{created.id}",
        etag=created.etag,
    )
    return created


@router.get(
    "/reassessment-requests/{request_id}",
    operation_id="getReassessmentRequest",
    summary="Read a reassessment request with its deadlines",
    dependencies=[
        policy(Audit.read("reassessment-requests", "request_id"), scopes=("assessments:read",))
    ],
)
def get_request(
    request_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    as_of: AsOfQuery = None,
) -> ReassessmentRequestRead:
    request = service.get_reassessment(session, request_id=request_id, scope=scope)
    found = present_reassessment(
        request,
        plan_issued_on=service.plan_issued_after(session, request),
        as_of=as_of or today(),
    )
    with_etag(response, found.etag)
    return found


@router.post(
    "/reassessment-requests/{request_id}/decision",
    operation_id="decideReassessment",
    summary="Record the decision whether to reassess, as notified (needs If-Match)",
    responses=IF_MATCH_PROBLEMS,
    dependencies=[policy(Audit.write("reassessment-requests", "request_id"))],
)
def decide(
    request_id: uuid.UUID,
    body: ReassessmentDecision,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> ReassessmentRequestRead:
    on = today()
    request = service.decide(
        session, request_id=request_id, data=body, if_match=if_match, today=on, scope=scope
    )
    decided = present_reassessment(
        request, plan_issued_on=service.plan_issued_after(session, request), as_of=on
    )
    with_etag(response, decided.etag)
    return decided
