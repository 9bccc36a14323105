"""The family's voice on a plan: views for section A at any time, comments on a draft or an
amendment notice while it is the latest version. Parents of the child (verified) send them, or
an officer records them on the family's behalf; schools and service clients do not."""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.auth.principal import Role
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, Forbidden
from cases_api.plans.models import FamilySubmission, Plan, SubmissionKind, VersionKind
from cases_api.plans.service import get_plan

_SENDERS = (Role.PARENT, Role.OFFICER)
_COMMENTED_KINDS = (VersionKind.DRAFT, VersionKind.AMENDMENT_NOTICE)


def _plan_for_family(session: Session, *, plan_id: uuid.UUID, scope: Scope) -> Plan:
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    if scope.role not in _SENDERS:
        raise Forbidden("Only the child's family, or the LA's officers for them, send these.")
    if scope.role is not Role.PARENT:
        scope.require_write(session.get_one(Child, plan.child_id))
    return plan


def submit(
    session: Session,
    *,
    plan_id: uuid.UUID,
    kind: SubmissionKind,
    content: dict[str, Any],
    scope: Scope,
) -> FamilySubmission:
    """Keep what the family sent about the plan."""
    plan = _plan_for_family(session, plan_id=plan_id, scope=scope)
    if kind is SubmissionKind.DRAFT_COMMENTS and plan.latest_kind not in _COMMENTED_KINDS:
        raise Conflict(
            "Comments are on a draft or an amendment notice; the latest version is "
            f"{plan.latest_kind.value}.",
            latest_kind=plan.latest_kind.value,
        )
    submission = FamilySubmission(
        plan_id=plan.id,
        kind=kind,
        version_number=plan.latest_version_number,
        content=content,
        submitted_by=scope.principal.subject,
        submitted_role=scope.role.value,
    )
    session.add(submission)
    session.flush()
    return submission


def list_submissions(
    session: Session, *, plan_id: uuid.UUID, scope: Scope
) -> list[FamilySubmission]:
    """What the family has sent about the plan, oldest first (not for schools)."""
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    if scope.role is Role.SCHOOL:
        raise Forbidden("The family's submissions are between the family and the LA.")
    query = (
        sa.select(FamilySubmission)
        .where(FamilySubmission.plan_id == plan.id)
        .order_by(FamilySubmission.created_at, FamilySubmission.id)
    )
    return list(session.scalars(query))
