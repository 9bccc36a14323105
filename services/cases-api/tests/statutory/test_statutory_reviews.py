from datetime import date

import pytest

from cases_api.statutory import (
    MilestoneKind,
    MilestoneStatus,
    StatutoryRuleError,
    amended_plan_due,
    review_decision_due,
    review_due,
    review_milestones,
)


@pytest.mark.parametrize(
    ("plan_made_on", "due"),
    [
        (date(2025, 3, 10), date(2026, 3, 9)),  # 12 months starting with the day: the day before
        (date(2024, 2, 29), date(2025, 2, 28)),  # leap-day plan
        (date(2024, 3, 1), date(2025, 2, 28)),
        (date(2023, 3, 1), date(2024, 2, 29)),  # ends on a leap day
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 1, 31), date(2026, 1, 30)),
    ],
)
def test_first_review_is_due_within_twelve_months_starting_with_the_plan(
    plan_made_on: date, due: date
) -> None:
    assert review_due(plan_made_on=plan_made_on) == due


def test_later_reviews_run_from_the_last_review_meeting() -> None:
    due = review_due(plan_made_on=date(2023, 6, 1), last_review_meeting_on=date(2024, 2, 29))
    assert due == date(2025, 2, 28)


def test_a_review_meeting_before_the_plan_is_refused() -> None:
    with pytest.raises(StatutoryRuleError):
        review_due(plan_made_on=date(2025, 6, 1), last_review_meeting_on=date(2025, 5, 31))


def test_review_decision_due_four_weeks_after_the_meeting() -> None:
    assert review_decision_due(date(2025, 1, 31)) == date(2025, 2, 28)
    assert review_decision_due(date(2024, 2, 10)) == date(2024, 3, 9)  # over a leap day


def test_amended_plan_due_eight_weeks_after_the_notice() -> None:
    assert amended_plan_due(date(2024, 12, 31)) == date(2025, 2, 25)


def test_a_review_cycle_before_the_meeting_has_only_the_meeting() -> None:
    milestones = review_milestones(plan_made_on=date(2024, 6, 1), today=date(2025, 5, 25))
    assert [(m.kind, m.due, m.status) for m in milestones] == [
        (MilestoneKind.ANNUAL_REVIEW, date(2025, 5, 31), MilestoneStatus.DUE_SOON)
    ]


def test_a_full_review_cycle_reports_meeting_decision_and_amended_plan() -> None:
    milestones = review_milestones(
        plan_made_on=date(2023, 6, 1),
        last_review_meeting_on=date(2024, 5, 20),
        current_review_meeting_on=date(2025, 5, 20),  # one day late
        decision_notified_on=date(2025, 6, 10),
        amendment_notice_on=date(2025, 6, 10),
        today=date(2025, 8, 10),
    )
    assert [(m.kind, m.due, m.status, m.days_late) for m in milestones] == [
        (MilestoneKind.ANNUAL_REVIEW, date(2025, 5, 19), MilestoneStatus.LATE, 1),
        (MilestoneKind.REVIEW_DECISION, date(2025, 6, 17), MilestoneStatus.MET, None),
        (MilestoneKind.AMENDED_PLAN, date(2025, 8, 5), MilestoneStatus.OVERDUE, 5),
    ]


def test_an_overdue_review_counts_days_late() -> None:
    (meeting,) = review_milestones(plan_made_on=date(2024, 2, 29), today=date(2025, 3, 3))
    assert (meeting.status, meeting.days_late) == (MilestoneStatus.OVERDUE, 3)
