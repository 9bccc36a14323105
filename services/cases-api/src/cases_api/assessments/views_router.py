"""HTTP routes of the officer views: overdue, due soon, 20-week compliance; each a list and a
count. Declared before `/assessment-requests/{request_id}` so their paths win."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, policy
from cases_api.access.scope import Scope as AccessScope
from cases_api.assessments import queries, views
from cases_api.assessments.compliance_query import twenty_week_compliance_in_sql
from cases_api.assessments.queries import ComplianceBasis, RequestFilters
from cases_api.assessments.view_schemas import (
    CaseCountRead,
    CaseOnClockRead,
    ComplianceRead,
    IssuedPlanRead,
    present_case,
    present_compliance,
    present_issued_plan,
)
from cases_api.assessments.views import AssessmentStage, CaseOnClock
from cases_api.core.deps import SessionDep
from cases_api.core.errors import InvalidInput
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link
from cases_api.core.schemas import IsoDate
from cases_api.core.time import today
from cases_api.statutory import RequestState

router = APIRouter(prefix="/assessment-requests", tags=["officer views"])

BoundedDate = Annotated[IsoDate, Query(ge=date(2000, 1, 1), le=date(2100, 12, 31))]


@dataclass(frozen=True, kw_only=True)
class ViewScope:
    filters: RequestFilters
    stage: AssessmentStage | None
    as_of: date


def view_scope(
    access: ScopeDep,
    la_code: Annotated[
        str | None,
        Query(pattern=r"^\d{3}$", description="Defaults to the caller's LA, if the token has one."),
    ] = None,
    stage: Annotated[
        AssessmentStage | None, Query(description="Only milestones of this step.")
    ] = None,
    state: Annotated[list[RequestState] | None, Query(description="Repeat for several.")] = None,
    assigned_officer: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    mine: Annotated[bool, Query(description="Only requests assigned to the caller.")] = False,
    as_of: Annotated[
        IsoDate | None,
        Query(ge=date(2000, 1, 1), le=date(2100, 12, 31), description="Instead of today."),
    ] = None,
) -> ViewScope:
    """The filters every officer view shares, within the caller's scope."""
    principal = access.principal
    if mine and assigned_officer is not None and assigned_officer != principal.subject:
        raise InvalidInput("mine=true and assigned_officer name different officers.")
    filters = RequestFilters(
        la_code=la_code or principal.la_code,
        states=state or (),
        assigned_officer=principal.subject if mine else assigned_officer,
        scope=access,
    )
    return ViewScope(filters=filters, stage=stage, as_of=as_of or today())


Scope = Annotated[ViewScope, Depends(view_scope)]
WithinDays = Annotated[
    int, Query(ge=0, le=365, description="Due within this many days (0 = due today).")
]


def _overdue(session: SessionDep, scope: ViewScope) -> list[CaseOnClock]:
    requests = queries.open_requests(session, filters=scope.filters)
    return views.overdue_cases(requests, as_of=scope.as_of, stage=scope.stage)


def _due_soon(session: SessionDep, scope: ViewScope, within_days: int) -> list[CaseOnClock]:
    requests = queries.open_requests(session, filters=scope.filters)
    return views.due_soon_cases(
        requests, as_of=scope.as_of, stage=scope.stage, within_days=within_days
    )


def _page(
    request: Request,
    response: Response,
    cases: list[CaseOnClock],
    *,
    view: str,
    limit: int,
    cursor: str | None,
) -> Page[CaseOnClockRead]:
    page, next_cursor = views.page_of(cases, view=view, limit=limit, cursor=cursor)
    set_next_link(request, response, next_cursor)
    return Page(items=[present_case(case) for case in page], next_cursor=next_cursor)


def _count(cases: list[CaseOnClock], scope: ViewScope) -> CaseCountRead:
    return CaseCountRead(as_of=scope.as_of, count=len(cases), by_stage=views.count_by_stage(cases))


