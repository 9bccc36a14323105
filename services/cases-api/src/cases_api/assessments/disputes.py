"""Mediation and tribunal events on requests, assessments and plans."""

import uuid

from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.assessments.models import DisputeEvent, DisputeStage
from cases_api.assessments.schemas import DisputeEventCreate
from cases_api.assessments.service import get_request
from cases_api.core.errors import InvalidInput, NotFound, UnknownReference
from cases_api.plans.models import Plan
from cases_api.statutory import RequestState


def get_dispute(session: Session, *, dispute_id: uuid.UUID, scope: Scope) -> DisputeEvent:
    """The dispute event with this id, if the caller may see its child."""
    event = session.get(DisputeEvent, dispute_id)
    if event is None or not scope.can_see_child(session, event.child_id):
        raise NotFound(f"No dispute event with id {dispute_id}.")
    return event


def record_dispute(session: Session, *, data: DisputeEventCreate, scope: Scope) -> DisputeEvent:
    """Record a mediation or an appeal, about a request, an assessment or a plan."""
    if data.assessment_request_id is not None:
        try:
            request = get_request(session, request_id=data.assessment_request_id, scope=scope)
        except NotFound as error:
            raise UnknownReference(error.detail) from error
        if data.child_id is not None and data.child_id != request.child_id:
            raise InvalidInput("child_id is not the child of that request.")
        if data.opened_on < request.received_on:
            raise InvalidInput(
                f"opened_on ({data.opened_on}) is before the request was received "
                f"({request.received_on})."
            )
        assessed = request.entered_on(RequestState.DECIDED_TO_ASSESS) is not None
        if data.stage is DisputeStage.ASSESSMENT and not assessed:
            raise InvalidInput(
                "An assessment-stage dispute needs a request decided for assessment."
            )
        child_id, la_code = request.child_id, request.la_code
    else:
        child = None if data.child_id is None else scope.find_child(session, data.child_id)
        if child is None:
            raise UnknownReference(f"child_id {data.child_id} is not a known child.")
        child_id, la_code = child.id, child.la_code
    if data.plan_id is not None:
        plan = session.get(Plan, data.plan_id)
        if plan is None or plan.child_id != child_id:
            raise InvalidInput(f"plan_id {data.plan_id} is not a plan of this child.")
    scope.require_write_in(la_code)
    event = DisputeEvent(
        **data.model_dump(exclude={"child_id"}),
        child_id=child_id,
        recorded_by=scope.principal.subject,
    )
    session.add(event)
    session.flush()
    return event
