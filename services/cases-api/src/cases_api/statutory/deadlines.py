"""Deadlines with their legal basis: a due date, a done date, a status and the rule behind it.

The rules added for issue 11 (review meetings, amendment notices, tribunal orders, transfers
between LAs, reassessment) report ``Deadline`` rather than ``Milestone`` so each carries the
regulation it comes from; the status arithmetic is the milestones' own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cases_api.statutory.basis import LegalBasis
from cases_api.statutory.milestones import (
    DEFAULT_DUE_SOON_DAYS,
    MilestoneKind,
    MilestoneStatus,
    evaluate_milestone,
)

__all__ = ["OPEN_STATUSES", "Deadline", "DeadlineKind", "evaluate_deadline"]


class DeadlineKind(StrEnum):
    """The steps these deadlines are for; each names what must be done by the due date."""

    REVIEW_INVITATIONS = "review_invitations"
    REVIEW_ADVICE_CIRCULATED = "review_advice_circulated"
    REVIEW_REPORT = "review_report"
    AMENDMENT_REPRESENTATIONS = "amendment_representations"
    AMENDED_PLAN = "amended_plan"
    TRIBUNAL_ORDER = "tribunal_order"
    PLAN_TRANSFER = "plan_transfer"
    TRANSFER_NOTICE_TO_FAMILY = "transfer_notice_to_family"
    TRANSFER_REVIEW = "transfer_review"
    HEALTH_BODY_RESPONSE = "health_body_response"
    REASSESSMENT_DECISION = "reassessment_decision"
    REASSESSMENT_PLAN = "reassessment_plan"
    PHASE_TRANSFER = "phase_transfer"


OPEN_STATUSES = (MilestoneStatus.PENDING, MilestoneStatus.DUE_SOON, MilestoneStatus.OVERDUE)


@dataclass(frozen=True, slots=True)
class Deadline:
    """One statutory step, its status on ``as_of`` and the rule that sets its due date.

    ``due`` is the last day that satisfies the rule; done on or before it is met.
    ``detail`` says which one when a kind repeats (the order, the step of the order).
    """

    kind: DeadlineKind
    due: date
    done: date | None
    status: MilestoneStatus
    as_of: date
    days_remaining: int | None
    days_late: int | None
    legal_basis: LegalBasis
    detail: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def evaluate_deadline(
    kind: DeadlineKind,
    *,
    due: date,
    done: date | None,
    today: date,
    legal_basis: LegalBasis,
    detail: str = "",
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> Deadline:
    """Return the deadline's status on ``today`` (the rules of ``evaluate_milestone``)."""
    # The milestone kind is only a carrier here: the status rules do not depend on it.
    status = evaluate_milestone(
        MilestoneKind.AMENDED_PLAN, due=due, done=done, today=today, due_soon_days=due_soon_days
    )
    return Deadline(
        kind=kind,
        due=due,
        done=done,
        status=status.status,
        as_of=today,
        days_remaining=status.days_remaining,
        days_late=status.days_late,
        legal_basis=legal_basis,
        detail=detail,
    )
