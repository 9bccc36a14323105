"""Bodies of the family's submissions on a plan: views for section A, comments on a draft."""

import uuid
from datetime import datetime
from typing import Any, Self

from pydantic import Field, model_validator

from cases_api.core.schemas import InputModel, OutputModel
from cases_api.plans.models import FamilySubmission, SubmissionKind


class FamilyViewsCreate(InputModel):
    """Section A in the family's words; the LA's officer copies it into the next version."""

    views: str = Field(default="", max_length=8000)
    interests: str = Field(default="", max_length=8000)
    aspirations: str = Field(default="", max_length=8000)

    @model_validator(mode="after")
    def _something_said(self) -> Self:
        if not (self.views.strip() or self.interests.strip() or self.aspirations.strip()):
            raise ValueError("say something in views, interests or aspirations")
        return self


class DraftCommentsCreate(InputModel):
    comments: str = Field(
        min_length=1, max_length=8000, examples=["Section F: weekly, not termly."]
    )


class FamilySubmissionRead(OutputModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    kind: SubmissionKind
    version_number: int = Field(description="The plan's latest version when it was sent.")
    content: dict[str, Any]
    submitted_by: str | None = Field(
        description="Who sent it (the token's subject). Null to a parent for what another "
        "guardian sent: an identity provider's id is not another parent's to see."
    )
    submitted_role: str
    created_at: datetime


def present_submission(submission: FamilySubmission) -> FamilySubmissionRead:
    """The API view of a family submission."""
    return FamilySubmissionRead.model_validate(submission)
