"""The rules issue 11 adds: review meetings, amendment notices, tribunal orders, transfers between
LAs, health bodies, reassessment and three-tier transfers, at the edges of each period."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases_api.statutory.amendments import amended_plan_deadline, amendment_window
from cases_api.statutory.la_transfers import (
    health_body_deadline,
    la_transfer_dates,
    la_transfer_deadlines,
    learnt_in_time,
    plan_transfer_due,
)
from cases_api.statutory.milestones import MilestoneStatus
from cases_api.statutory.reassessment import reassessment_deadlines, within_six_months
from cases_api.statutory.review_meetings import review_meeting_deadlines
from cases_api.statutory.three_tier import TierTransfer, tier_transfer_for
from cases_api.statutory.tribunal_orders import (
    ComplianceStep,
    OrderKind,
    compliance_deadlines,
)
from cases_api.statutory.working_days import (
    is_working_day,
    no_holidays,
    nth_working_day_beginning_with,
)

# --- reg 20 / 21: the review meeting --------------------------------------------------------


def test_review_meeting_deadlines_fall_two_weeks_either_side_of_the_meeting() -> None:
    invitations, advice, report = review_meeting_deadlines(
        meeting_on=date(2026, 3, 1), today=date(2026, 3, 1)
    )
    # Two weeks before 1 March 2026 is 15 February (a non-leap February).
    assert invitations.due == date(2026, 2, 15)
    assert advice.due == date(2026, 2, 15)
    assert report.due == date(2026, 3, 15)
    assert invitations.legal_basis == "SEND Regulations 2014 reg 20(3)"
    assert advice.legal_basis == "SEND Regulations 2014 reg 20(4)"
    assert report.legal_basis == "SEND Regulations 2014 reg 20(7)"
    assert (invitations.status, report.status) == (
        MilestoneStatus.OVERDUE,
        MilestoneStatus.DUE_SOON,
    )


def test_a_meeting_out_of_school_cites_reg_21() -> None:
    deadlines = review_meeting_deadlines(
        meeting_on=date(2024, 3, 14), today=date(2024, 3, 1), attends_school=False
    )
    assert [d.legal_basis for d in deadlines] == [
        "SEND Regulations 2014 reg 21(3)",
        "SEND Regulations 2014 reg 21(4)",
        "SEND Regulations 2014 reg 21(7)",
    ]
    assert deadlines[0].due == date(2024, 2, 29)  # two weeks before, across the leap day


def test_notice_sent_exactly_two_weeks_before_is_met_and_a_day_later_is_late() -> None:
    on_time, *_ = review_meeting_deadlines(
        meeting_on=date(2025, 9, 1), today=date(2025, 9, 1), invitations_sent_on=date(2025, 8, 18)
    )
    late, *_ = review_meeting_deadlines(
        meeting_on=date(2025, 9, 1), today=date(2025, 9, 1), invitations_sent_on=date(2025, 8, 19)
    )
    assert on_time.status is MilestoneStatus.MET
    assert (late.status, late.days_late) == (MilestoneStatus.LATE, 1)


def test_report_on_the_fourteenth_day_after_is_met() -> None:
    *_, report = review_meeting_deadlines(
        meeting_on=date(2025, 12, 31), today=date(2026, 2, 1), report_sent_on=date(2026, 1, 14)
    )
    assert report.status is MilestoneStatus.MET


# --- reg 22: amendment notices --------------------------------------------------------------


def test_the_representations_window_is_fifteen_days_beginning_with_the_notice() -> None:
    window = amendment_window(notice_sent_on=date(2024, 2, 15))
    assert window.representations_until == date(2024, 2, 29)
    assert window.may_issue_from == date(2024, 3, 1)
    assert window.amended_plan_due == date(2024, 4, 11)  # 8 weeks
    assert window.legal_basis == "SEND Regulations 2014 reg 22(2)(c)"


def test_a_later_receipt_moves_the_window_but_not_the_eight_weeks() -> None:
    window = amendment_window(notice_sent_on=date(2025, 1, 31), received_on=date(2025, 2, 3))
    assert window.representations_until == date(2025, 2, 17)
    assert window.amended_plan_due == date(2025, 3, 28)


def test_a_waived_window_allows_the_plan_at_once() -> None:
    window = amendment_window(notice_sent_on=date(2025, 1, 31), waived=True)
    assert (window.representations_until, window.may_issue_from) == (None, date(2025, 1, 31))


def test_a_receipt_before_the_notice_is_refused() -> None:
    with pytest.raises(ValueError, match="received before it is sent"):
        amendment_window(notice_sent_on=date(2025, 1, 31), received_on=date(2025, 1, 30))


def test_the_amended_plan_deadline_carries_reg_22_3() -> None:
    deadline = amended_plan_deadline(notice_sent_on=date(2025, 11, 3), today=date(2025, 12, 30))
    assert deadline.due == date(2025, 12, 29)
    assert (deadline.status, deadline.days_late) == (MilestoneStatus.OVERDUE, 1)
    assert deadline.legal_basis == "SEND Regulations 2014 reg 22(3)"


# --- regs 44 and 45: complying with the Tribunal ---------------------------------------------


@pytest.mark.parametrize(
    ("kind", "weeks"),
    [
        (OrderKind.ASSESS, [2, 10, 14]),
        (OrderKind.MAKE_PLAN, [5, 11]),
        (OrderKind.RECONSIDER, [2]),
        (OrderKind.AMEND_CONTENT, [5]),
        (OrderKind.NAME_SCHOOL, [2]),
        (OrderKind.AMEND_CONTENT_AND_SCHOOL, [5]),
        (OrderKind.CONTINUE_TO_MAINTAIN, [0]),
        (OrderKind.CONTINUE_AND_AMEND, [0, 5]),
    ],
)
def test_each_order_sets_its_weeks_from_the_order(kind: OrderKind, weeks: list[int]) -> None:
    made = date(2024, 2, 29)
    deadlines = compliance_deadlines(kind, started_on=made, today=made)
    assert [d.due for d in deadlines] == [made + timedelta(weeks=w) for w in weeks]
    assert {d.legal_basis for d in deadlines} == {"SEND Regulations 2014 reg 44(2)"}


def test_an_unopposed_appeal_counts_from_the_notification_under_reg_45() -> None:
    (step,) = compliance_deadlines(
        OrderKind.NAME_SCHOOL, started_on=date(2025, 12, 24), today=date(2026, 1, 8), unopposed=True
    )
    assert step.due == date(2026, 1, 7)
    assert step.legal_basis == "SEND Regulations 2014 reg 45"
    assert (step.status, step.days_late) == (MilestoneStatus.OVERDUE, 1)
    assert step.detail == "amended_plan: issue the amended plan within 2 weeks"


def test_no_plan_decided_drops_the_final_plan_of_an_ordered_assessment() -> None:
    deadlines = compliance_deadlines(
        OrderKind.ASSESS,
        started_on=date(2025, 1, 6),
        today=date(2025, 6, 1),
        done={
            ComplianceStep.NOTIFY_ASSESSMENT: date(2025, 1, 20),
            ComplianceStep.ASSESSMENT_DECISION: date(2025, 3, 17),
        },
        no_plan_decided=True,
    )
    assert [d.status for d in deadlines] == [MilestoneStatus.MET, MilestoneStatus.MET]


# --- working days ---------------------------------------------------------------------------


def test_fifteen_working_days_skip_weekends_and_given_holidays() -> None:
    assert nth_working_day_beginning_with(date(2025, 6, 2), 15) == date(2025, 6, 20)
    # Starting on a Saturday: the period begins on Monday.
    assert nth_working_day_beginning_with(date(2025, 5, 31), 1) == date(2025, 6, 2)
    easter = {date(2025, 4, 18), date(2025, 4, 21)}
    assert nth_working_day_beginning_with(
        date(2025, 4, 14), 15, is_holiday=easter.__contains__
    ) == date(2025, 5, 6)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 40))
def test_the_nth_working_day_is_a_weekday_and_has_n_working_days_up_to_it(
    start: date, n: int
) -> None:
    last = nth_working_day_beginning_with(start, n)
    assert is_working_day(last)
    days = [start + timedelta(days=i) for i in range((last - start).days + 1)]
    assert sum(is_working_day(d) for d in days) == n
    # England's bank holidays only ever push the last day later than weekends alone would.
    assert last >= nth_working_day_beginning_with(start, n, is_holiday=no_holidays)


def test_working_days_skip_englands_bank_holidays_by_default() -> None:
    # Good Friday 18 April, Easter Monday 21 April and the early May bank holiday (5 May 2025)
    # are not working days.
    assert nth_working_day_beginning_with(date(2025, 4, 14), 15) == date(2025, 5, 7)
    # 25, 26 December 2026 fall on Friday and Saturday: Monday 28 December is the substitute day.
    assert nth_working_day_beginning_with(date(2026, 12, 24), 2) == date(2026, 12, 29)


# --- reg 15: a move to another LA -----------------------------------------------------------


def test_an_la_told_in_good_time_transfers_on_the_day_of_the_move() -> None:
    # Monday 2 June 2025 + 15 working days ends Friday 20 June: a move on Monday 23 June is in time.
    assert learnt_in_time(aware_on=date(2025, 6, 2), moved_on=date(2025, 6, 23))
    assert plan_transfer_due(aware_on=date(2025, 6, 2), moved_on=date(2025, 6, 23)) == date(
        2025, 6, 23
    )


def test_an_la_told_late_has_fifteen_working_days_from_awareness() -> None:
    assert not learnt_in_time(aware_on=date(2025, 6, 2), moved_on=date(2025, 6, 20))
    assert plan_transfer_due(aware_on=date(2025, 6, 2), moved_on=date(2025, 6, 20)) == date(
        2025, 6, 20
    )
    # Told after the move, on Friday 29 August 2025 (the bank holiday is passed in).
    due = plan_transfer_due(
        aware_on=date(2025, 8, 22),
        moved_on=date(2025, 8, 1),
        is_holiday={date(2025, 8, 25)}.__contains__,
    )
    assert due == date(2025, 9, 12)


def test_the_new_la_has_six_weeks_and_reviews_by_the_later_limit() -> None:
    dates = la_transfer_dates(
        moved_on=date(2025, 11, 28),
        aware_on=date(2025, 11, 3),
        plan_last_reviewed_on=date(2025, 1, 10),
        transferred_on=date(2025, 11, 28),
    )
    assert dates.family_notice_due == date(2026, 1, 9)
    # 12 months from 10 January 2025 end 9 January 2026; 3 months from 28 November end 27 February.
    assert dates.review_due == date(2026, 2, 27)
    later = la_transfer_dates(
        moved_on=date(2025, 11, 28),
        aware_on=date(2025, 11, 3),
        plan_last_reviewed_on=date(2025, 6, 30),
        transferred_on=date(2025, 11, 28),
    )
    assert later.review_due == date(2026, 6, 29)


def test_transfer_deadlines_count_from_the_due_date_until_the_transfer_happens() -> None:
    transfer, notice, review = la_transfer_deadlines(
        moved_on=date(2024, 1, 31),
        aware_on=date(2024, 2, 1),
        plan_last_reviewed_on=date(2023, 3, 1),
        today=date(2024, 2, 26),
    )
    assert transfer.due == date(2024, 2, 21)
    assert (transfer.status, transfer.days_late) == (MilestoneStatus.OVERDUE, 5)
    assert transfer.detail == "within 15 working days of becoming aware"
    assert notice.due == date(2024, 4, 3)
    assert review.due == date(2024, 5, 20)
    assert [d.legal_basis for d in (transfer, notice, review)] == [
        "SEND Regulations 2014 reg 15(2)",
        "SEND Regulations 2014 reg 15(4)",
        "SEND Regulations 2014 reg 15(5)",
    ]


def test_the_new_health_body_has_fifteen_working_days() -> None:
    deadline = health_body_deadline(aware_on=date(2025, 12, 22), today=date(2025, 12, 22))
    # Christmas Day, Boxing Day and New Year's Day are not working days.
    assert deadline.due == date(2026, 1, 14)
    assert deadline.legal_basis == "SEND Regulations 2014 reg 16"


# --- reg 27: reassessment -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "received", "too_soon"),
    [
        (date(2025, 8, 31), date(2026, 2, 27), True),
        (date(2025, 8, 31), date(2026, 2, 28), False),  # 6 months elapse on the clamped date
        (date(2023, 8, 31), date(2024, 2, 28), True),
        (date(2023, 8, 31), date(2024, 2, 29), False),
        (date(2025, 3, 15), date(2025, 9, 14), True),
        (date(2025, 3, 15), date(2025, 9, 15), False),
    ],
)
def test_six_months_since_the_last_assessment(last: date, received: date, too_soon: bool) -> None:
    assert within_six_months(request_received_on=received, last_assessed_on=last) is too_soon


def test_the_reassessment_decision_is_due_fifteen_days_after_the_request() -> None:
    decision, plan = reassessment_deadlines(
        request_received_on=date(2026, 2, 14),
        today=date(2026, 3, 2),
        last_assessed_on=date(2025, 9, 1),
        decision_notified_on=date(2026, 3, 1),
        reassessing=True,
    )
    assert decision.due == date(2026, 3, 1)
    assert decision.status is MilestoneStatus.MET
    assert decision.detail == "within 6 months of the last assessment: the LA may refuse"
    assert decision.legal_basis == "SEND Regulations 2014 reg 27"
    assert plan.due == date(2026, 7, 4)


# --- three-tier transfers -------------------------------------------------------------------


def test_first_to_middle_and_middle_to_upper_at_31_august_and_1_september_births() -> None:
    # A first school 4–9: children move into Year 5 of a middle school.
    august = tier_transfer_for(
        date_of_birth=date(2016, 8, 31), statutory_low_age=4, statutory_high_age=9
    )
    september = tier_transfer_for(
        date_of_birth=date(2016, 9, 1), statutory_low_age=4, statutory_high_age=9
    )
    assert august is not None
    assert september is not None
    assert august.transfer is TierTransfer.PRIMARY_TO_MIDDLE
    assert (august.transfer_on, august.last_day) == (date(2025, 9, 1), date(2025, 2, 14))
    assert (september.transfer_on, september.deadline) == (date(2026, 9, 1), date(2026, 2, 15))
    assert august.into_year_group == 5
    # A middle school 9–13: children move into Year 9 of an upper school.
    upper = tier_transfer_for(
        date_of_birth=date(2012, 2, 29), statutory_low_age=9, statutory_high_age=13
    )
    assert upper is not None
    assert upper.transfer is TierTransfer.MIDDLE_TO_SECONDARY
    assert (upper.transfer_on, upper.into_year_group) == (date(2025, 9, 1), 9)
    assert upper.legal_basis == "SEND Regulations 2014 reg 18(1)(b) with reg 2(1)"


@pytest.mark.parametrize(("low", "high"), [(4, 11), (11, 16), (4, 7), (11, 18), (2, 19)])
def test_primaries_secondaries_infants_and_all_through_schools_are_not_three_tier(
    low: int, high: int
) -> None:
    assert (
        tier_transfer_for(
            date_of_birth=date(2015, 1, 1), statutory_low_age=low, statutory_high_age=high
        )
        is None
    )


def test_a_child_held_back_a_year_moves_a_year_later() -> None:
    due = tier_transfer_for(
        date_of_birth=date(2016, 8, 31), statutory_low_age=8, statutory_high_age=12, years_behind=1
    )
    # Reception in September 2020, Year 8 in 2028; a year behind, the move is in September 2029.
    assert due is not None
    assert (due.transfer_on, due.into_year_group) == (date(2029, 9, 1), 8)


_DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1))


@given(_DAYS, _DAYS)
def test_review_papers_are_met_exactly_when_two_weeks_ahead(meeting: date, sent: date) -> None:
    invitations, advice, report = review_meeting_deadlines(
        meeting_on=meeting,
        today=meeting,
        invitations_sent_on=sent,
        advice_circulated_on=sent,
        report_sent_on=sent,
    )
    ahead = (meeting - sent).days
    assert (invitations.status is MilestoneStatus.MET) is (ahead >= 14)
    assert (advice.status is MilestoneStatus.MET) is (ahead >= 14)
    assert (report.status is MilestoneStatus.MET) is (-ahead <= 14)


@given(_DAYS, st.integers(0, 30))
def test_the_window_holds_fifteen_days_and_the_plan_follows_it(sent: date, late: int) -> None:
    received = sent + timedelta(days=late)
    window = amendment_window(notice_sent_on=sent, received_on=received)
    assert window.representations_until is not None
    assert (window.representations_until - received).days + 1 == 15
    assert window.may_issue_from == window.representations_until + timedelta(days=1)
    assert window.amended_plan_due == sent + timedelta(weeks=8)


@given(st.sampled_from(list(OrderKind)), _DAYS, st.booleans())
def test_every_order_step_falls_within_fourteen_weeks_in_order(
    kind: OrderKind, started: date, unopposed: bool
) -> None:
    deadlines = compliance_deadlines(kind, started_on=started, today=started, unopposed=unopposed)
    dues = [d.due for d in deadlines]
    assert dues == sorted(dues)
    assert started <= dues[0]
    assert dues[-1] <= started + timedelta(weeks=14)
    assert {d.legal_basis for d in deadlines} == {
        "SEND Regulations 2014 reg 45" if unopposed else "SEND Regulations 2014 reg 44(2)"
    }


@given(_DAYS, _DAYS)
def test_the_new_las_review_is_never_before_three_months_after_the_transfer(
    last_review: date, transferred: date
) -> None:
    dates = la_transfer_dates(
        moved_on=transferred,
        aware_on=transferred - timedelta(days=40),
        plan_last_reviewed_on=last_review,
        transferred_on=transferred,
    )
    assert dates.review_due >= transferred + timedelta(days=88)
    assert dates.family_notice_due == transferred + timedelta(weeks=6)
