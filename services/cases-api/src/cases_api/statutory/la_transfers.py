"""A plan moving with the family to another LA (SEND Regulations 2014 reg 15) and a change of the
health commissioning body (reg 16).

Reg 15, read as follows:

- (2) the old LA transfers the plan on the day of the move; where it did not become aware of the
  move at least 15 working days before it, within 15 working days beginning with the day it became
  aware. 'Aware at least 15 working days before the move' is read as: the move day is at least
  15 working days after the day of awareness, the awareness day counting as the first. When in
  doubt the earlier date (the move day) applies.
- (4) the new LA tells the family, within 6 weeks of the date of the transfer, that the plan has
  been transferred, whether it proposes to assess and when it will review the plan.
- (5) the new LA reviews the plan before the later of the end of 12 months beginning with the day
  the plan was made or last reviewed, and the end of 3 months beginning with the transfer. 'Before
  the expiry' of a period: the last day of that period is the last lawful day.

Until the plan has actually been transferred the new LA's limits count from the day the transfer
was due (the earlier, stricter date); once it has, from the day it was.

Reg 16, read as follows (the regulation is short and its paragraphs are cited together): where the
responsible commissioning body changes, the new body must, within 15 working days beginning with
the day it became aware of the change, either arrange the health care provision specified in the
plan or, where that is not practicable, ask the LA to assess or review. One deadline is modelled:
the new body's answer, 15 working days beginning with the day it became aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cases_api.statutory._calendar import add_weeks, last_day_of_months_starting_with
from cases_api.statutory.basis import send_reg
from cases_api.statutory.deadlines import Deadline, DeadlineKind, evaluate_deadline
from cases_api.statutory.milestones import DEFAULT_DUE_SOON_DAYS
from cases_api.statutory.working_days import (
    HolidayPredicate,
    england_holidays,
    nth_working_day_beginning_with,
)

__all__ = [
    "TRANSFER_WORKING_DAYS",
    "LaTransferDates",
    "health_body_deadline",
    "la_transfer_dates",
    "la_transfer_deadlines",
    "learnt_in_time",
    "plan_transfer_due",
]

TRANSFER_WORKING_DAYS = 15  # reg 15(2), reg 16
FAMILY_NOTICE_WEEKS = 6  # reg 15(4)
REVIEW_MONTHS_AFTER_TRANSFER = 3  # reg 15(5)(b)
REVIEW_MONTHS = 12  # reg 15(5)(a), CFA 2014 s44(1)


def learnt_in_time(
    *, aware_on: date, moved_on: date, is_holiday: HolidayPredicate = england_holidays
) -> bool:
    """Whether the old LA knew of the move at least 15 working days before it (reg 15(2))."""
    if aware_on >= moved_on:
        return False
    fifteenth = nth_working_day_beginning_with(
        aware_on, TRANSFER_WORKING_DAYS, is_holiday=is_holiday
    )
    # Working days from awareness up to the day before the move must number at least 15.
    return fifteenth < moved_on


def plan_transfer_due(
    *, aware_on: date, moved_on: date, is_holiday: HolidayPredicate = england_holidays
) -> date:
    """The last day for the old LA to transfer the plan (reg 15(2))."""
    if learnt_in_time(aware_on=aware_on, moved_on=moved_on, is_holiday=is_holiday):
        return moved_on
    return nth_working_day_beginning_with(aware_on, TRANSFER_WORKING_DAYS, is_holiday=is_holiday)


@dataclass(frozen=True, slots=True)
class LaTransferDates:
    """The due dates of a reg 15 transfer."""

    transfer_due: date
    family_notice_due: date
    review_due: date
    counted_from: date  # the transfer, or the day it was due while it has not happened


def la_transfer_dates(
    *,
    moved_on: date,
    aware_on: date,
    plan_last_reviewed_on: date,
    transferred_on: date | None = None,
    is_holiday: HolidayPredicate = england_holidays,
) -> LaTransferDates:
    """Due dates of reg 15(2), (4) and (5). ``plan_last_reviewed_on`` is the day the plan was
    made, or its last review meeting if later."""
    due = plan_transfer_due(aware_on=aware_on, moved_on=moved_on, is_holiday=is_holiday)
    start = transferred_on or due
    review = max(
        last_day_of_months_starting_with(plan_last_reviewed_on, REVIEW_MONTHS),
        last_day_of_months_starting_with(start, REVIEW_MONTHS_AFTER_TRANSFER),
    )
    return LaTransferDates(
        transfer_due=due,
        family_notice_due=add_weeks(start, FAMILY_NOTICE_WEEKS),
        review_due=review,
        counted_from=start,
    )


def la_transfer_deadlines(
    *,
    moved_on: date,
    aware_on: date,
    plan_last_reviewed_on: date,
    today: date,
    transferred_on: date | None = None,
    family_notified_on: date | None = None,
    reviewed_on: date | None = None,
    is_holiday: HolidayPredicate = england_holidays,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> tuple[Deadline, ...]:
    """The three deadlines of a transfer between LAs, with their status on ``today``."""
    dates = la_transfer_dates(
        moved_on=moved_on,
        aware_on=aware_on,
        plan_last_reviewed_on=plan_last_reviewed_on,
        transferred_on=transferred_on,
        is_holiday=is_holiday,
    )
    late_awareness = dates.transfer_due != moved_on
    return (
        evaluate_deadline(
            DeadlineKind.PLAN_TRANSFER,
            due=dates.transfer_due,
            done=transferred_on,
            today=today,
            legal_basis=send_reg("15(2)"),
            detail="within 15 working days of becoming aware"
            if late_awareness
            else "on the day of the move",
            due_soon_days=due_soon_days,
        ),
        evaluate_deadline(
            DeadlineKind.TRANSFER_NOTICE_TO_FAMILY,
            due=dates.family_notice_due,
            done=family_notified_on,
            today=today,
            legal_basis=send_reg("15(4)"),
            detail="the new LA tells the family: transferred, whether it will assess, when it "
            "will review",
            due_soon_days=due_soon_days,
        ),
        evaluate_deadline(
            DeadlineKind.TRANSFER_REVIEW,
            due=dates.review_due,
            done=reviewed_on,
            today=today,
            legal_basis=send_reg("15(5)"),
            detail="the later of 12 months from the plan or its last review and 3 months from "
            "the transfer",
            due_soon_days=due_soon_days,
        ),
    )


def health_body_deadline(
    *,
    aware_on: date,
    today: date,
    answered_on: date | None = None,
    is_holiday: HolidayPredicate = england_holidays,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> Deadline:
    """The new commissioning body's answer: 15 working days beginning with awareness (reg 16)."""
    return evaluate_deadline(
        DeadlineKind.HEALTH_BODY_RESPONSE,
        due=nth_working_day_beginning_with(aware_on, TRANSFER_WORKING_DAYS, is_holiday=is_holiday),
        done=answered_on,
        today=today,
        legal_basis=send_reg("16"),
        detail="the new commissioning body arranges the health provision or asks the LA to "
        "assess or review",
        due_soon_days=due_soon_days,
    )
