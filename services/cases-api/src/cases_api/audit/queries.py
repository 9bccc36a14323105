"""Reading the audit trail: newest first, filtered, cursor-paginated."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.audit.models import AuditAction, AuditEvent
from cases_api.children.models import Child
from cases_api.core.keyset import Keyset, fetch_page, typed

_TEXT = typed(str)

NEWEST_FIRST = Keyset(
    name="-occurred_at",
    key=AuditEvent.occurred_at.expression,
    tiebreak=AuditEvent.id.expression,
    descending=True,
    parse=lambda key, tiebreak: (datetime.fromisoformat(_TEXT(key)), uuid.UUID(str(tiebreak))),
)


@dataclass(frozen=True, kw_only=True)
class AuditFilters:
    child_id: uuid.UUID | None = None
    subject: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    action: AuditAction | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


def of_la(la_code: str) -> sa.ColumnElement[bool]:
    """An LA's part of the trail: what its own staff did, and whatever anyone did to one of its
    children (a parent's, a school's, or another LA's refused attempt)."""
    return sa.or_(
        AuditEvent.la_code == la_code,
        AuditEvent.child_id.in_(sa.select(Child.id).where(Child.la_code == la_code)),
    )


def list_audit_events(
    session: Session, *, la_code: str, filters: AuditFilters, limit: int, cursor: str | None
) -> tuple[Sequence[AuditEvent], str | None]:
    """One page of the LA's audit events matching every filter given, newest first."""
    query = sa.select(AuditEvent).where(of_la(la_code))
    equal = {
        AuditEvent.child_id: filters.child_id,
        AuditEvent.subject: filters.subject,
        AuditEvent.resource_type: filters.resource_type,
        AuditEvent.resource_id: filters.resource_id,
        AuditEvent.action: filters.action,
    }
    for column, value in equal.items():
        if value is not None:
            query = query.where(column == value)
    if filters.occurred_from is not None:
        query = query.where(AuditEvent.occurred_at >= filters.occurred_from)
    if filters.occurred_to is not None:
        query = query.where(AuditEvent.occurred_at < filters.occurred_to)
    rows, next_cursor = fetch_page(session, query, keyset=NEWEST_FIRST, limit=limit, cursor=cursor)
    return [row[0] for row in rows], next_cursor
