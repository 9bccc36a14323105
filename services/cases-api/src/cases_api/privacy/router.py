"""HTTP routes of subject access exports, legal holds and retention.

Exports and holds are the LA's officers' work on their own children; the retention rules and the
due-for-disposal report (ids and dates, no personal details) are open to administrators too.
"""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import HTMLResponse

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, Reason, policy
from cases_api.auth.deps import Officer, OfficerOrAdmin
from cases_api.core.deps import SessionDep
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link, single_page
from cases_api.core.schemas import IsoDate
from cases_api.core.time import today
from cases_api.idempotency.deps import IdempotencyDep, respond_created
from cases_api.plans.http import IfMatch
from cases_api.privacy import retention, service
from cases_api.privacy.presenters import export_document, present_due, present_export
from cases_api.privacy.schemas import (
    DueChildRead,
    ExportCreate,
    ExportRead,
    LegalHoldCreate,
    LegalHoldRead,
    RedactionChange,
    RetentionRuleRead,
)

router = APIRouter()

# A subject access export gathers the whole record, and a hold overrides the retention schedule:
# the officer says why each time.
SUBJECT_ACCESS = Reason.always("subject access exports")
LEGAL_HOLD = Reason.always("legal holds, which override the retention schedule")

_EXPORTS = "/children/{child_id}/subject-access-exports"


@router.post(
    _EXPORTS,
    status_code=status.HTTP_201_CREATED,
    operation_id="createSubjectAccessExport",
    summary="Gather everything held about a child into a draft export (needs a reason)",
    tags=["subject access"],
    dependencies=[policy(Audit.export("children", "child_id"), reason=SUBJECT_ACCESS)],
)
def create_export(
    child_id: uuid.UUID,
    body: ExportCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> ExportRead:
    """Starts a subject access request: gathers everything held about the child (record,
    guardians, requests, disputes, plans, placements, consultations, allocation rounds,
    tribunal orders, transfers, reassessments) into a draft export to check and redact
    before release; 201 with `Location`. Who may call: officers of the child's LA, with
    `X-Access-Reason` (422 without one); every other role gets 403. Send an
    `Idempotency-Key` to retry safely: the same key and body within 24 hours replay the
    first answer; the same key with another body is 422."""
    export = present_export(
        service.create_export(session, child_id=child_id, data=body, scope=scope)
    )
    location = f"/v1/children/{child_id}/subject-access-exports/{export.id}"
    respond_created(response, idempotency, body=export, location=location)
    return export


@router.get(
    _EXPORTS + "/{export_id}",
    operation_id="getSubjectAccessExport",
    summary="A subject access export as JSON, redactions applied to its content",
    tags=["subject access"],
    dependencies=[
        policy(Audit.export("subject-access-exports", "export_id"), reason=SUBJECT_ACCESS)
    ],
)
def get_export(
    child_id: uuid.UUID,
    export_id: uuid.UUID,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
) -> ExportRead:
    """A subject access export as JSON, with its redactions applied to the content (the officer
    sees what is marked). Who may call: officers of the child's LA, with `X-Access-Reason`
    (422 without one); every other role gets 403."""
    return present_export(
        service.get_export(session, child_id=child_id, export_id=export_id, scope=scope)
    )


@router.get(
    _EXPORTS + "/{export_id}/document",
    operation_id="getSubjectAccessExportDocument",
    summary="A subject access export as a printable HTML document",
    tags=["subject access"],
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}},
    dependencies=[
        policy(Audit.export("subject-access-exports", "export_id"), reason=SUBJECT_ACCESS)
    ],
)
def get_export_document(
    child_id: uuid.UUID,
    export_id: uuid.UUID,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
) -> HTMLResponse:
    """A subject access export as a printable HTML document for the requester, redactions
    applied. Who may call: officers of the child's LA, with `X-Access-Reason` (422 without
    one); every other role gets 403."""
    export = service.get_export(session, child_id=child_id, export_id=export_id, scope=scope)
    return HTMLResponse(export_document(export))


@router.post(
    _EXPORTS + "/{export_id}/redactions",
    operation_id="markSubjectAccessRedactions",
    summary="Mark (or unmark) third-party information to withhold, before release",
    tags=["subject access"],
    dependencies=[
        policy(Audit.write("subject-access-exports", "export_id"), reason=SUBJECT_ACCESS)
    ],
)
def change_redactions(
    child_id: uuid.UUID,
    export_id: uuid.UUID,
    body: RedactionChange,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
) -> ExportRead:
    """Marks (or unmarks) third-party information in a draft export to withhold before release;
    a released export is 409. Who may call: officers of the child's LA, with
    `X-Access-Reason` (422 without one); every other role gets 403."""
    return present_export(
        service.change_redactions(
            session, child_id=child_id, export_id=export_id, change=body, scope=scope
        )
    )


