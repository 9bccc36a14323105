"""Record a request to reassess and the LA's decision on it."""

import uuid
from datetime import date

from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, InvalidInput, NotFound
from cases_api.core.etag import check_if_match
from cases_api.core.time import utcnow
from cases_api.plans.models import Plan, VersionKind
from cases_api.plans.service import get_plan
from cases_api.reassessments.models import ReassessmentRequest
from cases_api.reassessments.schemas import ReassessmentDecision, ReassessmentRequestCreate


def get_reassessment(
    session: Session, *, request_id: uuid.UUID, scope: Scope
) -> ReassessmentRequest:
    request = session.get(ReassessmentRequest, request_id)
    if request is None or not scope.can_see_child(session, request.child_id):
        raise NotFound(f"No reassessment request with id {request_id}.")
    return request


def plan_issued_after(session: Session, request: ReassessmentRequest) -> date | None:
    """The first re-issue of the plan on or after the request (the plan after reassessment)."""
    plan = session.get_one(Plan, request.plan_id)
    return next(
        (
            v.issued_on
            for v in plan.versions
            if v.kind is VersionKind.REISSUE and v.issued_on >= request.received_on
        ),
        None,
    )


def record_request(
    session: Session,
    *,
    plan_id: uuid.UUID,
    data: ReassessmentRequestCreate,
    today: date,
    scope: Scope,
) -> ReassessmentRequest:
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    scope.require_write(session.get_one(Child, plan.child_id))
    if plan.made_on is None or plan.ceased_on is not None:
        raise Conflict("A reassessment is of a child or young person with a plan in force.")
    if not plan.made_on <= data.received_on <= today:
        raise InvalidInput.in_body(
            "received_on", f"received_on must be between the plan ({plan.made_on}) and today."
        )
    if data.last_assessed_on is not None and data.last_assessed_on > data.received_on:
        raise InvalidInput.in_body(
            "last_assessed_on", "last_assessed_on must be before the request."
        )
    request = ReassessmentRequest(
        plan_id=plan.id,
        child_id=plan.child_id,
        received_on=data.received_on,
        last_assessed_on=data.last_assessed_on,
        recorded_by=scope.principal.subject,
    )
    session.add(request)
    session.flush()
    return request


def decide(
    session: Session,
    *,
    request_id: uuid.UUID,
    data: ReassessmentDecision,
    if_match: str | None,
    today: date,
    scope: Scope,
) -> ReassessmentRequest:
    request = get_reassessment(session, request_id=request_id, scope=scope)
    scope.require_write(session.get_one(Child, request.child_id))
    check_if_match(if_match, current_version=request.version)
    if request.decision_notified_on is not None:
        raise Conflict(f"The decision was notified on {request.decision_notified_on}.")
    if not request.received_on <= data.decision_notified_on <= today:
        raise InvalidInput.in_body(
            "decision_notified_on",
            f"decision_notified_on must be between the request ({request.received_on}) and today.",
        )
    request.decision_notified_on = data.decision_notified_on
    request.reassessing = data.reassessing
    request.updated_at = utcnow()
    session.flush()
    return request
