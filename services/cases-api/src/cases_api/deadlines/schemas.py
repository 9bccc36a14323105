"""The API form of a deadline: due date, status on the day asked about, and its legal basis."""

from datetime import date

from pydantic import Field

from cases_api.core.schemas import OutputModel
from cases_api.statutory import MilestoneStatus
from cases_api.statutory.deadlines import Deadline, DeadlineKind


class DeadlineRead(OutputModel):
    """A statutory step's last lawful day, its status, and the rule that sets it."""

    kind: DeadlineKind
    due: date = Field(description="The last day that satisfies the rule.")
    done: date | None
    status: MilestoneStatus
    days_remaining: int | None
    days_late: int | None
    legal_basis: str = Field(examples=["SEND Regulations 2014 reg 20(3)"])
    detail: str = Field(description="Which step, when a kind repeats; or what the rule asks.")


def present_deadline(deadline: Deadline) -> DeadlineRead:
    return DeadlineRead(
        kind=deadline.kind,
        due=deadline.due,
        done=deadline.done,
        status=deadline.status,
        days_remaining=deadline.days_remaining,
        days_late=deadline.days_late,
        legal_basis=deadline.legal_basis,
        detail=deadline.detail,
    )
