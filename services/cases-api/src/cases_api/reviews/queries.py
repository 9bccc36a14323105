"""Listing reviews, and the officers' view of plans whose annual review is overdue."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cases_api.access.scope import Scope
from cases_api.children.models import Child
from cases_api.core.keyset import Keyset, fetch_page, typed
from cases_api.plans.models import Plan, PlanVersion, VersionKind
from cases_api.reviews.models import AnnualReview, ReviewOutcome
from cases_api.statutory import REVIEW_DECISION_WEEKS


@dataclass(frozen=True, kw_only=True)
class OverdueFilters:
    as_of: date
    la_code: str | None = None
    min_days_overdue: int = 1
    scope: Scope  # the caller's: required, so a query never reads every LA's rows by default


def _by_date(name: str, key: ColumnElement[Any], tiebreak: ColumnElement[Any]) -> Keyset:
    return Keyset(
        name=name,
        key=key,
        tiebreak=tiebreak,
        parse=lambda k, t: (date.fromisoformat(typed(str)(k)), uuid.UUID(str(t))),
    )


def _overdue_query(filters: OverdueFilters) -> sa.Select[Plan, Child]:
    # A plan's next_review_due moves on with every meeting held, so a date before today means
    # this cycle's meeting has not been held.
    latest_due = filters.as_of - timedelta(days=max(filters.min_days_overdue, 1))
    query = (
        sa.select(Plan, Child)
        .join(Child, Child.id == Plan.child_id)
        .where(Plan.ceased_on.is_(None), Plan.next_review_due <= latest_due)
    )
    if filters.la_code is not None:
        query = query.where(Child.la_code == filters.la_code)
    query = query.where(filters.scope.children_rows_filter())
    return query


def list_overdue(
    session: Session, *, filters: OverdueFilters, limit: int, cursor: str | None
) -> tuple[list[tuple[Plan, Child]], str | None]:
    """One page of plans overdue for review, longest overdue first."""
    keyset = _by_date("review_due", Plan.next_review_due.expression, Plan.id.expression)
    rows, next_cursor = fetch_page(
        session, _overdue_query(filters), keyset=keyset, limit=limit, cursor=cursor
    )
    return [(row.Plan, row.Child) for row in rows], next_cursor


def count_overdue(session: Session, *, filters: OverdueFilters) -> int:
    """How many plans are overdue for review."""
    query = _overdue_query(filters).with_only_columns(sa.func.count(Plan.id))
    return session.scalar(query) or 0


def list_reviews(
    session: Session, *, plan_id: uuid.UUID, scope: Scope, limit: int, cursor: str | None
) -> tuple[list[AnnualReview], str | None]:
    """One page of a plan's reviews, oldest meeting first."""
    keyset = _by_date("meeting_on", AnnualReview.meeting_on.expression, AnnualReview.id.expression)
    visible = sa.select(Plan.id).where(Plan.id == plan_id, scope.children_filter(Plan.child_id))
    query = sa.select(AnnualReview).where(AnnualReview.plan_id.in_(visible))
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.AnnualReview for row in rows], next_cursor


def _decisions_overdue_query(filters: OverdueFilters) -> sa.Select[AnnualReview, Plan]:
    # Reg 20(10) with reg 22(2): the decision is due four weeks after the meeting; a decision to
    # amend is made only by the amendment notice, so an 'amend' without one is still open.
    latest_meeting = (
        filters.as_of
        - timedelta(weeks=REVIEW_DECISION_WEEKS)
        - timedelta(days=max(filters.min_days_overdue, 1))
    )
    notice_sent = (
        sa.exists()
        .where(
            PlanVersion.plan_id == AnnualReview.plan_id,
            PlanVersion.kind == VersionKind.AMENDMENT_NOTICE,
            PlanVersion.issued_on >= AnnualReview.meeting_on,
        )
        .correlate(AnnualReview)
    )
    query = (
        sa.select(AnnualReview, Plan)
        .join(Plan, Plan.id == AnnualReview.plan_id)
        .join(Child, Child.id == Plan.child_id)
        .where(
            AnnualReview.meeting_on <= latest_meeting,
            sa.or_(
                AnnualReview.outcome.is_(None),
                sa.and_(AnnualReview.outcome == ReviewOutcome.AMEND, ~notice_sent),
            ),
        )
    )
    if filters.la_code is not None:
        query = query.where(Child.la_code == filters.la_code)
    return query.where(filters.scope.children_rows_filter())


def list_decisions_overdue(
    session: Session, *, filters: OverdueFilters, limit: int, cursor: str | None
) -> tuple[list[tuple[AnnualReview, Plan]], str | None]:
    """One page of reviews whose decision is overdue (reg 20(10)), earliest meeting first."""
    keyset = _by_date("meeting_on", AnnualReview.meeting_on.expression, AnnualReview.id.expression)
    rows, next_cursor = fetch_page(
        session, _decisions_overdue_query(filters), keyset=keyset, limit=limit, cursor=cursor
    )
    return [(row.AnnualReview, row.Plan) for row in rows], next_cursor


def count_decisions_overdue(session: Session, *, filters: OverdueFilters) -> int:
    """How many reviews have an overdue decision."""
    query = _decisions_overdue_query(filters).with_only_columns(sa.func.count(AnnualReview.id))
    return session.scalar(query) or 0
