"""20-week compliance as an aggregate in SQL: counts and on-time counts for the period.

Only what SQL does exactly moves there: whether a plan was issued by the plain due date (the
same weekday 20 weeks after receipt, a fixed number of days). Whether an exception applies is
still decided by `cases_api.statutory` in Python, for the few requests that have an exception
recorded at all; a request without one can have no exception applying.
"""

import uuid
from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from cases_api.access.scope import Scope
from cases_api.assessments.models import AssessmentRequest, ClockExceptionRecord, RequestTransition
from cases_api.assessments.queries import ComplianceBasis
from cases_api.core.sql_dates import days_after
from cases_api.statutory import ClockException, RequestState, TwentyWeekCompliance
from cases_api.statutory.clock import FINAL_PLAN_WEEKS, final_plan_due
from cases_api.statutory.compliance import Timeliness, twenty_week_exception_applies

_FINAL_PLAN_DAYS = FINAL_PLAN_WEEKS * 7


def twenty_week_compliance_in_sql(
    session: Session,
    *,
    scope: Scope,
    la_code: str | None,
    basis: ComplianceBasis,
    period_from: date,
    period_to: date,
) -> TwentyWeekCompliance:
    """The same figures as `views.compliance_of(queries.issued_plans(...))`, from two queries."""
    issued = aliased(RequestTransition)
    in_period = (
        issued.occurred_on if basis is ComplianceBasis.ISSUED else AssessmentRequest.received_on
    )
    clauses = [scope.requests_filter(), in_period.between(period_from, period_to)]
    if la_code is not None:
        clauses.append(AssessmentRequest.la_code == la_code)
    joined = sa.join(
        AssessmentRequest,
        issued,
        sa.and_(
            issued.request_id == AssessmentRequest.id,
            issued.to_state == RequestState.FINAL_ISSUED,
        ),
    )
    on_time = issued.occurred_on <= days_after(AssessmentRequest.received_on, _FINAL_PLAN_DAYS)
    counts = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((on_time, 1), else_=0)), 0),
        )
        .select_from(joined)
        .where(*clauses)
    ).one()
    total, within = int(counts[0]), int(counts[1])

    with_exceptions = session.execute(
        sa.select(
            AssessmentRequest.id,
            AssessmentRequest.received_on,
            issued.occurred_on,
            ClockExceptionRecord.ground,
            ClockExceptionRecord.starts_on,
            ClockExceptionRecord.ends_on,
            ClockExceptionRecord.advice_requested_on,
        )
        .select_from(joined)
        .join(ClockExceptionRecord, ClockExceptionRecord.request_id == AssessmentRequest.id)
        .where(*clauses)
    ).all()
    dates: dict[uuid.UUID, tuple[date, date]] = {}
    exceptions: defaultdict[uuid.UUID, list[ClockException]] = defaultdict(list)
    for request_id, received_on, issued_on, ground, start, end, asked in with_exceptions:
        dates[request_id] = (received_on, issued_on)
        exceptions[request_id].append(
            ClockException(ground=ground, start=start, end=end, advice_requested_on=asked)
        )
    excluded = excluded_on_time = 0
    for request_id, (received_on, issued_on) in dates.items():
        if twenty_week_exception_applies(
            received_on=received_on, issued_on=issued_on, exceptions=exceptions[request_id]
        ):
            excluded += 1
            excluded_on_time += issued_on <= final_plan_due(received_on)
    return TwentyWeekCompliance(
        all_plans=Timeliness(issued=total, within_20_weeks=within),
        excluding_exception_cases=Timeliness(
            issued=total - excluded, within_20_weeks=within - excluded_on_time
        ),
    )
