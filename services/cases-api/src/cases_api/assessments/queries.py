"""Reading requests for assessment and disputes: filters and keyset pagination, as SQL."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from cases_api.access.scope import Scope
from cases_api.assessments.models import (
    AssessmentRequest,
    DisputeEvent,
    DisputeKind,
    RequestSource,
    RequestTransition,
)
from cases_api.core.keyset import Keyset, fetch_page, typed
from cases_api.statutory import FINAL_STATES, RequestState


class RequestSort(StrEnum):
    RECEIVED_ON = "received_on"
    RECEIVED_ON_DESC = "-received_on"


class ComplianceBasis(StrEnum):
    """Which date puts a plan in the period: when it was issued (as the DfE counts) or when
    its request was received."""

    ISSUED = "issued"
    RECEIVED = "received"


@dataclass(frozen=True, kw_only=True)
class RequestFilters:
    la_code: str | None = None
    child_id: uuid.UUID | None = None
    states: Sequence[RequestState] = ()
    source: RequestSource | None = None
    received_from: date | None = None
    received_to: date | None = None
    assigned_officer: str | None = None
    scope: Scope  # the caller's: required, so a query never reads every LA's rows by default


def _request_clauses(filters: RequestFilters) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [filters.scope.requests_filter()]
    if filters.la_code is not None:
        clauses.append(AssessmentRequest.la_code == filters.la_code)
    if filters.child_id is not None:
        clauses.append(AssessmentRequest.child_id == filters.child_id)
    if filters.states:
        clauses.append(AssessmentRequest.state.in_(list(filters.states)))
    if filters.source is not None:
        clauses.append(AssessmentRequest.source == filters.source)
    if filters.received_from is not None:
        clauses.append(AssessmentRequest.received_on >= filters.received_from)
    if filters.received_to is not None:
        clauses.append(AssessmentRequest.received_on <= filters.received_to)
    if filters.assigned_officer is not None:
        clauses.append(AssessmentRequest.assigned_officer == filters.assigned_officer)
    return clauses


_ISO = typed(str)


def _by_date_then_id(name: str, key: ColumnElement[date], *, descending: bool) -> Keyset:
    return Keyset(
        name=name,
        key=key,
        tiebreak=AssessmentRequest.id.expression,
        descending=descending,
        parse=lambda k, tiebreak: (date.fromisoformat(_ISO(k)), uuid.UUID(str(tiebreak))),
    )


def list_requests(
    session: Session,
    *,
    filters: RequestFilters,
    sort: RequestSort,
    limit: int,
    cursor: str | None,
) -> tuple[list[AssessmentRequest], str | None]:
    """One page of requests and the next cursor."""
    keyset = _by_date_then_id(
        sort.value,
        AssessmentRequest.received_on.expression,
        descending=sort is RequestSort.RECEIVED_ON_DESC,
    )
    query = sa.select(AssessmentRequest).where(*_request_clauses(filters))
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.AssessmentRequest for row in rows], next_cursor


def open_requests(session: Session, *, filters: RequestFilters) -> Sequence[AssessmentRequest]:
    """Every request not yet in a final state that matches the filters.

    One query for the requests (with the child joined) and one per related table (selectin):
    the officer views then compute each clock in Python. At LA scale (a few thousand open
    requests) that is milliseconds of work and keeps every date rule in `cases_api.statutory`.
    """
    query = (
        sa.select(AssessmentRequest)
        .where(AssessmentRequest.state.not_in(list(FINAL_STATES)), *_request_clauses(filters))
        .order_by(AssessmentRequest.id)
    )
    return session.scalars(query).unique().all()


def _issued_plans_query(
    *,
    scope: Scope,
    la_code: str | None,
    basis: ComplianceBasis,
    period_from: date,
    period_to: date,
) -> tuple[sa.Select[AssessmentRequest], ColumnElement[date]]:
    issued = aliased(RequestTransition)
    in_period = (
        issued.occurred_on if basis is ComplianceBasis.ISSUED else AssessmentRequest.received_on
    )
    query = (
        sa.select(AssessmentRequest)
        .join(
            issued,
            sa.and_(
                issued.request_id == AssessmentRequest.id,
                issued.to_state == RequestState.FINAL_ISSUED,
            ),
        )
        .where(scope.requests_filter(), in_period.between(period_from, period_to))
    )
    if la_code is not None:
        query = query.where(AssessmentRequest.la_code == la_code)
    return query, issued.occurred_on.expression


def issued_plans(
    session: Session,
    *,
    scope: Scope,
    la_code: str | None,
    basis: ComplianceBasis,
    period_from: date,
    period_to: date,
) -> Sequence[AssessmentRequest]:
    """Every request whose final plan falls in the period (by issue or by receipt)."""
    query, _ = _issued_plans_query(
        scope=scope,
        la_code=la_code,
        basis=basis,
        period_from=period_from,
        period_to=period_to,
    )
    return session.scalars(query).unique().all()


def page_issued_plans(
    session: Session,
    *,
    scope: Scope,
    la_code: str | None,
    basis: ComplianceBasis,
    period_from: date,
    period_to: date,
    limit: int,
    cursor: str | None,
) -> tuple[list[AssessmentRequest], str | None]:
    """One page of the issued plans in the period, in order of issue."""
    query, issued_on = _issued_plans_query(
        scope=scope,
        la_code=la_code,
        basis=basis,
        period_from=period_from,
        period_to=period_to,
    )
    keyset = _by_date_then_id(f"issued:{basis.value}", issued_on, descending=False)
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.AssessmentRequest for row in rows], next_cursor


@dataclass(frozen=True, kw_only=True)
class DisputeFilters:
    child_id: uuid.UUID | None = None
    assessment_request_id: uuid.UUID | None = None
    plan_id: uuid.UUID | None = None
    kind: DisputeKind | None = None


def list_disputes(
    session: Session,
    *,
    filters: DisputeFilters,
    scope: Scope,
    limit: int,
    cursor: str | None,
) -> tuple[list[DisputeEvent], str | None]:
    """One page of dispute events, oldest first."""
    query = sa.select(DisputeEvent).where(scope.children_filter(DisputeEvent.child_id))
    for column, value in (
        (DisputeEvent.child_id, filters.child_id),
        (DisputeEvent.assessment_request_id, filters.assessment_request_id),
        (DisputeEvent.plan_id, filters.plan_id),
        (DisputeEvent.kind, filters.kind),
    ):
        if value is not None:
            query = query.where(column == value)
    keyset = Keyset(
        name="opened_on",
        key=DisputeEvent.opened_on.expression,
        tiebreak=DisputeEvent.id.expression,
        parse=lambda k, tiebreak: (date.fromisoformat(_ISO(k)), uuid.UUID(str(tiebreak))),
    )
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.DisputeEvent for row in rows], next_cursor
