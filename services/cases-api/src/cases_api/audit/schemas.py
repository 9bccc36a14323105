"""The audit trail as admins read it."""

import uuid
from datetime import datetime

from cases_api.audit.models import AuditAction
from cases_api.core.schemas import OutputModel


class AuditEventRead(OutputModel):
    """One read, write, export or purge of a child's data."""

    id: uuid.UUID
    occurred_at: datetime
    subject: str
    role: str
    la_code: str | None
    school_urns: list[int]
    action: AuditAction
    resource_type: str
    resource_id: str | None
    child_id: uuid.UUID | None
    operation_id: str
    method: str
    path: str
    request_id: str | None
    outcome: int
    reason: str | None
