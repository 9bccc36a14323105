"""Amending a plan: the family's representations window and the amended plan (SEND Regulations
2014 reg 22), whatever led to the amendment notice (a review, a phase transfer, a tribunal order
or the LA's own proposal).

- reg 22(2)(c): the family may make representations (and ask for a particular school) within a
  period the LA sets, of not less than 15 days beginning with the day the notice was received.
  The period includes that day, so it ends 14 days later and the plan may be issued the day after.
  Receipt is not recorded: the notice's date stands in for it, as reg 13's window on a draft does
  here. Where the notice arrived later the window ends later; officers who know the date of receipt
  pass it (``received_on``).
- reg 22(3): the amended plan is issued as soon as practicable and in any event within 8 weeks of
  the amendment notice; reg 22(4): a decision not to amend is notified within the same 8 weeks.
  The 8 weeks run from the date the notice was sent, not received (the earlier, stricter date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cases_api.statutory.basis import LegalBasis, send_reg
from cases_api.statutory.deadlines import Deadline, DeadlineKind, evaluate_deadline
from cases_api.statutory.milestones import DEFAULT_DUE_SOON_DAYS
from cases_api.statutory.reviews import amended_plan_due

__all__ = [
    "AMENDED_PLAN_BASIS",
    "REPRESENTATIONS_BASIS",
    "REPRESENTATION_DAYS",
    "AmendmentWindow",
    "amended_plan_deadline",
    "amendment_window",
]

REPRESENTATION_DAYS = 15  # reg 22(2)(c)
REPRESENTATIONS_BASIS: LegalBasis = send_reg("22(2)(c)")
AMENDED_PLAN_BASIS: LegalBasis = send_reg("22(3)")


@dataclass(frozen=True, slots=True)
class AmendmentWindow:
    """The family's representations window on an amendment notice and when the plan may follow."""

    notice_sent_on: date
    representations_until: date | None  # None when the family waived the window
    may_issue_from: date
    amended_plan_due: date
    legal_basis: LegalBasis = REPRESENTATIONS_BASIS


def amendment_window(
    *, notice_sent_on: date, received_on: date | None = None, waived: bool = False
) -> AmendmentWindow:
    """The window of reg 22(2)(c) on a notice sent on ``notice_sent_on`` and reg 22(3)'s limit."""
    if received_on is not None and received_on < notice_sent_on:
        raise ValueError("a notice cannot be received before it is sent")
    start = received_on or notice_sent_on
    until = start + timedelta(days=REPRESENTATION_DAYS - 1)
    return AmendmentWindow(
        notice_sent_on=notice_sent_on,
        representations_until=None if waived else until,
        may_issue_from=notice_sent_on if waived else until + timedelta(days=1),
        amended_plan_due=amended_plan_due(notice_sent_on),
    )


def amended_plan_deadline(
    *,
    notice_sent_on: date,
    today: date,
    amended_plan_issued_on: date | None = None,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> Deadline:
    """The amended plan (or notice of a decision not to amend), 8 weeks after the notice."""
    return evaluate_deadline(
        DeadlineKind.AMENDED_PLAN,
        due=amended_plan_due(notice_sent_on),
        done=amended_plan_issued_on,
        today=today,
        legal_basis=AMENDED_PLAN_BASIS,
        detail=f"amendment notice of {notice_sent_on.isoformat()}",
        due_soon_days=due_soon_days,
    )
