"""Listing plans and their versions, with filters and keyset pagination."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cases_api.access.scope import Scope
from cases_api.children.models import Child
from cases_api.core.keyset import Keyset, fetch_page, typed
from cases_api.plans.models import Plan, PlanVersion, VersionKind
from cases_api.plans.schemas import PlanStatus


@dataclass(frozen=True, kw_only=True)
class PlanFilters:
    child_id: uuid.UUID | None = None
    la_code: str | None = None
    status: PlanStatus | None = None
    scope: Scope  # the caller's: required, so a query never reads every LA's rows by default


def _status_clause(status: PlanStatus) -> ColumnElement[bool]:
    not_ceased = Plan.ceased_on.is_(None)
    if status is PlanStatus.CEASED:
        return Plan.ceased_on.is_not(None)
    if status is PlanStatus.DRAFT:
        return sa.and_(not_ceased, Plan.made_on.is_(None))
    amending = Plan.latest_kind == VersionKind.AMENDMENT_NOTICE
    made = sa.and_(not_ceased, Plan.made_on.is_not(None))
    return sa.and_(made, amending if status is PlanStatus.BEING_AMENDED else ~amending)


_NEWEST_FIRST = Keyset(
    name="-created_at",
    key=Plan.created_at.expression,
    tiebreak=Plan.id.expression,
    descending=True,
    parse=lambda key, tiebreak: (
        datetime.fromisoformat(typed(str)(key)),
        uuid.UUID(str(tiebreak)),
    ),
)


def list_plans(
    session: Session, *, filters: PlanFilters, limit: int, cursor: str | None
) -> tuple[list[Plan], str | None]:
    """One page of plans, newest first, and the next cursor."""
    query = sa.select(Plan).where(filters.scope.children_filter(Plan.child_id))
    if filters.child_id is not None:
        query = query.where(Plan.child_id == filters.child_id)
    if filters.la_code is not None:
        query = query.join(Child, Child.id == Plan.child_id).where(Child.la_code == filters.la_code)
    if filters.status is not None:
        query = query.where(_status_clause(filters.status))
    rows, next_cursor = fetch_page(session, query, keyset=_NEWEST_FIRST, limit=limit, cursor=cursor)
    return [row.Plan for row in rows], next_cursor


def list_versions(
    session: Session, *, plan_id: uuid.UUID, scope: Scope, limit: int, cursor: str | None
) -> tuple[list[PlanVersion], str | None]:
    """One page of a plan's versions, oldest first."""
    keyset = Keyset(
        name="number",
        key=PlanVersion.number.expression,
        tiebreak=PlanVersion.id.expression,
        parse=lambda key, tiebreak: (typed(int)(key), uuid.UUID(str(tiebreak))),
    )
    visible = sa.select(Plan.id).where(Plan.id == plan_id, scope.children_filter(Plan.child_id))
    query = sa.select(PlanVersion).where(PlanVersion.plan_id.in_(visible))
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.PlanVersion for row in rows], next_cursor
