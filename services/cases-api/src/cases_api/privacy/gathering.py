"""Everything held about a child (and the parent asking), gathered as plain JSON for an export.
Rows are read column by column, so a field added to any record later is exported too."""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic_core import to_jsonable_python
from sqlalchemy.orm import Session

from cases_api.assessments.clock import clock_of
from cases_api.assessments.models import AssessmentRequest, DisputeEvent
from cases_api.assessments.schemas import present_clock
from cases_api.children.models import Child, ChildGuardian, Guardian
from cases_api.core.db import Base
from cases_api.la_transfers.models import CommissioningChange, LaTransfer
from cases_api.placements.models import Placement
from cases_api.plans.models import Plan, PlanVersion
from cases_api.reassessments.models import ReassessmentRequest
from cases_api.reviews.models import AnnualReview, ScheduledReviewMeeting
from cases_api.rounds.models import Consultation, RoundChild, RoundDecision
from cases_api.tribunal_orders.models import TribunalOrder


def row(record: Base) -> dict[str, Any]:
    """Every stored column of a record, as JSON values."""
    columns = sa.inspect(record).mapper.column_attrs
    return {column.key: to_jsonable_python(getattr(record, column.key)) for column in columns}


def _rows(records: Iterable[Base]) -> list[dict[str, Any]]:
    return [row(record) for record in records]


def _request(session: Session, request: AssessmentRequest, as_of: date) -> dict[str, Any]:
    return row(request) | {
        "transitions": _rows(request.transitions),
        "advice_requests": _rows(request.advice_requests),
        "clock_exceptions": _rows(request.exceptions),
        "corrections": _rows(request.corrections),
        "clock": present_clock(clock_of(request, as_of=as_of)).model_dump(mode="json"),
    }


def _plan(session: Session, plan: Plan) -> dict[str, Any]:
    versions = session.scalars(
        sa.select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number)
    )
    reviews = session.scalars(
        sa.select(AnnualReview).where(AnnualReview.plan_id == plan.id).order_by(AnnualReview.due_on)
    )
    scheduled = session.get(ScheduledReviewMeeting, plan.id)
    return row(plan) | {
        "versions": _rows(versions),
        "annual_reviews": _rows(reviews),
        "scheduled_review": row(scheduled) if scheduled else None,
    }


def _guardian(session: Session, guardian: Guardian) -> dict[str, Any]:
    links = session.scalars(
        sa.select(ChildGuardian).where(ChildGuardian.guardian_id == guardian.id)
    )
    return _guardian_row(guardian, own=True) | {"links": [row(link) for link in links]}


# What a do-not-disclose flag keeps out of an export, and the flags themselves (a parent is not
# told that the other parent, or the child's address, is protected from them).
CHILD_CONTACT_COLUMNS = ("home_postcode", "home_latitude", "home_longitude")
GUARDIAN_CONTACT_COLUMNS = ("email", "phone")
FLAG = "do_not_disclose"


def _child(child: Child, *, for_parent: bool) -> dict[str, Any]:
    """The child's row; in an export for a parent, without a flagged child's home postcode
    and location (the export for the child keeps them: they are the child's own)."""
    content = row(child) | {"needs": [need.value for need in child.needs]}
    if for_parent and child.do_not_disclose:
        content |= dict.fromkeys(CHILD_CONTACT_COLUMNS)
    content.pop(FLAG)
    return content


def _guardians(child: Child, requesting: Guardian | None) -> list[dict[str, Any]]:
    """The child's guardians. For a parent: their own link in full, and of the others only
    the verified ones' names and relationship (UK GDPR art 15(4): others' data is not theirs).
    For the child: every guardian, without the contact details of a flagged one."""
    gathered = []
    for link in child.guardian_links:
        guardian = link.guardian
        if requesting is not None and guardian.id != requesting.id:
            if link.verified:
                gathered.append(
                    {
                        "relationship_to_child": link.relationship_to_child,
                        "verified": True,
                        "guardian": {"display_name": guardian.display_name},
                    }
                )
            continue
        own = requesting is not None
        gathered.append(row(link) | {"guardian": _guardian_row(guardian, own=own)})
    return gathered


def _guardian_row(guardian: Guardian, *, own: bool) -> dict[str, Any]:
    """A guardian's row; a flag withholds the contact details from everyone but the guardian."""
    content = row(guardian)
    if content.pop(FLAG) and not own:
        content |= dict.fromkeys(GUARDIAN_CONTACT_COLUMNS)
    return content


def gather(
    session: Session, *, child: Child, requesting_guardian: Guardian | None, as_of: date
) -> dict[str, Any]:
    """The export's content: the child's record and every record about them, by section."""
    child_id: uuid.UUID = child.id

    def about_child(model: Any, *order: Any) -> list[Any]:
        query = sa.select(model).where(model.child_id == child_id).order_by(*order)
        return list(session.scalars(query))

    requests = about_child(AssessmentRequest, AssessmentRequest.received_on, AssessmentRequest.id)
    return {
        "child": _child(child, for_parent=requesting_guardian is not None),
        "guardians": _guardians(child, requesting_guardian),
        "assessment_requests": [_request(session, request, as_of) for request in requests],
        "disputes": _rows(about_child(DisputeEvent, DisputeEvent.id)),
        "plans": [_plan(session, plan) for plan in about_child(Plan, Plan.created_at, Plan.id)],
        "placements": _rows(about_child(Placement, Placement.created_at, Placement.id)),
        "consultations": _rows(about_child(Consultation, Consultation.created_at, Consultation.id)),
        "round_entries": _rows(about_child(RoundChild, RoundChild.created_at, RoundChild.round_id)),
        "round_decisions": _rows(about_child(RoundDecision, RoundDecision.id)),
        "tribunal_orders": [
            row(order) | {"steps": _rows(order.steps)}
            for order in about_child(TribunalOrder, TribunalOrder.started_on, TribunalOrder.id)
        ],
        "la_transfers": _rows(about_child(LaTransfer, LaTransfer.moved_on, LaTransfer.id)),
        "commissioning_changes": _rows(
            about_child(CommissioningChange, CommissioningChange.created_at, CommissioningChange.id)
        ),
        "reassessment_requests": _rows(
            about_child(
                ReassessmentRequest, ReassessmentRequest.received_on, ReassessmentRequest.id
            )
        ),
        "requesting_parent": (
            _guardian(session, requesting_guardian) if requesting_guardian is not None else None
        ),
    }


def items(content: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every leaf of the content with its JSON Pointer (RFC 6901), in document order."""
    if isinstance(content, dict):
        if not content:
            return [(path, content)]
        return [
            leaf
            for key, value in content.items()
            for leaf in items(value, f"{path}/{_escape(str(key))}")
        ]
    if isinstance(content, list):
        if not content:
            return [(path, content)]
        return [
            leaf for index, value in enumerate(content) for leaf in items(value, f"{path}/{index}")
        ]
    return [(path, content)]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
