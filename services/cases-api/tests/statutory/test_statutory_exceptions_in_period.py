"""Reg 10(4) (applied by reg 13(3)), reg 5(4) and reg 8(2): an exception excuses a time limit only
within its period, for the stated duration within it; the closure ground needs the head teacher
asked for advice in its window; advice has its own grounds and runs from the adviser's receipt."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases_api.statutory import (
    ADVICE_GROUNDS,
    AdviceRequest,
    AdviceType,
    AssessmentTimeline,
    ClockException,
    ExceptionGround,
    MilestoneKind,
    StatutoryRuleError,
    adjusted_due_date,
    clock_summary,
    closure_advice_window,
    excuses,
    final_plan_due,
)

RECEIVED = date(2025, 1, 6)
PLAIN_DUE = final_plan_due(RECEIVED)  # 26 May 2025
FIRST_DAY = RECEIVED + timedelta(days=1)
ABSENT = ExceptionGround.ABSENT_FROM_AREA
PERSONAL = ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES
CLOSED = ExceptionGround.SETTING_CLOSED


def _summary(*exceptions: ClockException, issued: date | None = None) -> tuple[int, bool, date]:
    timeline = AssessmentTimeline(
        received_on=RECEIVED,
        decided_on=date(2025, 2, 1),
        decided_to_assess=True,
        draft_sent_on=None if issued is None else date(2025, 2, 2),
        final_issued_on=issued,
        exceptions=exceptions,
    )
    summary = clock_summary(timeline, today=date(2025, 12, 1))
    return summary.exception_days, summary.exception_applies, summary.final_plan_adjusted_due


def test_an_absence_of_six_weeks_mostly_before_the_request_does_not_count() -> None:
    absence = ClockException(ground=ABSENT, start=date(2024, 12, 10), end=date(2025, 1, 20))
    assert absence.days == 42
    assert not excuses(absence, first_day=FIRST_DAY, last_day=PLAIN_DUE)  # 14 days inside
    assert _summary(absence) == (0, False, PLAIN_DUE)


def test_an_absence_straddling_the_start_counts_when_four_weeks_fall_inside() -> None:
    absence = ClockException(ground=ABSENT, start=date(2024, 12, 20), end=date(2025, 2, 3))
    assert excuses(absence, first_day=FIRST_DAY, last_day=PLAIN_DUE)  # 7 Jan – 3 Feb: 28 days
    assert _summary(absence) == (28, True, PLAIN_DUE + timedelta(days=28))
    one_short = ClockException(ground=ABSENT, start=date(2024, 12, 20), end=date(2025, 2, 2))
    assert _summary(one_short) == (0, False, PLAIN_DUE)


def test_an_absence_straddling_the_end_counts_only_with_four_weeks_before_the_due_date() -> None:
    short_inside = ClockException(ground=ABSENT, start=date(2025, 5, 1), end=date(2025, 6, 9))
    assert _summary(short_inside) == (0, False, PLAIN_DUE)  # 1–26 May: 26 days inside
    inside = ClockException(ground=ABSENT, start=date(2025, 4, 29), end=date(2025, 6, 9))
    days, applies, adjusted = _summary(inside)
    assert (days, applies) == (28, True)  # 29 April – 26 May
    assert adjusted == PLAIN_DUE + timedelta(days=42)  # paused for all its days


def test_exceptional_circumstances_on_the_last_day_count_and_the_day_after_does_not() -> None:
    on_due = ClockException(ground=PERSONAL, start=PLAIN_DUE, end=PLAIN_DUE + timedelta(days=3))
    assert _summary(on_due)[1]
    after = ClockException(
        ground=PERSONAL, start=PLAIN_DUE + timedelta(days=1), end=PLAIN_DUE + timedelta(days=3)
    )
    assert _summary(after) == (0, False, PLAIN_DUE)


# A school closed from Wednesday 23 July to Sunday 31 August 2025, re-opening on 1 September.
CLOSURE_START, CLOSURE_END = date(2025, 7, 23), date(2025, 8, 31)


def _closure(asked: date | None) -> ClockException:
    return ClockException(
        ground=CLOSED, start=CLOSURE_START, end=CLOSURE_END, advice_requested_on=asked
    )


def test_the_closure_window_runs_from_a_week_before_it_to_a_week_before_the_reopening() -> None:
    assert closure_advice_window(_closure(None)) == (date(2025, 7, 16), date(2025, 8, 25))


@pytest.mark.parametrize("asked", [date(2025, 7, 15), date(2025, 8, 26), date(2025, 9, 1)])
def test_advice_asked_outside_the_window_is_refused(asked: date) -> None:
    with pytest.raises(StatutoryRuleError, match="reg 10\\(4\\)\\(a\\)"):
        _closure(asked)


def test_a_closure_excuses_only_when_the_head_was_asked_in_the_window_within_the_period() -> None:
    received = date(2025, 6, 2)
    first_day, due = received + timedelta(days=1), final_plan_due(received)
    assert not excuses(_closure(None), first_day=first_day, last_day=due)
    assert excuses(_closure(date(2025, 7, 16)), first_day=first_day, last_day=due)
    assert excuses(_closure(date(2025, 8, 25)), first_day=first_day, last_day=due)
    # Asked in the window but before the request was received: not within the period.
    late_request = date(2025, 7, 20)
    assert not excuses(
        _closure(date(2025, 7, 18)),
        first_day=late_request + timedelta(days=1),
        last_day=final_plan_due(late_request),
    )


def test_a_closure_of_under_four_weeks_is_not_the_ground() -> None:
    with pytest.raises(StatutoryRuleError, match="4 weeks"):
        ClockException(ground=CLOSED, start=date(2025, 7, 23), end=date(2025, 8, 18))


def test_only_the_closure_ground_names_the_head_teachers_advice() -> None:
    with pytest.raises(StatutoryRuleError, match="setting_closed"):
        ClockException(
            ground=PERSONAL,
            start=date(2025, 3, 1),
            end=date(2025, 3, 2),
            advice_requested_on=date(2025, 3, 1),
        )


def _advice(
    advice: AdviceRequest, *exceptions: ClockException, today: date
) -> tuple[date, date, bool]:
    timeline = AssessmentTimeline(
        received_on=RECEIVED,
        decided_on=date(2025, 2, 1),
        decided_to_assess=True,
        advice_requests=(advice,),
        exceptions=exceptions,
    )
    milestone = clock_summary(timeline, today=today).milestone(MilestoneKind.ADVICE)
    assert milestone is not None
    return milestone.due, milestone.adjusted_due, milestone.exception_applies


def test_advice_runs_six_weeks_from_the_advisers_receipt() -> None:
    requested = AdviceRequest(advice=AdviceType.HEALTH, requested_on=date(2025, 2, 3))
    assert _advice(requested, today=date(2025, 2, 3))[0] == date(2025, 3, 17)
    received = AdviceRequest(
        advice=AdviceType.HEALTH,
        requested_on=date(2025, 2, 3),
        request_received_on=date(2025, 2, 10),
    )
    assert _advice(received, today=date(2025, 2, 3))[0] == date(2025, 3, 24)


def test_a_closure_does_not_excuse_advice_but_personal_circumstances_do() -> None:
    advice = AdviceRequest(advice=AdviceType.EDUCATION, requested_on=date(2025, 7, 14))
    closure = _closure(date(2025, 7, 16))
    assert ExceptionGround.SETTING_CLOSED not in ADVICE_GROUNDS
    due, adjusted, applies = _advice(advice, closure, today=date(2025, 7, 14))
    assert (due, adjusted, applies) == (date(2025, 8, 25), date(2025, 8, 25), False)
    personal = ClockException(ground=PERSONAL, start=date(2025, 8, 1), end=date(2025, 8, 7))
    due, adjusted, applies = _advice(advice, personal, today=date(2025, 7, 14))
    assert (adjusted - due, applies) == (timedelta(days=7), True)


def test_a_missed_appointment_within_the_six_weeks_excuses_the_adviser() -> None:
    def missed(on: date) -> bool:
        advice = AdviceRequest(
            advice=AdviceType.EDUCATIONAL_PSYCHOLOGIST,
            requested_on=date(2025, 2, 3),
            appointment_missed_on=on,
        )
        return _advice(advice, today=date(2025, 4, 1))[2]

    assert missed(date(2025, 3, 17))  # the last of the six weeks
    assert not missed(date(2025, 3, 18))


def test_advice_dates_must_follow_the_request() -> None:
    with pytest.raises(StatutoryRuleError, match="before the LA made it"):
        AdviceRequest(
            advice=AdviceType.HEALTH,
            requested_on=date(2025, 2, 3),
            request_received_on=date(2025, 2, 2),
        )
    with pytest.raises(StatutoryRuleError, match="missed appointment"):
        AdviceRequest(
            advice=AdviceType.HEALTH,
            requested_on=date(2025, 2, 3),
            request_received_on=date(2025, 2, 10),
            appointment_missed_on=date(2025, 2, 9),
        )


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@given(days, st.integers(min_value=-400, max_value=400), st.integers(min_value=28, max_value=120))
def test_an_absence_excuses_exactly_when_four_weeks_of_it_fall_inside(
    received: date, offset: int, length: int
) -> None:
    start = received + timedelta(days=offset)
    absence = ClockException(ground=ABSENT, start=start, end=start + timedelta(days=length - 1))
    first_day, last_day = received + timedelta(days=1), final_plan_due(received)
    inside = sum(1 for n in range(length) if first_day <= start + timedelta(days=n) <= last_day)
    assert excuses(absence, first_day=first_day, last_day=last_day) is (inside >= 28)
    adjusted = adjusted_due_date([absence], clock_started=received, plain_due=last_day)
    assert (adjusted > last_day) is (inside >= 28)
