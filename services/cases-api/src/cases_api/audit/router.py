"""The audit trail over HTTP: admins read it; nothing here (or anywhere) changes it."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from cases_api.access.policy import Audit, policy
from cases_api.audit import queries
from cases_api.audit.models import AuditAction
from cases_api.audit.queries import AuditFilters
from cases_api.audit.schemas import AuditEventRead
from cases_api.auth.deps import require_roles
from cases_api.auth.principal import Principal, Role
from cases_api.core.deps import SessionDep
from cases_api.core.errors import InvalidInput
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link

router = APIRouter(tags=["audit"])

Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
Moment = Annotated[
    datetime | None,
    Query(description="ISO 8601 with a time zone, e.g. 2026-11-29T09:00:00Z."),
]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]


@router.get(
    "/audit-events",
    operation_id="listAuditEvents",
    summary="The audit trail, newest first: by child, subject, resource, action, time",
    dependencies=[policy(Audit.read("audit-events"))],
)
def list_audit_events(
    request: Request,
    response: Response,
    session: SessionDep,
    admin: Admin,
    child_id: uuid.UUID | None = None,
    subject: Text = None,
    resource_type: Text = None,
    resource_id: Text = None,
    action: AuditAction | None = None,
    occurred_from: Moment = None,
    occurred_to: Moment = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[AuditEventRead]:
    """The append-only audit trail of `/v1` calls, newest first: who (subject, role,
    organisation), what (action, resource), when, request id, outcome and reason. Filter by
    child, subject, resource, action or time. Who may call: administrators only; every other
    role gets 403."""
    for moment in (occurred_from, occurred_to):
        if moment is not None and moment.tzinfo is None:
            raise InvalidInput("Times need a time zone (e.g. a trailing Z).")
    filters = AuditFilters(
        child_id=child_id,
        subject=subject,
        resource_type=resource_type,
        resource_id=resource_id,
        action=action,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
    )
    rows, next_cursor = queries.list_audit_events(
        session, la_code=admin.la_code or "", filters=filters, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    return Page(items=[AuditEventRead.model_validate(row) for row in rows], next_cursor=next_cursor)
