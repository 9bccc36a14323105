"""Which child a path is about: directly (`children/{id}`) or through the record it names."""

import uuid
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.assessments.models import AssessmentRequest, DisputeEvent
from cases_api.placements.models import Placement
from cases_api.plans.models import Plan
from cases_api.reviews.models import AnnualReview
from cases_api.rounds.models import Consultation

_Lookup = Callable[[uuid.UUID], sa.Select[uuid.UUID]]

_LOOKUPS: dict[str, _Lookup] = {
    "assessment-requests": lambda id_: sa.select(AssessmentRequest.child_id).where(
        AssessmentRequest.id == id_
    ),
    "dispute-events": lambda id_: sa.select(DisputeEvent.child_id).where(DisputeEvent.id == id_),
    "plans": lambda id_: sa.select(Plan.child_id).where(Plan.id == id_),
    "annual-reviews": lambda id_: (
        sa.select(Plan.child_id)
        .join(AnnualReview, AnnualReview.plan_id == Plan.id)
        .where(AnnualReview.id == id_)
    ),
    "placements": lambda id_: sa.select(Placement.child_id).where(Placement.id == id_),
    "consultations": lambda id_: sa.select(Consultation.child_id).where(Consultation.id == id_),
}


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def child_of(session: Session, pairs: list[tuple[str, str]]) -> uuid.UUID | None:
    """The child named by (collection, identifier) pairs, if any; None when unknown."""
    for collection, identifier in pairs:
        if collection == "children":
            return _as_uuid(identifier)
    for collection, identifier in pairs:
        lookup = _LOOKUPS.get(collection)
        record_id = _as_uuid(identifier)
        if lookup is not None and record_id is not None:
            return session.scalar(lookup(record_id))
    return None
