from datetime import date

import pytest

from cases_api.statutory import (
    AdviceRequest,
    AdviceType,
    AssessmentTimeline,
    CommentWindowOpen,
    MilestoneKind,
    MilestoneStatus,
    SchoolConsultation,
    StatutoryRuleError,
    advice_due,
    can_finalise_draft,
    clock_summary,
    comment_window_end,
    decision_to_assess_due,
    earliest_finalisation,
    evaluate_milestone,
    final_plan_due,
    no_plan_notice_due,
    require_can_finalise_draft,
    school_reply_due,
)

MONDAY = date(2025, 1, 6)


def test_time_limits_are_counted_in_whole_weeks_from_the_day_of_receipt() -> None:
    assert decision_to_assess_due(MONDAY) == date(2025, 2, 17)
    assert advice_due(date(2025, 2, 20)) == date(2025, 4, 3)
    assert no_plan_notice_due(MONDAY) == date(2025, 4, 28)
    assert final_plan_due(MONDAY) == date(2025, 5, 26)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2023, 12, 31), date(2024, 5, 19)),  # 29 February 2024 is one of the 140 days
        (date(2024, 12, 31), date(2025, 5, 20)),
        (date(2024, 2, 29), date(2024, 7, 18)),
        (date(2025, 10, 1), date(2026, 2, 18)),  # across the new year
    ],
)
def test_final_plan_due_twenty_weeks_on_over_month_ends_and_leap_days(
    received: date, due: date
) -> None:
    assert final_plan_due(received) == due


def test_school_reply_due_fifteen_days_after_consultation() -> None:
    assert school_reply_due(date(2025, 2, 20)) == date(2025, 3, 7)


def test_comment_window_is_fifteen_days_including_the_day_the_draft_is_sent() -> None:
    sent = date(2025, 3, 1)
    assert comment_window_end(sent) == date(2025, 3, 15)
    assert earliest_finalisation(draft_sent_on=sent) == date(2025, 3, 16)
    assert not can_finalise_draft(draft_sent_on=sent, on=date(2025, 3, 15))
    assert can_finalise_draft(draft_sent_on=sent, on=date(2025, 3, 16))


def test_a_waived_comment_window_allows_finalising_at_once() -> None:
    sent = date(2025, 3, 1)
    assert earliest_finalisation(draft_sent_on=sent, comments_waived=True) == sent
    assert can_finalise_draft(draft_sent_on=sent, on=sent, comments_waived=True)


def test_comment_window_across_a_leap_day() -> None:
    assert comment_window_end(date(2024, 2, 20)) == date(2024, 3, 5)
    assert comment_window_end(date(2025, 2, 20)) == date(2025, 3, 6)


DUE = date(2025, 5, 26)


@pytest.mark.parametrize(
    ("done", "today", "status", "remaining", "late"),
    [
        (None, date(2025, 5, 1), MilestoneStatus.PENDING, 25, None),
        (None, date(2025, 5, 11), MilestoneStatus.PENDING, 15, None),
        (None, date(2025, 5, 12), MilestoneStatus.DUE_SOON, 14, None),
        (None, DUE, MilestoneStatus.DUE_SOON, 0, None),
        (None, date(2025, 5, 27), MilestoneStatus.OVERDUE, None, 1),
        (None, date(2025, 6, 30), MilestoneStatus.OVERDUE, None, 35),
        (DUE, date(2025, 9, 1), MilestoneStatus.MET, None, None),
        (date(2025, 4, 1), date(2025, 4, 1), MilestoneStatus.MET, None, None),
        (date(2025, 5, 27), date(2025, 9, 1), MilestoneStatus.LATE, None, 1),
    ],
)
def test_milestone_status_days_remaining_and_days_late(
    done: date | None,
    today: date,
    status: MilestoneStatus,
    remaining: int | None,
    late: int | None,
) -> None:
    milestone = evaluate_milestone(MilestoneKind.FINAL_PLAN, due=DUE, done=done, today=today)
    assert (milestone.status, milestone.days_remaining, milestone.days_late) == (
        status,
        remaining,
        late,
    )
    assert milestone.adjusted_due == DUE


def test_due_soon_threshold_is_configurable() -> None:
    milestone = evaluate_milestone(
        MilestoneKind.FINAL_PLAN, due=DUE, done=None, today=date(2025, 5, 19), due_soon_days=7
    )
    assert milestone.status is MilestoneStatus.DUE_SOON
    milestone = evaluate_milestone(
        MilestoneKind.FINAL_PLAN, due=DUE, done=None, today=date(2025, 5, 18), due_soon_days=7
    )
    assert milestone.status is MilestoneStatus.PENDING


