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
    """Records a request to reassess a child or young person with a plan in force (409
    otherwise); the decision is due within 15 days (reg 27). Who may call: officers of the
    LA that holds the record. Other roles get 403; a record you may not see is 404. Send an
    `Idempotency-Key` to retry safely: the same key and body within 24 hours replay the
    first answer; the same key with another body is 422."""
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
    """Reads a reassessment request with its deadlines and decision, and its `ETag`. Who may
    call: the LA's officers; the child's school and family, for their own children; service
    clients with the scopes named under `security`. Administrators get 403. A record you may
    not see is 404, exactly as one that does not exist."""
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
    """Records the decision whether to reassess, with the day the family was notified; deciding
    twice is 409. Who may call: officers of the LA that holds the record. Other roles get
    403; a record you may not see is 404. Needs `If-Match` with the ETag of your last read:
    428 without it, 412 when the record has changed since (read it again)."""
    on = today()
    request = service.decide(
        session, request_id=request_id, data=body, if_match=if_match, today=on, scope=scope
    )
    decided = present_reassessment(
        request, plan_issued_on=service.plan_issued_after(session, request), as_of=on
    )
    with_etag(response, decided.etag)
    return decided
