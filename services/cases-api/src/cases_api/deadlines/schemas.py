"""The API form of a deadline: due date, status on the day asked about, and its legal basis."""

import uuid
from datetime import date

from pydantic import Field

from cases_api.core.schemas import LEGAL_BASIS_HELP, OutputModel
from cases_api.deadlines.rows import PATHS, DeadlineRow, KindCompliance, RecordKind
from cases_api.statutory import MilestoneStatus
from cases_api.statutory.appeals import AppealDeadline, DeadlineRoll, appeal_deadline_detail
from cases_api.statutory.deadlines import Deadline, DeadlineKind


class AppealDeadlineRead(OutputModel):
    """The last day to appeal a decision to the First-tier Tribunal (SEND)."""

    last_day: date = Field(
        description="The day the notice of appeal must reach the tribunal by (HESC Rules 2008 "
        "r20(1), moved by r12(3)(a) out of 25 December–1 January and August, and by r12(2) off a "
        "non-working day)."
    )
    raw_last_day: date = Field(description="The r20(1) date before r12 moved it.")
    counted_from: date = Field(description="The day the decision notice was sent.")
    provisional: bool = Field(
        description="True while the day the notice was sent is not recorded: counted from the day "
        "of the decision, the earliest it can be; the real deadline is never earlier."
    )
    rolled_by: DeadlineRoll
    legal_basis: str = Field(description=LEGAL_BASIS_HELP)


def present_appeal_deadline(
    appeal: AppealDeadline, *, counted_from: date, provisional: bool = False
) -> AppealDeadlineRead:
    """The API form of an appeal deadline counted from ``counted_from``."""
    return AppealDeadlineRead(
        last_day=appeal.last_day,
        raw_last_day=appeal.raw_last_day,
        counted_from=counted_from,
        provisional=provisional,
        rolled_by=appeal.rolled_by,
        legal_basis=appeal.legal_basis,
    )


def appeal_from_notice(notice_on: date) -> AppealDeadlineRead:
    """The last day to appeal a decision whose notice (or the issued plan itself) went out on
    ``notice_on``, with no mediation certificate yet."""
    return present_appeal_deadline(
        appeal_deadline_detail(notice_sent_on=notice_on), counted_from=notice_on
    )


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


class DeadlineRowRead(OutputModel):
    """One deadline of one record, in an officers' view."""

    record: RecordKind
    record_id: uuid.UUID
    path: str = Field(examples=["/v1/annual-reviews/0b6c…"], description="Where to read it.")
    child_id: uuid.UUID
    child_name: str | None = Field(
        description="The child's name; null where the caller no longer sees the child (the old "
        "LA after a transfer to another LA)."
    )
    la_code: str = Field(description="The LA that must meet the deadline.")
    deadline: DeadlineRead


class DeadlineCountRead(OutputModel):
    as_of: date
    count: int = Field(description="Deadlines in the view.")
    by_kind: dict[DeadlineKind, int]


class KindComplianceRead(OutputModel):
    kind: DeadlineKind
    legal_basis: list[str]
    due: int = Field(description="Deadlines that fell due in the period.")
    met: int
    late: int = Field(description="Done after the due date.")
    overdue: int = Field(description="Not done, and past due on as_of.")
    open: int = Field(description="Not done, not yet past due on as_of.")


class DeadlineComplianceRead(OutputModel):
    as_of: date
    period_from: date
    period_to: date
    la_code: str | None
    kinds: list[KindComplianceRead]


def present_row(row: DeadlineRow, *, child_name: str | None) -> DeadlineRowRead:
    return DeadlineRowRead(
        record=row.record,
        record_id=row.record_id,
        path=PATHS[row.record].format(row.record_id),
        child_id=row.child_id,
        child_name=child_name,
        la_code=row.la_code,
        deadline=present_deadline(row.deadline),
    )


def present_kind(figures: KindCompliance) -> KindComplianceRead:
    return KindComplianceRead(
        kind=figures.kind,
        legal_basis=list(figures.legal_basis),
        due=figures.due,
        met=figures.met,
        late=figures.late,
        overdue=figures.overdue,
        open=figures.open,
    )