def kinds(timeline: AssessmentTimeline, today: date) -> list[MilestoneKind]:
    return [m.kind for m in clock_summary(timeline, today=today).milestones]


def test_a_new_request_has_the_decision_the_no_plan_notice_and_the_final_plan_ahead() -> None:
    summary = clock_summary(AssessmentTimeline(received_on=MONDAY), today=MONDAY)
    assert [(m.kind, m.due, m.status) for m in summary.milestones] == [
        (MilestoneKind.DECISION_TO_ASSESS, date(2025, 2, 17), MilestoneStatus.PENDING),
        (MilestoneKind.NO_PLAN_NOTICE, date(2025, 4, 28), MilestoneStatus.PENDING),
        (MilestoneKind.FINAL_PLAN, date(2025, 5, 26), MilestoneStatus.PENDING),
    ]
    assert summary.within_20_weeks is None
    assert summary.within_20_weeks_excluding_exceptions is None
    assert summary.comment_window_ends is None
    assert summary.may_finalise_from is None
    assert summary.final_plan_adjusted_due == summary.final_plan_due == date(2025, 5, 26)


def test_a_refusal_stops_the_clock_after_the_decision() -> None:
    timeline = AssessmentTimeline(
        received_on=MONDAY, decided_on=date(2025, 2, 10), decided_to_assess=False
    )
    summary = clock_summary(timeline, today=date(2025, 6, 1))
    assert [(m.kind, m.status) for m in summary.milestones] == [
        (MilestoneKind.DECISION_TO_ASSESS, MilestoneStatus.MET)
    ]


def test_a_late_decision_is_reported_late_with_its_days() -> None:
    timeline = AssessmentTimeline(
        received_on=MONDAY, decided_on=date(2025, 2, 20), decided_to_assess=True
    )
    decision = clock_summary(timeline, today=date(2025, 3, 1)).milestone(
        MilestoneKind.DECISION_TO_ASSESS
    )
    assert decision is not None
    assert (decision.status, decision.days_late) == (MilestoneStatus.LATE, 3)


def test_each_advice_request_has_its_own_six_weeks() -> None:
    timeline = AssessmentTimeline(
        received_on=MONDAY,
        decided_on=date(2025, 2, 10),
        decided_to_assess=True,
        advice_requests=(
            AdviceRequest(
                advice=AdviceType.EDUCATION,
                requested_on=date(2025, 2, 11),
                received_on=date(2025, 3, 1),
            ),
            AdviceRequest(advice=AdviceType.HEALTH, requested_on=date(2025, 2, 11)),
            AdviceRequest(
                advice=AdviceType.EDUCATIONAL_PSYCHOLOGIST, requested_on=date(2025, 2, 20)
            ),
        ),
    )
    summary = clock_summary(timeline, today=date(2025, 3, 26))
    advice = [
        (m.detail, m.due, m.status) for m in summary.milestones if m.kind is MilestoneKind.ADVICE
    ]
    assert advice == [
        ("education", date(2025, 3, 25), MilestoneStatus.MET),
        ("health", date(2025, 3, 25), MilestoneStatus.OVERDUE),
        ("educational_psychologist", date(2025, 4, 3), MilestoneStatus.DUE_SOON),
    ]


def test_a_draft_replaces_the_no_plan_milestone_and_opens_the_comment_window() -> None:
    timeline = AssessmentTimeline(
        received_on=MONDAY,
        decided_on=date(2025, 2, 10),
        decided_to_assess=True,
        draft_sent_on=date(2025, 4, 14),
        school_consultations=(SchoolConsultation(school="URN 100000", sent_on=date(2025, 4, 22)),),
    )
    summary = clock_summary(timeline, today=date(2025, 4, 30))
    assert kinds(timeline, date(2025, 4, 30)) == [
        MilestoneKind.DECISION_TO_ASSESS,
        MilestoneKind.SCHOOL_CONSULTATION_REPLY,
        MilestoneKind.FINAL_PLAN,
    ]
    reply = summary.milestone(MilestoneKind.SCHOOL_CONSULTATION_REPLY)
    assert reply is not None
    assert (reply.detail, reply.due) == ("URN 100000", date(2025, 5, 7))
    assert summary.comment_window_ends == date(2025, 4, 28)
    assert summary.may_finalise_from == date(2025, 4, 29)


