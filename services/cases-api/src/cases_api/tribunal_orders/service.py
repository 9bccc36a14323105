"""Record tribunal orders against an appeal, and the steps the LA took to comply."""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.assessments.disputes import get_dispute
from cases_api.assessments.models import DisputeKind
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, InvalidInput, NotFound
from cases_api.core.etag import check_if_match
from cases_api.core.time import utcnow
from cases_api.statutory.tribunal_orders import ComplianceStep, OrderKind, compliance_steps
from cases_api.tribunal_orders.models import TribunalOrder, TribunalOrderStep
from cases_api.tribunal_orders.schemas import ComplianceStepCreate, TribunalOrderCreate


def get_order(session: Session, *, order_id: uuid.UUID, scope: Scope) -> TribunalOrder:
    """The order with this id, if the caller may see its child."""
    order = session.get(TribunalOrder, order_id)
    if order is None or not scope.can_see_child(session, order.child_id):
        raise NotFound(f"No tribunal order with id {order_id}.")
    return order


def list_orders(session: Session, *, dispute_id: uuid.UUID, scope: Scope) -> list[TribunalOrder]:
    """The orders on one appeal, oldest first (an appeal has few)."""
    get_dispute(session, dispute_id=dispute_id, scope=scope)
    query = (
        sa.select(TribunalOrder)
        .where(TribunalOrder.dispute_id == dispute_id)
        .order_by(TribunalOrder.started_on, TribunalOrder.id)
    )
    return list(session.scalars(query))


def record_order(
    session: Session,
    *,
    dispute_id: uuid.UUID,
    data: TribunalOrderCreate,
    today: date,
    scope: Scope,
) -> TribunalOrder:
    """Record an order (or concession) on a tribunal appeal; its limits start with it."""
    dispute = get_dispute(session, dispute_id=dispute_id, scope=scope)
    scope.require_write(session.get_one(Child, dispute.child_id))
    if dispute.kind is not DisputeKind.TRIBUNAL:
        raise Conflict("Orders are made on tribunal appeals; this event is a mediation.")
    if not dispute.opened_on <= data.started_on <= today:
        raise InvalidInput(
            f"started_on must be between the appeal ({dispute.opened_on}) and today.",
            errors=[{"location": "body.started_on", "message": "outside the appeal"}],
        )
    order = TribunalOrder(
        dispute_id=dispute.id,
        child_id=dispute.child_id,
        kind=data.kind,
        started_on=data.started_on,
        unopposed=data.unopposed,
        recorded_by=scope.principal.subject,
    )
    session.add(order)
    session.flush()
    return order


def record_step(
    session: Session,
    *,
    order_id: uuid.UUID,
    data: ComplianceStepCreate,
    if_match: str | None,
    today: date,
    scope: Scope,
) -> TribunalOrder:
    """Record a step done to comply with the order."""
    order = get_order(session, order_id=order_id, scope=scope)
    scope.require_write(session.get_one(Child, order.child_id))
    check_if_match(if_match, current_version=order.version)
    required = [step for step, _ in compliance_steps(order.kind)]
    if data.step not in required:
        raise InvalidInput(
            f"An order of kind {order.kind} requires {', '.join(required)}; not {data.step}.",
            errors=[{"location": "body.step", "message": "not a step of this order"}],
        )
    deciding = order.kind is OrderKind.ASSESS and data.step is ComplianceStep.ASSESSMENT_DECISION
    if (data.plan_to_follow is not None) != deciding:
        raise InvalidInput(
            "plan_to_follow goes with the assessment decision of an ordered assessment, and "
            "must be given with it.",
            errors=[{"location": "body.plan_to_follow", "message": "only with that decision"}],
        )
    if any(step.step is data.step for step in order.steps):
        raise Conflict(f"The step {data.step} was recorded already.")
    if not order.started_on <= data.done_on <= today:
        raise InvalidInput(
            f"done_on must be between the order ({order.started_on}) and today.",
            errors=[{"location": "body.done_on", "message": "outside the order's time"}],
        )
    if deciding and data.plan_to_follow is False:
        order.no_plan_decided = True
    order.steps.append(
        TribunalOrderStep(step=data.step, done_on=data.done_on, recorded_by=scope.principal.subject)
    )
    order.updated_at = utcnow()
    session.flush()
    return order
