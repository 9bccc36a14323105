"""HTTP pieces the case-record routers share: If-Match and its problems, ETags, view counts,
milestones."""

from datetime import date
from typing import Annotated, Any

from fastapi import Header, Query, Response
from pydantic import Field

from cases_api.core.schemas import LEGAL_BASIS_HELP, IsoDate, OutputModel
from cases_api.statutory import MilestoneKind, MilestoneStatus
from send_contracts import PROBLEM_MEDIA_TYPE

IfMatch = Annotated[
    str | None,
    Header(description="The ETag from your last read of this record (required).", max_length=200),
]

AsOfQuery = Annotated[
    IsoDate | None,
    Query(
        ge=date(2000, 1, 1),
        le=date(2100, 12, 31),
        description="Evaluate deadlines on this day instead of today (for reports).",
    ),
]
LaCodeQuery = Annotated[str | None, Query(pattern=r"^\d{3}$", description="The child's LA.")]


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


# `install_openapi` documents these on PATCH only; POSTs that need If-Match declare them here.
IF_MATCH_PROBLEMS: dict[int | str, dict[str, Any]] = {
    412: _problem("The If-Match ETag is stale: read the record again"),
    428: _problem("If-Match is required"),
}


def with_etag(response: Response, etag: str) -> None:
    """Send the record's ETag, for the caller's next If-Match."""
    response.headers["ETag"] = etag


class ViewCount(OutputModel):
    """How many rows an officers' view holds with the same filters."""

    count: int
    as_of: date


class PlanMilestoneRead(OutputModel):
    """A statutory step's due date and its status on the day asked about."""

    kind: MilestoneKind
    detail: str = Field(
        default="", description="Which one, or what meets it, where that needs saying."
    )
    due: date
    done: date | None
    status: MilestoneStatus
    days_remaining: int | None
    days_late: int | None
    legal_basis: str = Field(description=LEGAL_BASIS_HELP)