def test_a_waived_window_shows_in_the_summary() -> None:
    timeline = AssessmentTimeline(
        received_on=MONDAY,
        decided_on=date(2025, 2, 10),
        decided_to_assess=True,
        draft_sent_on=date(2025, 4, 14),
        comments_waived=True,
    )
    assert clock_summary(timeline, today=date(2025, 4, 14)).may_finalise_from == date(2025, 4, 14)


def test_a_no_plan_notice_ends_the_clock_without_a_final_plan_milestone() -> None:
    timeline = AssessmentTimeline(
        received_on=MONDAY,
        decided_on=date(2025, 2, 10),
        decided_to_assess=True,
        no_plan_notice_on=date(2025, 4, 29),
    )
    summary = clock_summary(timeline, today=date(2025, 5, 1))
    assert kinds(timeline, date(2025, 5, 1)) == [
        MilestoneKind.DECISION_TO_ASSESS,
        MilestoneKind.NO_PLAN_NOTICE,
    ]
    notice = summary.milestone(MilestoneKind.NO_PLAN_NOTICE)
    assert notice is not None
    assert (notice.status, notice.days_late) == (MilestoneStatus.LATE, 1)
    assert summary.milestone(MilestoneKind.FINAL_PLAN) is None


@pytest.mark.parametrize(
    ("issued", "within"),
    [(date(2025, 5, 26), True), (date(2025, 5, 27), False), (date(2025, 3, 1), True)],
)
def test_issued_plans_are_within_twenty_weeks_up_to_and_including_the_due_date(
    issued: date, within: bool
) -> None:
    timeline = AssessmentTimeline(
        received_on=MONDAY,
        decided_on=date(2025, 1, 20),
        decided_to_assess=True,
        draft_sent_on=date(2025, 1, 21),
        final_issued_on=issued,
    )
    summary = clock_summary(timeline, today=date(2025, 12, 1))
    assert summary.within_20_weeks is within
    assert summary.within_20_weeks_excluding_exceptions is within
    final = summary.milestone(MilestoneKind.FINAL_PLAN)
    assert final is not None
    assert final.status is (MilestoneStatus.MET if within else MilestoneStatus.LATE)


@pytest.mark.parametrize(
    "fields",
    [
        {"decided_on": date(2025, 2, 1)},  # a decision date without the decision
        {"decided_to_assess": True},  # a decision without its date
        {"draft_sent_on": date(2025, 1, 5)},  # before the request
        {"no_plan_notice_on": date(2025, 4, 1), "final_issued_on": date(2025, 5, 1)},
    ],
)
def test_impossible_timelines_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(StatutoryRuleError):
        AssessmentTimeline(received_on=MONDAY, **fields)  # type: ignore[arg-type]


def test_finalising_inside_the_comment_window_raises_with_the_first_allowed_day() -> None:
    sent = date(2025, 3, 1)
    with pytest.raises(CommentWindowOpen) as raised:
        require_can_finalise_draft(draft_sent_on=sent, on=date(2025, 3, 15))
    assert raised.value.may_finalise_from == date(2025, 3, 16)
    require_can_finalise_draft(draft_sent_on=sent, on=date(2025, 3, 16))
    require_can_finalise_draft(draft_sent_on=sent, on=sent, comments_waived=True)


def test_a_withdrawal_drops_the_milestones_still_open() -> None:
    timeline = AssessmentTimeline(
        received_on=MONDAY,
        decided_on=date(2025, 2, 10),
        decided_to_assess=True,
        advice_requests=(AdviceRequest(advice=AdviceType.HEALTH, requested_on=date(2025, 2, 11)),),
        withdrawn_on=date(2025, 3, 1),
    )
    summary = clock_summary(timeline, today=date(2025, 9, 1))
    assert [(m.kind, m.status) for m in summary.milestones] == [
        (MilestoneKind.DECISION_TO_ASSESS, MilestoneStatus.MET)
    ]
    assert summary.withdrawn_on == date(2025, 3, 1)


def test_a_request_with_a_final_plan_cannot_be_withdrawn() -> None:
    with pytest.raises(StatutoryRuleError):
        AssessmentTimeline(
            received_on=MONDAY, final_issued_on=date(2025, 5, 1), withdrawn_on=date(2025, 5, 2)
        )
