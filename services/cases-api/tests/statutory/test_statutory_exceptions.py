from datetime import date, timedelta

import pytest

from cases_api.statutory import (
    AdviceRequest,
    AdviceType,
    AssessmentTimeline,
    ClockException,
    ExceptionGround,
    MilestoneKind,
    StatutoryRuleError,
    adjusted_due_date,
    clock_summary,
    exception_days_between,
    final_plan_due,
    merge_exception_periods,
)

RECEIVED = date(2025, 1, 6)
PLAIN_DUE = final_plan_due(RECEIVED)  # 26 May 2025
PERSONAL = ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES


def personal(start: date, end: date) -> ClockException:
    return ClockException(ground=PERSONAL, start=start, end=end)


def adjusted(*exceptions: ClockException) -> date:
    return adjusted_due_date(exceptions, clock_started=RECEIVED, plain_due=PLAIN_DUE)


def test_an_exception_cannot_end_before_it_starts() -> None:
    with pytest.raises(StatutoryRuleError, match="before it starts"):
        personal(date(2025, 2, 2), date(2025, 2, 1))


@pytest.mark.parametrize(
    "ground", [ExceptionGround.SETTING_CLOSED, ExceptionGround.ABSENT_FROM_AREA]
)
def test_closure_and_absence_need_four_continuous_weeks(ground: ExceptionGround) -> None:
    with pytest.raises(StatutoryRuleError, match="4 weeks"):
        ClockException(ground=ground, start=date(2025, 7, 23), end=date(2025, 8, 18))  # 27 days
    assert ClockException(ground=ground, start=date(2025, 7, 23), end=date(2025, 8, 19)).days == 28


def test_exceptional_personal_circumstances_may_be_short() -> None:
    assert personal(date(2025, 2, 3), date(2025, 2, 3)).days == 1


def test_overlapping_and_adjacent_periods_merge_but_a_gap_keeps_them_apart() -> None:
    periods = merge_exception_periods(
        [
            personal(date(2025, 3, 10), date(2025, 3, 20)),
            personal(date(2025, 3, 1), date(2025, 3, 12)),  # overlaps
            personal(date(2025, 3, 21), date(2025, 3, 25)),  # adjacent
            personal(date(2025, 3, 27), date(2025, 3, 28)),  # one clear day between
            personal(date(2025, 3, 27), date(2025, 3, 27)),  # contained
        ]
    )
    assert periods == [
        (date(2025, 3, 1), date(2025, 3, 25)),
        (date(2025, 3, 27), date(2025, 3, 28)),
    ]


def test_no_exception_leaves_the_due_date_alone() -> None:
    assert adjusted() == PLAIN_DUE


def test_exceptions_before_or_on_the_day_of_receipt_do_not_move_the_clock() -> None:
    assert adjusted(personal(date(2024, 12, 1), date(2025, 1, 5))) == PLAIN_DUE
    assert adjusted(personal(date(2024, 12, 1), RECEIVED)) == PLAIN_DUE  # day 0 is not counted


def test_an_exception_starting_on_the_day_of_receipt_counts_from_the_next_day() -> None:
    assert adjusted(personal(RECEIVED, date(2025, 1, 10))) == PLAIN_DUE + timedelta(days=4)


def test_an_exception_inside_the_clock_extends_by_its_days() -> None:
    assert adjusted(personal(date(2025, 3, 1), date(2025, 3, 10))) == PLAIN_DUE + timedelta(days=10)


def test_overlapping_exceptions_count_each_day_once() -> None:
    result = adjusted(
        personal(date(2025, 3, 1), date(2025, 3, 10)),
        personal(date(2025, 3, 6), date(2025, 3, 15)),
    )
    assert result == PLAIN_DUE + timedelta(days=15)


def test_adjacent_exceptions_add_up() -> None:
    result = adjusted(
        personal(date(2025, 3, 1), date(2025, 3, 10)),
        personal(date(2025, 3, 11), date(2025, 3, 20)),
    )
    assert result == PLAIN_DUE + timedelta(days=20)


def test_an_exception_after_the_due_date_changes_nothing() -> None:
    assert adjusted(personal(PLAIN_DUE + timedelta(days=1), date(2025, 7, 1))) == PLAIN_DUE


def test_an_exception_from_the_due_date_on_pauses_the_clock_for_all_its_days() -> None:
    assert adjusted(personal(PLAIN_DUE, PLAIN_DUE + timedelta(days=9))) == PLAIN_DUE + timedelta(
        days=10
    )


