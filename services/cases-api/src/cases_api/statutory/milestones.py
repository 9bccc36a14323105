"""Milestones: a due date, an optional done date and where that leaves the case on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cases_api.statutory.basis import basis_of

__all__ = [
    "DEFAULT_DUE_SOON_DAYS",
    "Milestone",
    "MilestoneKind",
    "MilestoneStatus",
    "evaluate_milestone",
]

DEFAULT_DUE_SOON_DAYS = 14
"""A milestone not yet done is 'due soon' when its due date is this many days away or fewer."""


class MilestoneKind(StrEnum):
    """The statutory steps a clock can report on."""

    DECISION_TO_ASSESS = "decision_to_assess"
    ADVICE = "advice"
    NO_PLAN_NOTICE = "no_plan_notice"
    SCHOOL_CONSULTATION_REPLY = "school_consultation_reply"
    FINAL_PLAN = "final_plan"
    ANNUAL_REVIEW = "annual_review"
    REVIEW_DECISION = "review_decision"
    AMENDED_PLAN = "amended_plan"
    PHASE_TRANSFER = "phase_transfer"


class MilestoneStatus(StrEnum):
    """Where a milestone stands: open (pending, due_soon, overdue) or done (met, late)."""

    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    LATE = "late"


@dataclass(frozen=True, slots=True)
class Milestone:
    """One statutory step: its due date, when it was done, and its status on ``as_of``.

    ``days_remaining`` is set only for open milestones not yet overdue (0 on the due date);
    ``days_late`` only for overdue or late ones. ``adjusted_due`` extends ``due`` by the days of
    recorded exceptions (an operational aid; equal to ``due`` where no exception applies).
    ``detail`` names which one when a kind repeats (the advice type, the school).
    ``legal_basis`` cites the regulation or rule that sets the due date (``basis.py``).
    ``exception_applies`` is true when a recorded exception excuses this time limit (it falls
    within the limit's period on a ground the limit accepts; see ``clock_exceptions``).
    """

    kind: MilestoneKind
    due: date
    done: date | None
    status: MilestoneStatus
    as_of: date
    days_remaining: int | None
    days_late: int | None
    adjusted_due: date
    detail: str = ""
    legal_basis: str = ""
    exception_applies: bool = False


def evaluate_milestone(
    kind: MilestoneKind,
    *,
    due: date,
    done: date | None,
    today: date,
    adjusted_due: date | None = None,
    detail: str = "",
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    legal_basis: str | None = None,
    exception_applies: bool = False,
) -> Milestone:
    """Return the milestone's status on ``today``: done on or before the due date is met."""
    days_remaining: int | None = None
    days_late: int | None = None
    if done is not None:
        if done <= due:
            status = MilestoneStatus.MET
        else:
            status = MilestoneStatus.LATE
            days_late = (done - due).days
    elif today > due:
        status = MilestoneStatus.OVERDUE
        days_late = (today - due).days
    else:
        days_remaining = (due - today).days
        status = (
            MilestoneStatus.DUE_SOON if days_remaining <= due_soon_days else MilestoneStatus.PENDING
        )
    return Milestone(
        kind=kind,
        due=due,
        done=done,
        status=status,
        as_of=today,
        days_remaining=days_remaining,
        days_late=days_late,
        adjusted_due=due if adjusted_due is None else adjusted_due,
        detail=detail,
        legal_basis=basis_of(kind) if legal_basis is None else legal_basis,
        exception_applies=exception_applies,
    )
