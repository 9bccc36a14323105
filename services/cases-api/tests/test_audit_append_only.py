"""The database itself refuses to change or delete audit events and disposal tombstones."""

import uuid
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from cases_api.audit.models import AuditAction, AuditEvent
from cases_api.privacy.models import DisposalTombstone


def _event() -> AuditEvent:
    return AuditEvent(
        subject="someone",
        role="officer",
        la_code="855",
        school_urns=[],
        action=AuditAction.READ,
        resource_type="children",
        resource_id=None,
        child_id=uuid.uuid4(),
        operation_id="getChild",
        method="GET",
        path="/v1/children/x",
        request_id="r",
        outcome=200,
        reason=None,
    )


def _tombstone() -> DisposalTombstone:
    return DisposalTombstone(
        child_id=uuid.uuid4(), rule="ehcp_record", due_on=date(2020, 1, 1), purged_by="cli:test"
    )


@pytest.mark.parametrize(
    ("make", "table", "change"),
    [
        (_event, AuditEvent.__table__, {"outcome": 500}),
        (_tombstone, DisposalTombstone.__table__, {"purged_by": "someone else"}),
    ],
)
def test_rows_can_be_added_but_never_changed_or_deleted(
    session: Session, make: object, table: sa.Table, change: dict[str, object]
) -> None:
    assert callable(make)
    session.add(make())
    session.commit()
    for statement in (sa.update(table).values(**change), sa.delete(table)):
        with pytest.raises(DatabaseError, match="append-only"), session.begin_nested():
            session.execute(statement)
    assert session.scalar(sa.select(sa.func.count()).select_from(table)) >= 1
