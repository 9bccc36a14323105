"""Annual reviews of a final EHC plan (CFA 2014 s44; SEND Regulations 2014 reg 20 and 22).

Interpretation of 'within 12 months': s44(1) requires a review 'in the period of 12 months starting
with the date on which the plan was first made' and then in each period of 12 months 'starting with
the date on which the plan was last reviewed'. A period starting with a date includes that date, so
it ends the day before the anniversary: a plan made on 10 March 2025 must be reviewed by 9 March
2026. Where the anniversary does not exist (a plan made on 29 February) the period ends on the last
day of the month (28 February). ``review_due`` returns that last lawful day; a meeting held on it
is on time. The 4- and 8-week limits read 'within N weeks of' and end N weeks after the event.

The review decision (reg 20(10)): within four weeks of the meeting the LA must notify its decision
to maintain, amend or cease. Where it decides to amend, a letter saying 'we will amend' is not that
decision on its own: the notice of the proposed amendments (reg 22(2)) must go within the same four
weeks (R (L, M, P) v Devon CC [2022] EWHC 493 (Admin)). So for an 'amend' decision the milestone is
met only by the amendment notice; a decision to maintain unchanged or to cease is met by its notice.
"""

from __future__ import annotations

from datetime import date

from cases_api.statutory._calendar import add_weeks, last_day_of_months_starting_with
from cases_api.statutory.errors import StatutoryRuleError
from cases_api.statutory.milestones import (
    DEFAULT_DUE_SOON_DAYS,
    Milestone,
    MilestoneKind,
    evaluate_milestone,
)

__all__ = [
    "AMENDED_PLAN_WEEKS",
    "REVIEW_DECISION_WEEKS",
    "REVIEW_INTERVAL_MONTHS",
    "amended_plan_due",
    "review_decision_due",
    "review_due",
    "review_milestones",
]

REVIEW_INTERVAL_MONTHS = 12  # CFA 2014 s44(1)
REVIEW_DECISION_WEEKS = 4  # reg 20(10) (and reg 21 for other settings)
AMENDED_PLAN_WEEKS = 8  # reg 22


def review_due(*, plan_made_on: date, last_review_meeting_on: date | None = None) -> date:
    """Return the last day for the next review meeting: 12 months starting with the later date."""
    start = plan_made_on
    if last_review_meeting_on is not None:
        if last_review_meeting_on < plan_made_on:
            raise StatutoryRuleError("a review meeting cannot precede the plan it reviews")
        start = last_review_meeting_on
    return last_day_of_months_starting_with(start, REVIEW_INTERVAL_MONTHS)


def review_decision_due(meeting_on: date) -> date:
    """Return the last day to notify maintain / amend / cease: 4 weeks after the meeting."""
    return add_weeks(meeting_on, REVIEW_DECISION_WEEKS)


def amended_plan_due(amendment_notice_on: date) -> date:
    """Return the last day to issue the amended plan: 8 weeks after the amendment notice."""
    return add_weeks(amendment_notice_on, AMENDED_PLAN_WEEKS)


def review_milestones(
    *,
    plan_made_on: date,
    today: date,
    last_review_meeting_on: date | None = None,
    current_review_meeting_on: date | None = None,
    decision_notified_on: date | None = None,
    amendment_notice_on: date | None = None,
    amended_plan_issued_on: date | None = None,
    decided_to_amend: bool = False,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> tuple[Milestone, ...]:
    """Return the current review cycle's milestones (meeting, decision, amended plan) on ``today``.

    ``last_review_meeting_on`` is the previous cycle's meeting (None for the first review);
    ``current_review_meeting_on`` the meeting of this cycle once held. The decision milestone
    appears once the meeting is held, the amended-plan milestone once a notice is sent. When
    ``decided_to_amend`` the decision milestone is done on ``amendment_notice_on`` (reg 20(10) with
    reg 22(2)), not on ``decision_notified_on``.
    """
    due = review_due(plan_made_on=plan_made_on, last_review_meeting_on=last_review_meeting_on)
    milestones = [
        evaluate_milestone(
            MilestoneKind.ANNUAL_REVIEW,
            due=due,
            done=current_review_meeting_on,
            today=today,
            due_soon_days=due_soon_days,
        )
    ]
    if current_review_meeting_on is not None:
        milestones.append(
            evaluate_milestone(
                MilestoneKind.REVIEW_DECISION,
                due=review_decision_due(current_review_meeting_on),
                done=amendment_notice_on if decided_to_amend else decision_notified_on,
                today=today,
                detail="amend: met by the amendment notice" if decided_to_amend else "",
                due_soon_days=due_soon_days,
            )
        )
    if amendment_notice_on is not None:
        milestones.append(
            evaluate_milestone(
                MilestoneKind.AMENDED_PLAN,
                due=amended_plan_due(amendment_notice_on),
                done=amended_plan_issued_on,
                today=today,
                due_soon_days=due_soon_days,
            )
        )
    return tuple(milestones)
