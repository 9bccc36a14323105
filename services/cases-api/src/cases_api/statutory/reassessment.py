"""Reassessment of a child or young person with a plan (CFA 2014 s44(2); SEND Regulations 2014
regs 26–28 as read here).

- reg 27(1)–(2): the LA must notify the family of its decision whether to reassess within 15 days
  of receiving the request. 'Within 15 days of' the request ends 15 days after the day of receipt.
- reg 27(3): the LA may refuse a request made within six months of the last EHC needs assessment,
  unless it thinks a reassessment necessary. Six months have 'elapsed' on the corresponding date
  six months on (31 August + 6 months → 28/29 February); a request received before that date is
  within the six months.
- reg 26 applies the assessment rules (regs 6–10, 13) to a reassessment: the plan that follows is
  due 20 weeks after the request (reg 13(2)), the stricter reading of 'the same timescales'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cases_api.statutory._calendar import add_months, add_weeks
from cases_api.statutory.basis import send_reg
from cases_api.statutory.deadlines import Deadline, DeadlineKind, evaluate_deadline
from cases_api.statutory.milestones import DEFAULT_DUE_SOON_DAYS

__all__ = [
    "REASSESSMENT_DECISION_DAYS",
    "ReassessmentDates",
    "reassessment_dates",
    "reassessment_deadlines",
    "within_six_months",
]

REASSESSMENT_DECISION_DAYS = 15  # reg 27
SIX_MONTHS = 6  # reg 27(3)
FINAL_PLAN_WEEKS = 20  # reg 13(2) as applied by reg 26


def within_six_months(*, request_received_on: date, last_assessed_on: date) -> bool:
    """Whether the request came less than six months after the last assessment (reg 27(3)):
    the LA may then refuse it unless it thinks a reassessment necessary."""
    return request_received_on < add_months(last_assessed_on, SIX_MONTHS)


@dataclass(frozen=True, slots=True)
class ReassessmentDates:
    decision_due: date
    final_plan_due: date
    may_refuse_as_too_soon: bool
    six_months_elapse_on: date | None


def reassessment_dates(
    *, request_received_on: date, last_assessed_on: date | None
) -> ReassessmentDates:
    """The decision and plan due dates of a reassessment request, and whether it is too soon."""
    too_soon = last_assessed_on is not None and within_six_months(
        request_received_on=request_received_on, last_assessed_on=last_assessed_on
    )
    return ReassessmentDates(
        decision_due=request_received_on + timedelta(days=REASSESSMENT_DECISION_DAYS),
        final_plan_due=add_weeks(request_received_on, FINAL_PLAN_WEEKS),
        may_refuse_as_too_soon=too_soon,
        six_months_elapse_on=add_months(last_assessed_on, SIX_MONTHS) if last_assessed_on else None,
    )


def reassessment_deadlines(
    *,
    request_received_on: date,
    today: date,
    last_assessed_on: date | None = None,
    decision_notified_on: date | None = None,
    reassessing: bool | None = None,
    plan_issued_on: date | None = None,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> tuple[Deadline, ...]:
    """The decision deadline, and the plan's once the LA has decided to reassess."""
    dates = reassessment_dates(
        request_received_on=request_received_on, last_assessed_on=last_assessed_on
    )
    deadlines = [
        evaluate_deadline(
            DeadlineKind.REASSESSMENT_DECISION,
            due=dates.decision_due,
            done=decision_notified_on,
            today=today,
            legal_basis=send_reg("27"),
            detail="within 6 months of the last assessment: the LA may refuse"
            if dates.may_refuse_as_too_soon
            else "",
            due_soon_days=due_soon_days,
        )
    ]
    if reassessing:
        deadlines.append(
            evaluate_deadline(
                DeadlineKind.REASSESSMENT_PLAN,
                due=dates.final_plan_due,
                done=plan_issued_on,
                today=today,
                legal_basis=send_reg("13(2)") + " (applied by reg 26)",
                due_soon_days=due_soon_days,
            )
        )
    return tuple(deadlines)
