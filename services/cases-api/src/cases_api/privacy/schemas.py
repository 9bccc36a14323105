"""Bodies of subject access exports, legal holds and the retention report."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field

from cases_api.core.references import GuardianReference
from cases_api.core.schemas import InputModel, OutputModel
from cases_api.privacy.models import ExportStatus

Reason = Annotated[str, Field(min_length=3, max_length=500)]
Pointer = Annotated[
    str,
    Field(
        min_length=2,
        max_length=500,
        pattern=r"^/",
        description="A JSON Pointer into the export's content, e.g. `/guardians/0/guardian/phone`.",
    ),
]


class ExportCreate(InputModel):
    requesting_guardian_id: GuardianReference | None = Field(
        default=None, description="The parent who asked, whose own records are included."
    )


class RedactionChange(InputModel):
    mark: list[Pointer] = Field(default_factory=list, max_length=1000)
    unmark: list[Pointer] = Field(default_factory=list, max_length=1000)


class ExportItem(OutputModel):
    """One value held, where it sits in the content, and whether it will be withheld."""

    path: str
    value: Any
    redacted: bool


class ExportRead(OutputModel):
    """A subject access export: `content` is what is released (redactions applied); `items`
    lists every value held, for the officer marking third-party information."""

    id: uuid.UUID
    child_id: uuid.UUID
    requesting_guardian_id: uuid.UUID | None
    status: ExportStatus
    created_by: str
    created_at: datetime
    released_by: str | None
    released_at: datetime | None
    redacted_paths: list[str]
    content: dict[str, Any]
    items: list[ExportItem]


class LegalHoldCreate(InputModel):
    reason: Reason


class LegalHoldRead(OutputModel):
    child_id: uuid.UUID
    reason: str
    placed_by: str
    placed_at: datetime


class RetentionRuleRead(OutputModel):
    record_class: str
    keep_until_age: int
    description: str


class DueChildRead(OutputModel):
    """A child whose records are due for disposal (not purged while `on_legal_hold`)."""

    child_id: uuid.UUID
    la_code: str
    record_class: str
    due_on: date
    on_legal_hold: bool
