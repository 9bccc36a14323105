"""HTTP routes of tribunal orders and compliance with them. Thin: parse, call, present."""

import uuid

from fastapi import APIRouter, Response, status

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, policy
from cases_api.auth.deps import Officer
from cases_api.core.deps import SessionDep
from cases_api.core.pagination import Page, single_page
from cases_api.core.time import today
from cases_api.idempotency.deps import IdempotencyDep, respond_created
from cases_api.plans.http import IF_MATCH_PROBLEMS, AsOfQuery, IfMatch, with_etag
from cases_api.tribunal_orders import service
from cases_api.tribunal_orders.schemas import (
    ComplianceStepCreate,
    TribunalOrderCreate,
    TribunalOrderRead,
    present_order,
)

router = APIRouter(tags=["disputes"])


@router.post(
    "/dispute-events/{dispute_id}/tribunal-orders",
    status_code=status.HTTP_201_CREATED,
    operation_id="recordTribunalOrder",
    summary="Record the Tribunal's order on an appeal, or the LA's not opposing it; shows the "
    "compliance deadlines (regs 44 and 45)",
    dependencies=[policy(Audit.write("dispute-events", "dispute_id"))],
)
def record_order(
    dispute_id: uuid.UUID,
    body: TribunalOrderCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> TribunalOrderRead:
    """Records the Tribunal's order on an appeal, or the LA's decision not to oppose it; the
    answer shows each compliance step's deadline (regs 44 and 45), counted from
    `started_on`. Only on a tribunal appeal (409 for a mediation); `started_on` outside the
    appeal is 422. Who may call: officers of the LA that holds the record. Other roles get
    403; a record you may not see is 404. Send an `Idempotency-Key` to retry safely: the
    same key and body within 24 hours replay the first answer; the same key with another
    body is 422."""
    on = today()
    order = service.record_order(session, dispute_id=dispute_id, data=body, today=on, scope=scope)
    created = present_order(order, as_of=on)
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/tribunal-orders/{created.id}",
        etag=created.etag,
    )
    return created


@router.get(
    "/dispute-events/{dispute_id}/tribunal-orders",
    operation_id="listTribunalOrders",
    summary="The orders on one appeal, with their compliance deadlines",
    tags=["disputes"],
    dependencies=[policy(Audit.read("dispute-events", "dispute_id"), scopes=("assessments:read",))],
)
def list_orders(
    dispute_id: uuid.UUID, session: SessionDep, scope: ScopeDep, as_of: AsOfQuery = None
) -> Page[TribunalOrderRead]:
    """The orders on one appeal, with their compliance deadlines and status. Who may call: the
    LA's officers; the child's family; service clients with the scopes named under
    `security`. Schools get 403 (mediation and tribunal records are the family's and the
    LA's), administrators too. A record you may not see is 404."""
    on = as_of or today()
    orders = service.list_orders(session, dispute_id=dispute_id, scope=scope)
    return single_page(present_order(order, as_of=on) for order in orders)


@router.get(
    "/tribunal-orders/{order_id}",
    operation_id="getTribunalOrder",
    summary="Read a tribunal order with each compliance step's deadline and status",
    dependencies=[policy(Audit.read("tribunal-orders", "order_id"), scopes=("assessments:read",))],
)
def get_order(
    order_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    as_of: AsOfQuery = None,
) -> TribunalOrderRead:
    """Reads a tribunal order with each compliance step's deadline and status, and its `ETag`.
    Who may call: the LA's officers; the child's family; service clients with the scopes
    named under `security`. Schools get 403 (mediation and tribunal records are the family's
    and the LA's), administrators too. A record you may not see is 404."""
    found = present_order(
        service.get_order(session, order_id=order_id, scope=scope), as_of=as_of or today()
    )
    with_etag(response, found.etag)
    return found


@router.post(
    "/tribunal-orders/{order_id}/steps",
    operation_id="recordComplianceStep",
    summary="Record a step done to comply with the order (needs If-Match)",
    responses=IF_MATCH_PROBLEMS,
    dependencies=[policy(Audit.write("tribunal-orders", "order_id"))],
)
def record_step(
    order_id: uuid.UUID,
    body: ComplianceStepCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> TribunalOrderRead:
    """Records a step done to comply with the order (for example the plan amended or the
    assessment made) and the day it was done. A step the order does not require is 422;
    recording one twice is 409. Who may call: officers of the LA that holds the record.
    Other roles get 403; a record you may not see is 404. Needs `If-Match` with the ETag of
    your last read: 428 without it, 412 when the record has changed since (read it again)."""
    on = today()
    order = service.record_step(
        session, order_id=order_id, data=body, if_match=if_match, today=on, scope=scope
    )
    recorded = present_order(order, as_of=on)
    with_etag(response, recorded.etag)
    return recorded
