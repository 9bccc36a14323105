from datetime import date

from cases_api.statutory import (
    AssessmentTimeline,
    ClockException,
    ExceptionGround,
    twenty_week_compliance,
)

RECEIVED = date(2025, 1, 6)  # 20 weeks end on 26 May 2025
EXCEPTION = ClockException(
    ground=ExceptionGround.ABSENT_FROM_AREA, start=date(2025, 3, 1), end=date(2025, 3, 31)
)


def issued(on: date | None, *exceptions: ClockException) -> AssessmentTimeline:
    return AssessmentTimeline(
        received_on=RECEIVED,
        decided_on=date(2025, 2, 1),
        decided_to_assess=True,
        draft_sent_on=None if on is None else date(2025, 2, 2),
        final_issued_on=on,
        exceptions=exceptions,
    )


def test_with_and_without_exceptions_as_the_dfe_counts_them() -> None:
    timelines = [
        issued(date(2025, 5, 26)),  # on time
        issued(date(2025, 5, 27)),  # late
        issued(date(2025, 6, 20), EXCEPTION),  # late, but an exception applied
        issued(date(2025, 5, 1), EXCEPTION),  # on time with an exception
        issued(None),  # not yet issued: not counted anywhere
    ]
    result = twenty_week_compliance(timelines)
    assert (result.all_plans.issued, result.all_plans.within_20_weeks) == (4, 2)
    assert result.all_plans.rate == 0.5
    assert (
        result.excluding_exception_cases.issued,
        result.excluding_exception_cases.within_20_weeks,
    ) == (2, 1)
    assert result.excluding_exception_cases.rate == 0.5


def test_no_issued_plans_has_no_rate() -> None:
    result = twenty_week_compliance([issued(None)])
    assert result.all_plans.rate is None
    assert result.excluding_exception_cases.rate is None


def test_only_exception_cases_leave_the_excluding_measure_empty() -> None:
    result = twenty_week_compliance([issued(date(2025, 5, 1), EXCEPTION)])
    assert result.all_plans.rate == 1.0
    assert result.excluding_exception_cases.issued == 0
    assert result.excluding_exception_cases.rate is None
