"""HTTP routes of the officers' deadline views: overdue, due soon and compliance over the
deadlines of review meetings, amendment notices, tribunal orders, transfers between LAs,
commissioning changes and reassessments, each with its legal basis."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from cases_api.access import Scope, ScopeDep
from cases_api.access.policy import Audit, policy
from cases_api.children.queries import names_of
from cases_api.core.deps import SessionDep
from cases_api.core.errors import InvalidInput
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link
from cases_api.core.schemas import IsoDate
from cases_api.core.time import today
from cases_api.deadlines import gathering, rows
from cases_api.deadlines.rows import DeadlineRow
from cases_api.deadlines.schemas import (
    DeadlineComplianceRead,
    DeadlineCountRead,
    DeadlineRowRead,
    present_kind,
    present_row,
)
from cases_api.statutory import MilestoneStatus
from cases_api.statutory.deadlines import DeadlineKind

router = APIRouter(prefix="/deadlines", tags=["officer views"])

BoundedDate = Annotated[IsoDate, Query(ge=date(2000, 1, 1), le=date(2100, 12, 31))]


@dataclass(frozen=True, kw_only=True)
class ViewFilters:
    scope: Scope
    la_code: str | None
    kind: DeadlineKind | None
    as_of: date


def view_filters(
    scope: ScopeDep,
    la_code: Annotated[
        str | None,
        Query(
            pattern=r"^\d{3}$",
            description="The LA that must meet the deadline; defaults to the caller's LA.",
        ),
    ] = None,
    kind: Annotated[DeadlineKind | None, Query(description="Only deadlines of this kind.")] = None,
    as_of: Annotated[
        IsoDate | None,
        Query(ge=date(2000, 1, 1), le=date(2100, 12, 31), description="Instead of today."),
    ] = None,
) -> ViewFilters:
    return ViewFilters(
        scope=scope,
        la_code=la_code or scope.principal.la_code,
        kind=kind,
        as_of=as_of or today(),
    )


Filters = Annotated[ViewFilters, Depends(view_filters)]
WithinDays = Annotated[
    int, Query(ge=0, le=365, description="Due within this many days (0 = due today).")
]


def _chosen(
    session: SessionDep, filters: ViewFilters, status: MilestoneStatus, within_days: int = 14
) -> list[DeadlineRow]:
    loaded = gathering.gather(session, scope=filters.scope, as_of=filters.as_of)
    if status is MilestoneStatus.DUE_SOON:
        loaded = [
            row
            for row in loaded
            if row.deadline.is_open
            and row.deadline.days_remaining is not None
            and row.deadline.days_remaining <= within_days
        ]
        return rows.choose(
            _as_due_soon(loaded), status=status, la_code=filters.la_code, kind=filters.kind
        )
    return rows.choose(loaded, status=status, la_code=filters.la_code, kind=filters.kind)


def _as_due_soon(loaded: list[DeadlineRow]) -> list[DeadlineRow]:
    # Within the caller's window counts as due soon, whatever the default window said.
    return [
        replace(row, deadline=replace(row.deadline, status=MilestoneStatus.DUE_SOON))
        for row in loaded
    ]


def _page(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: ViewFilters,
    chosen: list[DeadlineRow],
    *,
    view: str,
    limit: int,
    cursor: str | None,
) -> Page[DeadlineRowRead]:
    page, next_cursor = rows.page_of(chosen, view=view, limit=limit, cursor=cursor)
    set_next_link(request, response, next_cursor)
    names = names_of(session, [row.child_id for row in page], scope=filters.scope)
    return Page(
        items=[present_row(row, child_name=names.get(row.child_id)) for row in page],
        next_cursor=next_cursor,
    )


@router.get(
    "/overdue",
    operation_id="listOverdueDeadlines",
    summary="Review papers, amended plans, tribunal orders, transfers and reassessments past "
    "their deadline, most overdue first, each with its legal basis",
    dependencies=[policy(Audit.read("overdue"), scopes=("assessments:read", "plans:read"))],
)
def list_overdue(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: Filters,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[DeadlineRowRead]:
    """The officer's queue of the other statutory deadlines past due (review papers and
    decisions, amended plans, tribunal orders, transfers between LAs, reassessments), most
    overdue first, each with its legal basis and the child named. `as_of` replaces today.
    Who may call: the LA's officers (their LA's cases); schools and families (only their own
    children's); service clients with the scopes named under `security`. Administrators get
    403."""
    chosen = _chosen(session, filters, MilestoneStatus.OVERDUE)
    return _page(
        request,
        response,
        session,
        filters,
        chosen,
        view="deadlines-overdue",
        limit=limit,
        cursor=cursor,
    )


@router.get(
    "/overdue/count",
    operation_id="countOverdueDeadlines",
    summary="How many of those deadlines are overdue, by kind",
    dependencies=[policy(Audit.read("count"), scopes=("assessments:read", "plans:read"))],
)
def count_overdue(session: SessionDep, filters: Filters) -> DeadlineCountRead:
    """How many of those deadlines are overdue, in total and by kind (the same filters as the
    list). Who may call: the LA's officers (their LA's cases); schools and families (only
    their own children's); service clients with the scopes named under `security`.
    Administrators get 403."""
    chosen = _chosen(session, filters, MilestoneStatus.OVERDUE)
    return DeadlineCountRead(
        as_of=filters.as_of, count=len(chosen), by_kind=rows.count_by_kind(chosen)
    )


@router.get(
    "/due-soon",
    operation_id="listDeadlinesDueSoon",
    summary="Those deadlines not yet done and due in the next N days, soonest first",
    dependencies=[policy(Audit.read("due-soon"), scopes=("assessments:read", "plans:read"))],
)
def list_due_soon(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: Filters,
    within_days: WithinDays = 14,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[DeadlineRowRead]:
    """Those deadlines not yet done and falling due within `within_days` days, soonest first.
    Who may call: the LA's officers (their LA's cases); schools and families (only their own
    children's); service clients with the scopes named under `security`. Administrators get
    403."""
    chosen = _chosen(session, filters, MilestoneStatus.DUE_SOON, within_days)
    return _page(
        request,
        response,
        session,
        filters,
        chosen,
        view="deadlines-due-soon",
        limit=limit,
        cursor=cursor,
    )


@router.get(
    "/due-soon/count",
    operation_id="countDeadlinesDueSoon",
    summary="How many of those deadlines are due in the next N days, by kind",
    dependencies=[policy(Audit.read("count"), scopes=("assessments:read", "plans:read"))],
)
def count_due_soon(
    session: SessionDep, filters: Filters, within_days: WithinDays = 14
) -> DeadlineCountRead:
    """How many of those deadlines fall due within `within_days` days, in total and by kind.
    Who may call: the LA's officers (their LA's cases); schools and families (only their own
    children's); service clients with the scopes named under `security`. Administrators get
    403."""
    chosen = _chosen(session, filters, MilestoneStatus.DUE_SOON, within_days)
    return DeadlineCountRead(
        as_of=filters.as_of, count=len(chosen), by_kind=rows.count_by_kind(chosen)
    )


@router.get(
    "/compliance",
    operation_id="getDeadlineCompliance",
    summary="For deadlines that fell due in a period: how many were met, late or are overdue, "
    "by kind, with the legal basis",
    dependencies=[policy(Audit.read("compliance"), scopes=("assessments:read", "plans:read"))],
)
def get_compliance(
    session: SessionDep,
    filters: Filters,
    period_from: BoundedDate,
    period_to: BoundedDate,
) -> DeadlineComplianceRead:
    """For the deadlines that fell due in a period: how many were met, met late, or are still
    overdue, by kind, with the legal basis of each. Who may call: the LA's officers (their
    LA's cases); schools and families (only their own children's); service clients with the
    scopes named under `security`. Administrators get 403."""
    if period_from > period_to:
        raise InvalidInput("period_from is after period_to.")
    loaded = gathering.gather(session, scope=filters.scope, as_of=filters.as_of, since=period_from)
    if filters.kind is not None:
        loaded = [row for row in loaded if row.deadline.kind is filters.kind]
    figures = rows.compliance(
        loaded, period_from=period_from, period_to=period_to, la_code=filters.la_code
    )
    return DeadlineComplianceRead(
        as_of=filters.as_of,
        period_from=period_from,
        period_to=period_to,
        la_code=filters.la_code,
        kinds=[present_kind(f) for f in figures],
    )
