"""HTTP routes of transfers between LAs (reg 15) and commissioning body changes (reg 16)."""

import uuid
from datetime import date

from fastapi import APIRouter, Request, Response, status
from sqlalchemy.orm import Session

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, policy
from cases_api.auth.deps import Officer
from cases_api.core.deps import SessionDep
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link
from cases_api.core.time import today
from cases_api.idempotency.deps import IdempotencyDep, respond_created
from cases_api.la_transfers import service
from cases_api.la_transfers.models import LaTransfer
from cases_api.la_transfers.schemas import (
    CommissioningAnswer,
    CommissioningChangeCreate,
    CommissioningChangeRead,
    FamilyNotified,
    LaTransferCreate,
    LaTransferRead,
    TransferDone,
    present_change,
    present_transfer,
)
from cases_api.plans.http import IF_MATCH_PROBLEMS, AsOfQuery, IfMatch, with_etag

router = APIRouter(tags=["transfers between LAs"])


def _present(
    session: Session, transfer: LaTransfer, *, as_of: date | None = None
) -> LaTransferRead:
    reviewed = service.first_review_after(session, transfer)
    return present_transfer(transfer, reviewed_on=reviewed, as_of=as_of or today())


@router.post(
    "/plans/{plan_id}/la-transfers",
    status_code=status.HTTP_201_CREATED,
    operation_id="recordLaTransfer",
    summary="The old LA records a family's move to another LA with the plan (reg 15)",
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def record_transfer(
    plan_id: uuid.UUID,
    body: LaTransferCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> LaTransferRead:
    """The old LA records that the family is moving to another LA with the child's plan (reg
    15); the answer shows the deadlines to transfer the plan and for the new LA to act. Who
    may call: officers of the LA holding the plan; other roles get 403. Send an
    `Idempotency-Key` to retry safely: the same key and body within 24 hours replay the
    first answer; the same key with another body is 422."""
    transfer = service.record_transfer(
        session, plan_id=plan_id, data=body, today=today(), scope=scope
    )
    created = _present(session, transfer)
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/la-transfers/{created.id}",
        etag=created.etag,
    )
    return created


@router.get(
    "/la-transfers",
    operation_id="listLaTransfers",
    summary="Transfers into and out of the caller's LA, latest move first, with deadlines",
    dependencies=[policy(Audit.read("la-transfers"), scopes=("plans:read",))],
)
def list_transfers(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    as_of: AsOfQuery = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[LaTransferRead]:
    """Transfers of plans into and out of the caller's LA, latest move first, with their
    deadlines. Who may call: the officers of either LA and service clients with the scope
    under `security`; other roles get 403."""
    transfers, next_cursor = service.list_transfers(
        session, scope=scope, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    return Page(
        items=[_present(session, t, as_of=as_of) for t in transfers], next_cursor=next_cursor
    )


@router.get(
    "/la-transfers/{transfer_id}",
    operation_id="getLaTransfer",
    summary="Read a transfer between LAs with its deadlines (either LA's officers)",
    dependencies=[policy(Audit.read("la-transfers", "transfer_id"), scopes=("plans:read",))],
)
def get_transfer(
    transfer_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    as_of: AsOfQuery = None,
) -> LaTransferRead:
    """Reads a transfer between LAs with its deadlines and `ETag`. Who may call: officers of
    either LA and service clients with the scope under `security`; one you may not see is
    404."""
    transfer = service.get_transfer(session, transfer_id=transfer_id, scope=scope)
    found = _present(session, transfer, as_of=as_of)
    with_etag(response, found.etag)
    return found


@router.post(
    "/la-transfers/{transfer_id}/transfer",
    operation_id="completeLaTransfer",
    summary="The old LA transfers the plan: the case moves to the new LA (needs If-Match)",
    responses=IF_MATCH_PROBLEMS,
    dependencies=[policy(Audit.write("la-transfers", "transfer_id"))],
)
def complete_transfer(
    transfer_id: uuid.UUID,
    body: TransferDone,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> LaTransferRead:
    """The old LA transfers the plan on a given day: the child's case moves to the new LA,
    whose officers see it from then on. Transferring twice is 409. Who may call: officers of
    the old LA; other roles get 403. Needs `If-Match` with the ETag of your last read: 428
    without it, 412 when the record has changed since (read it again)."""
    transfer = service.complete_transfer(
        session,
        transfer_id=transfer_id,
        data=body,
        if_match=if_match,
        today=today(),
        scope=scope,
    )
    done = _present(session, transfer)
    with_etag(response, done.etag)
    return done


@router.post(
    "/la-transfers/{transfer_id}/family-notice",
    operation_id="recordLaTransferFamilyNotice",
    summary="The new LA told the family of the transfer (reg 15(4)) (needs If-Match)",
    responses=IF_MATCH_PROBLEMS,
    dependencies=[policy(Audit.write("la-transfers", "transfer_id"))],
)
def record_family_notice(
    transfer_id: uuid.UUID,
    body: FamilyNotified,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> LaTransferRead:
    """The new LA records the day it told the family the plan was transferred, whether it will
    assess, and when it will review (reg 15(4)). Who may call: officers of the new LA, once
    the plan is transferred (409 before); other roles get 403. Needs `If-Match` with the
    ETag of your last read: 428 without it, 412 when the record has changed since (read it
    again)."""
    transfer = service.record_family_notified(
        session,
        transfer_id=transfer_id,
        data=body,
        if_match=if_match,
        today=today(),
        scope=scope,
    )
    done = _present(session, transfer)
    with_etag(response, done.etag)
    return done


@router.post(
    "/plans/{plan_id}/commissioning-changes",
    status_code=status.HTTP_201_CREATED,
    operation_id="recordCommissioningChange",
    summary="Record a change of the body commissioning the plan's health care (reg 16)",
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def record_change(
    plan_id: uuid.UUID,
    body: CommissioningChangeCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> CommissioningChangeRead:
    """Records a change of the body commissioning the plan's health care (reg 16), such as a
    move between health areas; the new body's deadline to act runs from when it became
    aware. Who may call: officers of the LA that holds the record. Other roles get 403; a
    record you may not see is 404. Send an `Idempotency-Key` to retry safely: the same key
    and body within 24 hours replay the first answer; the same key with another body is 422."""
    on = today()
    change = service.record_change(session, plan_id=plan_id, data=body, today=on, scope=scope)
    created = present_change(change, as_of=on)
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/commissioning-changes/{created.id}",
        etag=created.etag,
    )
    return created


@router.get(
    "/commissioning-changes/{change_id}",
    operation_id="getCommissioningChange",
    summary="Read a commissioning body change with the new body's deadline",
    dependencies=[policy(Audit.read("commissioning-changes", "change_id"), scopes=("plans:read",))],
)
def get_change(
    change_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    as_of: AsOfQuery = None,
) -> CommissioningChangeRead:
    """Reads a change of commissioning body with the new body's deadline and its answer. Who
    may call: the LA's officers; the child's school and family, for their own children;
    service clients with the scopes named under `security`. Administrators get 403. A record
    you may not see is 404, exactly as one that does not exist."""
    change = service.get_change(session, change_id=change_id, scope=scope)
    found = present_change(change, as_of=as_of or today())
    with_etag(response, found.etag)
    return found


@router.post(
    "/commissioning-changes/{change_id}/answer",
    operation_id="recordCommissioningAnswer",
    summary="The new body arranged the provision or asked the LA to assess or review "
    "(needs If-Match)",
    responses=IF_MATCH_PROBLEMS,
    dependencies=[policy(Audit.write("commissioning-changes", "change_id"))],
)
def record_answer(
    change_id: uuid.UUID,
    body: CommissioningAnswer,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> CommissioningChangeRead:
    """Records what the new commissioning body did: arranged the health provision, or asked the
    LA to assess or review. Answering twice is 409. Who may call: officers of the LA that
    holds the record. Other roles get 403; a record you may not see is 404. Needs `If-Match`
    with the ETag of your last read: 428 without it, 412 when the record has changed since
    (read it again)."""
    on = today()
    change = service.record_answer(
        session, change_id=change_id, data=body, if_match=if_match, today=on, scope=scope
    )
    done = present_change(change, as_of=on)
    with_etag(response, done.etag)
    return done
