"""Properties that hold for every date, checked with hypothesis."""

import itertools
from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cases_api.statutory import (
    AssessmentTimeline,
    ClockException,
    ExceptionGround,
    MilestoneKind,
    MilestoneStatus,
    PhaseTransfer,
    add_months,
    adjusted_due_date,
    advice_due,
    amended_plan_due,
    appeal_deadline,
    clock_summary,
    decision_to_assess_due,
    evaluate_milestone,
    excuses,
    final_plan_due,
    last_day_of_months_starting_with,
    merge_exception_periods,
    no_plan_notice_due,
    review_decision_due,
    review_due,
    transfer_for,
    year_group,
)

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
months = st.integers(min_value=0, max_value=120)


@st.composite
def exceptions(draw: st.DrawFn, around: date) -> ClockException:
    start = draw(
        st.dates(min_value=around - timedelta(days=60), max_value=around + timedelta(days=200))
    )
    length = draw(st.integers(min_value=1, max_value=90))
    return ClockException(
        ground=ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES,
        start=start,
        end=start + timedelta(days=length - 1),
    )


@st.composite
def clock_cases(draw: st.DrawFn) -> tuple[date, list[ClockException]]:
    received = draw(dates)
    return received, draw(st.lists(exceptions(received), max_size=5))


@given(clock_cases())
def test_adjusted_due_date_is_never_before_the_plain_one_nor_beyond_all_exception_days(
    case: tuple[date, list[ClockException]],
) -> None:
    received, recorded = case
    plain = final_plan_due(received)
    adjusted = adjusted_due_date(recorded, clock_started=received, plain_due=plain)
    total = sum((end - start).days + 1 for start, end in merge_exception_periods(recorded))
    assert plain <= adjusted <= plain + timedelta(days=total)


@given(clock_cases())
def test_adjusted_due_date_is_when_140_clock_days_have_run(
    case: tuple[date, list[ClockException]],
) -> None:
    received, recorded = case
    adjusted = adjusted_due_date(
        recorded, clock_started=received, plain_due=final_plan_due(received)
    )

    # Only exceptions within the 20 weeks pause the clock (reg 10(4)).
    plain = final_plan_due(received)
    first_day = received + timedelta(days=1)
    excusing = [e for e in recorded if excuses(e, first_day=first_day, last_day=plain)]

    def paused(day: date) -> bool:
        return any(e.start <= day <= e.end for e in excusing)

    running = [
        received + timedelta(days=n)
        for n in range(1, (adjusted - received).days + 1)
        if not paused(received + timedelta(days=n))
    ]
    assert len(running) == 140
    assert running[-1] == adjusted


@given(clock_cases())
def test_merged_periods_are_sorted_disjoint_and_cover_the_same_days(
    case: tuple[date, list[ClockException]],
) -> None:
    _, recorded = case
    merged = merge_exception_periods(recorded)
    for (_, first_end), (second_start, _) in itertools.pairwise(merged):
        assert first_end + timedelta(days=1) < second_start
    covered = {e.start + timedelta(days=n) for e in recorded for n in range(e.days)}
    merged_days = {
        start + timedelta(days=n) for start, end in merged for n in range((end - start).days + 1)
    }
    assert covered == merged_days


DEADLINES: list[Callable[[date], date]] = [
    decision_to_assess_due,
    advice_due,
    no_plan_notice_due,
    final_plan_due,
    review_decision_due,
    amended_plan_due,
    lambda d: review_due(plan_made_on=d),
    lambda d: appeal_deadline(decision_on=d),
]


@given(dates, dates)
def test_every_deadline_is_monotone_in_its_starting_date(first: date, second: date) -> None:
    earlier, later = sorted((first, second))
    for deadline in DEADLINES:
        assert earlier < deadline(earlier) <= deadline(later)


@given(dates, months)
def test_add_months_lands_in_the_right_month_never_past_the_source_day(start: date, n: int) -> None:
    result = add_months(start, n)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == n
    assert result.day <= start.day
    assert result.day == start.day or (result + timedelta(days=1)).day == 1


@given(dates, st.integers(min_value=1, max_value=120))
def test_a_period_starting_with_a_date_ends_at_most_one_day_before_the_corresponding_date(
    start: date, n: int
) -> None:
    end = last_day_of_months_starting_with(start, n)
    corresponding = add_months(start, n)
    assert corresponding - timedelta(days=1) <= end <= corresponding
    assert end > start


@given(dates, st.integers(min_value=2001, max_value=2060))
def test_year_group_goes_up_exactly_once_a_year_on_1_september(born: date, year: int) -> None:
    before = year_group(date_of_birth=born, on=date(year, 8, 31))
    after = year_group(date_of_birth=born, on=date(year, 9, 1))
    assert after == before + 1
    assert year_group(date_of_birth=born, on=date(year, 12, 31)) == after
    assert year_group(date_of_birth=born, on=date(year + 1, 8, 31)) == after


@given(dates, dates)
def test_an_older_child_is_never_in_a_lower_year_group(first: date, second: date) -> None:
    older, younger = sorted((first, second))
    on = date(2070, 1, 1)
    assert year_group(date_of_birth=older, on=on) >= year_group(date_of_birth=younger, on=on)


@given(dates, st.sampled_from(list(PhaseTransfer)))
def test_a_transfer_deadline_falls_in_the_school_year_before_the_move(
    born: date, transfer: PhaseTransfer
) -> None:
    due = transfer_for(transfer, date_of_birth=born)
    assert due.deadline < due.transfer_on
    assert year_group(date_of_birth=born, on=due.deadline) == due.from_year_group
    assert year_group(date_of_birth=born, on=due.transfer_on) == due.into_year_group


@given(dates, dates, st.one_of(st.none(), dates))
def test_milestone_status_agrees_with_its_dates(due: date, today: date, done: date | None) -> None:
    milestone = evaluate_milestone(MilestoneKind.FINAL_PLAN, due=due, done=done, today=today)
    if done is not None:
        assert milestone.status is (MilestoneStatus.MET if done <= due else MilestoneStatus.LATE)
    elif today > due:
        assert milestone.status is MilestoneStatus.OVERDUE
        assert milestone.days_late == (today - due).days
    else:
        assert milestone.days_remaining == (due - today).days >= 0


@given(clock_cases(), st.integers(min_value=0, max_value=400))
def test_a_plan_on_time_without_exceptions_stays_in_both_measures(
    case: tuple[date, list[ClockException]], days_to_issue: int
) -> None:
    received, recorded = case
    issued = received + timedelta(days=days_to_issue)
    timeline = AssessmentTimeline(
        received_on=received, final_issued_on=issued, exceptions=tuple(recorded)
    )
    summary = clock_summary(timeline, today=issued)
    assert summary.within_20_weeks is (days_to_issue <= 140)
    if summary.exception_applies:
        assert summary.within_20_weeks_excluding_exceptions is None
    else:
        assert summary.within_20_weeks_excluding_exceptions is summary.within_20_weeks