@router.get(
    "/overdue",
    operation_id="listOverdueAssessmentRequests",
    summary="Open requests with a statutory step overdue, most overdue first",
    dependencies=[policy(Audit.read("overdue"), scopes=("assessments:read",))],
)
def list_overdue(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: Scope,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[CaseOnClockRead]:
    """The officer's queue of open requests for assessment with at least one statutory step
    past its due date (decision to assess, advice, notice of no plan, final plan), most
    overdue first, each with the milestones that put it there. Narrow by stage or assigned
    officer; `as_of` replaces today. Who may call: the LA's officers (their LA's cases);
    schools and families (only their own children's); service clients with the scopes named
    under `security`. Administrators get 403."""
    cases = _overdue(session, scope)
    return _page(request, response, cases, view="overdue", limit=limit, cursor=cursor)


@router.get(
    "/overdue/count",
    operation_id="countOverdueAssessmentRequests",
    summary="How many open requests are overdue, in total and by stage",
    dependencies=[policy(Audit.read("count"), scopes=("assessments:read",))],
)
def count_overdue(session: SessionDep, scope: Scope) -> CaseCountRead:
    """How many open requests have a statutory step overdue, in total and by stage (the same
    filters as the list). Who may call: the LA's officers (their LA's cases); schools and
    families (only their own children's); service clients with the scopes named under
    `security`. Administrators get 403."""
    return _count(_overdue(session, scope), scope)


@router.get(
    "/due-soon",
    operation_id="listAssessmentRequestsDueSoon",
    summary="Open requests with a statutory step due in the next N days, soonest first",
    dependencies=[policy(Audit.read("due-soon"), scopes=("assessments:read",))],
)
def list_due_soon(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: Scope,
    within_days: WithinDays = 14,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[CaseOnClockRead]:
    """Open requests with a statutory step falling due within `within_days` days, soonest
    first, with the milestones concerned. Who may call: the LA's officers (their LA's
    cases); schools and families (only their own children's); service clients with the
    scopes named under `security`. Administrators get 403."""
    cases = _due_soon(session, scope, within_days)
    return _page(request, response, cases, view="due-soon", limit=limit, cursor=cursor)


@router.get(
    "/due-soon/count",
    operation_id="countAssessmentRequestsDueSoon",
    summary="How many open requests have a step due in the next N days, by stage",
    dependencies=[policy(Audit.read("count"), scopes=("assessments:read",))],
)
def count_due_soon(
    session: SessionDep, scope: Scope, within_days: WithinDays = 14
) -> CaseCountRead:
    """How many open requests have a statutory step due within `within_days` days, in total and
    by stage. Who may call: the LA's officers (their LA's cases); schools and families (only
    their own children's); service clients with the scopes named under `security`.
    Administrators get 403."""
    return _count(_due_soon(session, scope, within_days), scope)


@dataclass(frozen=True, kw_only=True)
class Period:
    scope: AccessScope
    la_code: str | None
    basis: ComplianceBasis
    period_from: date
    period_to: date


def compliance_period(
    access: ScopeDep,
    period_from: BoundedDate,
    period_to: BoundedDate,
    basis: ComplianceBasis = ComplianceBasis.ISSUED,
    la_code: Annotated[
        str | None,
        Query(pattern=r"^\d{3}$", description="Defaults to the caller's LA, if the token has one."),
    ] = None,
) -> Period:
    """The period (inclusive) and which date places a plan in it."""
    if period_from > period_to:
        raise InvalidInput("period_from is after period_to.")
    return Period(
        scope=access,
        la_code=la_code or access.principal.la_code,
        basis=basis,
        period_from=period_from,
        period_to=period_to,
    )


PeriodDep = Annotated[Period, Depends(compliance_period)]


@router.get(
    "/compliance",
    operation_id="getTwentyWeekCompliance",
    summary="20-week compliance for a period: rates with and without exceptions",
    dependencies=[policy(Audit.read("compliance"), scopes=("assessments:read",))],
)
def get_compliance(session: SessionDep, period: PeriodDep) -> ComplianceRead:
    """The 20-week measure for a period: of the final plans issued in it, how many were issued
    within 20 weeks of the request, counted with and without the exceptions the regulations
    allow. Who may call: the LA's officers (their LA's cases); schools and families (only
    their own children's); service clients with the scopes named under `security`.
    Administrators get 403."""
    figures = twenty_week_compliance_in_sql(
        session,
        scope=period.scope,
        la_code=period.la_code,
        basis=period.basis,
        period_from=period.period_from,
        period_to=period.period_to,
    )
    return present_compliance(
        figures,
        la_code=period.la_code,
        basis=period.basis,
        period_from=period.period_from,
        period_to=period.period_to,
    )


@router.get(
    "/compliance/plans",
    operation_id="listTwentyWeekCompliancePlans",
    summary="The plans counted in a period's 20-week compliance, in order of issue",
    dependencies=[policy(Audit.read("plans"), scopes=("plans:read",))],
)
def list_compliance_plans(
    request: Request,
    response: Response,
    session: SessionDep,
    period: PeriodDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[IssuedPlanRead]:
    """The plans counted in a period's 20-week measure, in order of issue, each with its weeks
    and whether an exception applied, so a figure can be checked plan by plan. Who may call:
    the LA's officers (their LA's cases); schools and families (only their own children's);
    service clients with the scopes named under `security`. Administrators get 403."""
    rows, next_cursor = queries.page_issued_plans(
        session,
        scope=period.scope,
        la_code=period.la_code,
        basis=period.basis,
        period_from=period.period_from,
        period_to=period.period_to,
        limit=limit,
        cursor=cursor,
    )
    set_next_link(request, response, next_cursor)
    return Page(items=[present_issued_plan(row) for row in rows], next_cursor=next_cursor)
