"""A school's ties to a child, as SQL: which children a school may read, and until when.

A school reads a child's record while it works with the child and for a grace period after
the tie ends (`CASES_SCHOOL_ACCESS_GRACE_DAYS`, 28 days by default): long enough to finish
the paperwork of a move (the transfer of the pupil's file, the last invoice, an annual review
already arranged), short enough that a school the family did not choose stops reading. UK GDPR
art 5(1)(c) (data minimisation) and (e) (storage limitation) are the reason; the number is
ours, not the law's, and it is a setting.

Each tie and the day it ends:

- the child's current school: no end while it is the current school; the school the child
  left, from `children.left_previous_school_on` (recorded when `current_school_urn` changes);
- a placement at one of its provisions: no end while active; an ended one, from `ends_on`;
- a consultation of one of its provisions: pending, until `due_on` (a consultation not
  answered by its due date has lapsed; the school still reads the consultation itself);
  declined or withdrawn, from `answered_on` (or `due_on` if never answered); agreed, while
  no placement was made from it (an agreed consultation makes one, which then governs);
- a request for assessment it submitted: no end while open; once closed (refused, not issued,
  withdrawn, plan issued), from the day of its last transition;
- a plan naming one of its provisions in section I: until the plan ceases.
"""

import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from cases_api.assessments.models import AssessmentRequest, RequestTransition
from cases_api.children.models import Child
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.plans.models import Plan
from cases_api.provisions.models import Provision
from cases_api.rounds.models import Consultation, ConsultationStatus
from cases_api.settings import get_settings
from cases_api.statutory.requests_state import FINAL_STATES


def grace_cutoff(today: date) -> date:
    """The earliest end of a tie that still gives access today."""
    return today - timedelta(days=get_settings().school_access_grace_days)


def school_child_ids(urns: list[int], *, today: date) -> sa.Select[uuid.UUID]:
    """The ids of the children tied to one of these schools today (one query, no rows read)."""
    cutoff = grace_cutoff(today)
    at_school = sa.select(Provision.id).where(Provision.establishment_urn.in_(urns))
    pupils = sa.select(Child.id).where(Child.current_school_urn.in_(urns))
    left = sa.select(Child.id).where(
        Child.previous_school_urn.in_(urns), Child.left_previous_school_on >= cutoff
    )
    placed = sa.select(Placement.child_id).where(
        Placement.provision_id.in_(at_school),
        sa.or_(
            Placement.status == PlacementStatus.ACTIVE,
            sa.and_(Placement.ends_on.is_not(None), Placement.ends_on >= cutoff),
        ),
    )
    consulted = sa.select(Consultation.child_id).where(
        Consultation.provision_id.in_(at_school), _consultation_live(cutoff)
    )
    last_transition = (
        sa.select(sa.func.max(RequestTransition.occurred_on))
        .where(RequestTransition.request_id == AssessmentRequest.id)
        .scalar_subquery()
    )
    submitted = sa.select(AssessmentRequest.child_id).where(
        AssessmentRequest.submitted_by_urn.in_(urns),
        sa.or_(
            AssessmentRequest.state.not_in(sorted(FINAL_STATES)),
            last_transition >= cutoff,
        ),
    )
    named = sa.select(Plan.child_id).where(
        Plan.named_provision_id.in_(at_school),
        sa.or_(Plan.ceased_on.is_(None), Plan.ceased_on >= cutoff),
    )
    return sa.select(sa.union(pupils, left, placed, consulted, submitted, named).subquery().c[0])


def _consultation_live(cutoff: date) -> sa.ColumnElement[bool]:
    pending = sa.and_(
        Consultation.status == ConsultationStatus.PENDING, Consultation.due_on >= cutoff
    )
    agreed = sa.and_(
        Consultation.status == ConsultationStatus.AGREED, Consultation.placement_id.is_(None)
    )
    closed = sa.and_(
        Consultation.status.in_([ConsultationStatus.DECLINED, ConsultationStatus.WITHDRAWN]),
        sa.func.coalesce(Consultation.answered_on, Consultation.due_on) >= cutoff,
    )
    return sa.or_(pending, agreed, closed)