@router.post(
    _EXPORTS + "/{export_id}/release",
    operation_id="releaseSubjectAccessExport",
    summary="Release the export: its content and redactions are frozen",
    tags=["subject access"],
    dependencies=[
        policy(Audit.export("subject-access-exports", "export_id"), reason=SUBJECT_ACCESS)
    ],
)
def release_export(
    child_id: uuid.UUID,
    export_id: uuid.UUID,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
) -> ExportRead:
    """Releases the export to the requester: its content and redactions are frozen, and further
    changes are 409. Who may call: officers of the child's LA, with `X-Access-Reason` (422
    without one); every other role gets 403."""
    return present_export(
        service.release_export(session, child_id=child_id, export_id=export_id, scope=scope)
    )


@router.post(
    "/children/{child_id}/legal-hold",
    status_code=status.HTTP_201_CREATED,
    operation_id="placeLegalHold",
    summary="Keep a child's records past their disposal date (with a reason)",
    tags=["retention"],
    dependencies=[policy(Audit.write("children", "child_id"), reason=LEGAL_HOLD)],
)
def place_legal_hold(
    child_id: uuid.UUID,
    body: LegalHoldCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
) -> LegalHoldRead:
    """Keeps a child's records past their disposal date (litigation, an inquiry …): the
    retention purge skips them while the hold stands. A hold already in place is 409. The
    reason goes in `X-Access-Reason` (422 without one). Who may call: officers of the
    child's LA; other roles get 403."""
    hold = service.place_legal_hold(session, child_id=child_id, data=body, scope=scope)
    response.headers["ETag"] = service.hold_etag(hold)
    return LegalHoldRead.model_validate(hold)


@router.get(
    "/children/{child_id}/legal-hold",
    operation_id="getLegalHold",
    summary="A child's legal hold (404 when there is none)",
    tags=["retention"],
    dependencies=[policy(Audit.read("children", "child_id"))],
)
def get_legal_hold(
    child_id: uuid.UUID,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
) -> LegalHoldRead:
    """A child's legal hold: who placed it, when and why; 404 when there is none. Who may call:
    officers of the child's LA; other roles get 403."""
    hold = service.get_legal_hold(session, child_id=child_id, scope=scope)
    response.headers["ETag"] = service.hold_etag(hold)
    return LegalHoldRead.model_validate(hold)


@router.delete(
    "/children/{child_id}/legal-hold",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="liftLegalHold",
    summary="Lift a child's legal hold (the reason goes in X-Access-Reason; needs If-Match)",
    tags=["retention"],
    dependencies=[policy(Audit.write("children", "child_id"), reason=LEGAL_HOLD)],
)
def lift_legal_hold(
    child_id: uuid.UUID,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    if_match: IfMatch = None,
) -> Response:
    """Lifts a child's legal hold; the records are then disposed of on the retention schedule.
    The reason goes in `X-Access-Reason` (422 without one). Who may call: officers of the
    child's LA; other roles get 403."""
    service.lift_legal_hold(session, child_id=child_id, if_match=if_match, scope=scope)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/retention/rules",
    operation_id="listRetentionRules",
    summary="How long each class of a child's records is kept",
    tags=["retention"],
    dependencies=[policy(Audit.read("rules"))],
)
def list_rules(_: OfficerOrAdmin) -> Page[RetentionRuleRead]:
    """The retention schedule: each class of a child's records and the birthday of the child
    until which it is kept. Who may call: officers and administrators; other roles get 403."""
    return single_page(
        RetentionRuleRead.model_validate(rule, from_attributes=True) for rule in retention.RULES
    )


@router.get(
    "/retention/due",
    operation_id="listRetentionDue",
    summary="Children whose records are due for disposal, oldest first (held ones flagged)",
    tags=["retention"],
    dependencies=[policy(Audit.read("due"))],
)
def list_due(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: OfficerOrAdmin,
    as_of: Annotated[
        IsoDate | None,
        Query(ge=date(1900, 1, 1), le=date(2999, 12, 31), description="Default: today."),
    ] = None,
    la_code: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[DueChildRead]:
    """Officers and administrators see their own LA's children only (another LA's code gives
    an empty page, as every list's filters do)."""
    if la_code is not None and la_code != principal.la_code:
        return Page(items=[], next_cursor=None)
    rows, next_cursor = retention.list_due(
        session,
        as_of=as_of or today(),
        la_code=principal.la_code or "",
        limit=limit,
        cursor=cursor,
    )
    set_next_link(request, response, next_cursor)
    return Page(items=[present_due(row) for row in rows], next_cursor=next_cursor)