def test_an_exception_straddling_the_due_date_counts_whole() -> None:
    closure = ClockException(
        ground=ExceptionGround.SETTING_CLOSED,
        start=date(2025, 5, 1),
        end=date(2025, 6, 9),
        advice_requested_on=date(2025, 4, 28),
    )
    assert adjusted(closure) == PLAIN_DUE + timedelta(days=40)


def test_an_exception_reached_only_because_of_an_earlier_one_does_not_count() -> None:
    # Reg 10(4): the circumstance must fall within the 20 weeks; 1 June is after them.
    first = personal(date(2025, 3, 1), date(2025, 3, 10))  # due moves to 5 June
    second = personal(date(2025, 6, 1), date(2025, 6, 3))  # after 26 May, before 5 June
    assert adjusted(first, second) == PLAIN_DUE + timedelta(days=10)


def test_exception_days_between_counts_the_overlap_only() -> None:
    exceptions = [personal(date(2025, 3, 1), date(2025, 3, 10))]
    assert (
        exception_days_between(exceptions, first_day=date(2025, 3, 5), last_day=date(2025, 4, 1))
        == 6
    )
    assert (
        exception_days_between(exceptions, first_day=date(2025, 4, 1), last_day=date(2025, 5, 1))
        == 0
    )


def summary_with(exception: ClockException, issued: date | None) -> tuple[bool, bool | None]:
    timeline = AssessmentTimeline(
        received_on=RECEIVED,
        decided_on=date(2025, 2, 1),
        decided_to_assess=True,
        draft_sent_on=None if issued is None else date(2025, 2, 2),
        final_issued_on=issued,
        exceptions=(exception,),
    )
    summary = clock_summary(timeline, today=date(2025, 12, 1))
    return summary.exception_applies, summary.within_20_weeks_excluding_exceptions


def test_an_exception_within_the_twenty_weeks_takes_the_plan_out_of_the_excluding_measure() -> None:
    applies, excluding = summary_with(
        personal(date(2025, 3, 1), date(2025, 3, 10)), date(2025, 6, 1)
    )
    assert applies
    assert excluding is None


def test_an_exception_after_the_plan_was_issued_does_not_apply() -> None:
    applies, excluding = summary_with(
        personal(date(2025, 4, 2), date(2025, 4, 3)), date(2025, 4, 1)
    )
    assert not applies
    assert excluding is True


def test_an_exception_after_the_twenty_weeks_does_not_excuse_a_late_plan() -> None:
    applies, excluding = summary_with(
        personal(date(2025, 5, 27), date(2025, 6, 3)), date(2025, 7, 1)
    )
    assert not applies
    assert excluding is False


def test_an_exception_on_an_open_case_applies_within_the_twenty_weeks() -> None:
    applies, excluding = summary_with(personal(date(2025, 3, 1), date(2025, 3, 2)), None)
    assert applies
    assert excluding is None


def test_the_summary_reports_adjusted_dates_on_every_milestone_counted_from_receipt() -> None:
    timeline = AssessmentTimeline(
        received_on=RECEIVED, exceptions=(personal(date(2025, 1, 7), date(2025, 1, 13)),)
    )
    summary = clock_summary(timeline, today=RECEIVED)
    assert [(m.kind, m.adjusted_due - m.due) for m in summary.milestones] == [
        (MilestoneKind.DECISION_TO_ASSESS, timedelta(days=7)),
        (MilestoneKind.NO_PLAN_NOTICE, timedelta(days=7)),
        (MilestoneKind.FINAL_PLAN, timedelta(days=7)),
    ]
    assert summary.final_plan_adjusted_due == PLAIN_DUE + timedelta(days=7)
    assert summary.exception_days == 7


def test_advice_milestones_are_extended_by_an_absence_after_the_advice_request() -> None:
    timeline = AssessmentTimeline(
        received_on=RECEIVED,
        decided_on=date(2025, 2, 1),
        decided_to_assess=True,
        advice_requests=(
            AdviceRequest(advice=AdviceType.EDUCATION, requested_on=date(2025, 2, 3)),
        ),
        exceptions=(
            ClockException(
                ground=ExceptionGround.ABSENT_FROM_AREA,
                start=date(2025, 2, 10),
                end=date(2025, 3, 9),
            ),
        ),
    )
    advice = clock_summary(timeline, today=date(2025, 2, 3)).milestone(MilestoneKind.ADVICE)
    assert advice is not None
    assert advice.due == date(2025, 3, 17)
    assert advice.adjusted_due == date(2025, 4, 14)  # paused for the 28 days of absence
    assert advice.exception_applies
