"""The 20-week compliance aggregate in SQL gives exactly the figures of the straightforward
computation (every issued request loaded, its clock worked out by `cases_api.statutory`), on
generated caseloads: plans issued on, before and after the 20 weeks, requests never issued, other
LAs, and exceptions of every ground inside, across and outside the period the clock runs."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from cases_api.access.scope import Scope
from cases_api.assessments import queries, views
from cases_api.assessments.compliance_query import twenty_week_compliance_in_sql
from cases_api.assessments.models import (
    AssessmentRequest,
    ClockExceptionRecord,
    RequestSource,
    RequestTransition,
)
from cases_api.assessments.queries import ComplianceBasis
from cases_api.auth.principal import Principal, Role
from cases_api.children.models import Child, SenStatus, Sex
from cases_api.statutory import ExceptionGround, RequestState

LA = "901"
OTHER_LA = "902"
EPOCH = date(2024, 1, 1)
OFFICER = Scope(Principal(subject="officer", role=Role.OFFICER, la_code=LA))


@dataclass(frozen=True)
class GeneratedException:
    ground: ExceptionGround
    start_offset: int  # days after receipt (negative: before it)
    days: int
    asked_offset: int | None  # setting_closed: days after the closure's window opens


@dataclass(frozen=True)
class GeneratedRequest:
    la_code: str
    received_offset: int
    issued_after: int | None
    exceptions: tuple[GeneratedException, ...]


@st.composite
def exceptions(draw: st.DrawFn) -> GeneratedException:
    ground = draw(st.sampled_from(ExceptionGround))
    shortest = 1 if ground is ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES else 28
    days = draw(st.integers(shortest, 90))
    asked = None
    if ground is ExceptionGround.SETTING_CLOSED:
        # The window runs from a week before the closure to a week before it re-opens.
        asked = draw(st.none() | st.integers(0, days))
    return GeneratedException(ground, draw(st.integers(-60, 160)), days, asked)


requests = st.builds(
    GeneratedRequest,
    la_code=st.sampled_from([LA, LA, LA, OTHER_LA]),
    received_offset=st.integers(0, 400),
    # 140 days is the 20 weeks: issued on the day is on time, a day later is late.
    issued_after=st.none() | st.integers(0, 200) | st.sampled_from([139, 140, 141]),
    exceptions=st.lists(exceptions(), max_size=3).map(tuple),
)


def _store(session: Session, caseload: list[GeneratedRequest]) -> None:
    for generated in caseload:
        child = Child(
            la_code=generated.la_code,
            given_name="Sam",
            family_name="Generated",
            date_of_birth=date(2015, 5, 5),
            sex=Sex.FEMALE,
            home_postcode="AB1 2CD",
            sen_status=SenStatus.SEN_SUPPORT,
        )
        session.add(child)
        session.flush()
        received = EPOCH + timedelta(days=generated.received_offset)
        issued = generated.issued_after is not None
        request = AssessmentRequest(
            id=uuid.uuid4(),
            child_id=child.id,
            la_code=generated.la_code,
            source=RequestSource.PARENT,
            received_on=received,
            state=RequestState.FINAL_ISSUED if issued else RequestState.RECEIVED,
        )
        session.add(request)
        session.flush()
        if generated.issued_after is not None:
            session.add(
                RequestTransition(
                    request_id=request.id,
                    to_state=RequestState.FINAL_ISSUED,
                    from_state=RequestState.DRAFT_ISSUED,
                    occurred_on=received + timedelta(days=generated.issued_after),
                    recorded_by="test",
                )
            )
        for exception in generated.exceptions:
            start = received + timedelta(days=exception.start_offset)
            asked = (
                None
                if exception.asked_offset is None
                else start - timedelta(days=7) + timedelta(days=exception.asked_offset)
            )
            session.add(
                ClockExceptionRecord(
                    request_id=request.id,
                    ground=exception.ground,
                    starts_on=start,
                    ends_on=start + timedelta(days=exception.days - 1),
                    advice_requested_on=asked,
                )
            )
    session.flush()
    session.expire_all()


PERIODS = [
    (date(2000, 1, 1), date(2100, 12, 31)),
    (date(2024, 3, 1), date(2024, 8, 31)),
    (date(2024, 9, 1), date(2025, 8, 31)),
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(caseload=st.lists(requests, max_size=25))
@example(
    caseload=[
        GeneratedRequest(LA, 10, 140, ()),
        GeneratedRequest(LA, 10, 141, ()),
        # 27 days of an absence inside the 20 weeks excuse nothing; 28 do.
        GeneratedRequest(
            LA, 20, 150, (GeneratedException(ExceptionGround.ABSENT_FROM_AREA, 114, 40, None),)
        ),
        GeneratedRequest(
            LA, 20, 150, (GeneratedException(ExceptionGround.ABSENT_FROM_AREA, 113, 40, None),)
        ),
        # A closure excuses only with the head teacher asked within the period.
        GeneratedRequest(
            LA, 30, 160, (GeneratedException(ExceptionGround.SETTING_CLOSED, 50, 30, None),)
        ),
        GeneratedRequest(
            LA, 30, 160, (GeneratedException(ExceptionGround.SETTING_CLOSED, 50, 30, 10),)
        ),
    ]
)
def test_the_sql_aggregate_matches_the_statutory_computation(
    session: Session, caseload: list[GeneratedRequest]
) -> None:
    savepoint = session.begin_nested()
    try:
        _store(session, caseload)
        for period_from, period_to in PERIODS:
            for basis in ComplianceBasis:
                for la_code in (LA, None):
                    arguments = {
                        "scope": OFFICER,
                        "la_code": la_code,
                        "basis": basis,
                        "period_from": period_from,
                        "period_to": period_to,
                    }
                    expected = views.compliance_of(queries.issued_plans(session, **arguments))
                    assert twenty_week_compliance_in_sql(session, **arguments) == expected
    finally:
        savepoint.rollback()
        session.expire_all()


def test_an_excused_plan_leaves_the_rate_excluding_exceptions(session: Session) -> None:
    _store(
        session,
        [
            GeneratedRequest(LA, 0, 100, ()),
            GeneratedRequest(LA, 0, 170, ()),
            GeneratedRequest(
                LA,
                0,
                170,
                (
                    GeneratedException(
                        ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES, 30, 5, None
                    ),
                ),
            ),
            GeneratedRequest(OTHER_LA, 0, 100, ()),
        ],
    )
    figures = twenty_week_compliance_in_sql(
        session,
        scope=OFFICER,
        la_code=LA,
        basis=ComplianceBasis.ISSUED,
        period_from=date(2024, 1, 1),
        period_to=date(2024, 12, 31),
    )
    assert (figures.all_plans.issued, figures.all_plans.within_20_weeks) == (3, 1)
    excluding = figures.excluding_exception_cases
    assert (excluding.issued, excluding.within_20_weeks) == (2, 1)
