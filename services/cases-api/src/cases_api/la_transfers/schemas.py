"""Request and response bodies of transfers between LAs and commissioning body changes."""

import uuid
from datetime import date, datetime

from pydantic import Field

from cases_api.core.etag import etag_for
from cases_api.core.schemas import CaseDate, InputModel, LaCode, OutputModel
from cases_api.deadlines.schemas import DeadlineRead, present_deadline
from cases_api.la_transfers.models import CommissioningChange, LaTransfer
from cases_api.statutory.la_transfers import health_body_deadline, la_transfer_deadlines
from cases_api.statutory.working_days import england_holidays


class LaTransferCreate(InputModel):
    """The family moved (or will move) to another LA's area; recorded by the old LA."""

    new_la_code: LaCode
    moved_on: CaseDate = Field(description="The day of the move.")
    old_la_aware_on: CaseDate = Field(description="The day the old LA became aware of the move.")


class TransferDone(InputModel):
    transferred_on: CaseDate = Field(description="The day the old LA transferred the plan.")


class FamilyNotified(InputModel):
    family_notified_on: CaseDate = Field(
        description="The day the new LA told the family the plan was transferred, whether it "
        "will assess, and when it will review (reg 15(4))."
    )


class LaTransferRead(OutputModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    child_id: uuid.UUID
    old_la_code: str
    new_la_code: str
    moved_on: date
    old_la_aware_on: date
    plan_last_reviewed_on: date
    transferred_on: date | None
    family_notified_on: date | None
    deadlines: list[DeadlineRead] = Field(
        description="The transfer (reg 15(2)), the new LA's letter to the family (reg 15(4)) "
        "and the new LA's first review (reg 15(5))."
    )
    as_of: date
    etag: str
    recorded_by: str
    created_at: datetime


def present_transfer(
    transfer: LaTransfer, *, reviewed_on: date | None, as_of: date
) -> LaTransferRead:
    """A transfer with its deadlines; ``reviewed_on`` is the plan's first review meeting after
    the transfer, if held."""
    deadlines = la_transfer_deadlines(
        moved_on=transfer.moved_on,
        aware_on=transfer.old_la_aware_on,
        plan_last_reviewed_on=transfer.plan_last_reviewed_on,
        today=as_of,
        transferred_on=transfer.transferred_on,
        family_notified_on=transfer.family_notified_on,
        reviewed_on=reviewed_on,
        is_holiday=england_holidays,
    )
    return LaTransferRead(
        id=transfer.id,
        plan_id=transfer.plan_id,
        child_id=transfer.child_id,
        old_la_code=transfer.old_la_code,
        new_la_code=transfer.new_la_code,
        moved_on=transfer.moved_on,
        old_la_aware_on=transfer.old_la_aware_on,
        plan_last_reviewed_on=transfer.plan_last_reviewed_on,
        transferred_on=transfer.transferred_on,
        family_notified_on=transfer.family_notified_on,
        deadlines=[present_deadline(d) for d in deadlines],
        as_of=as_of,
        etag=etag_for(transfer.version),
        recorded_by=transfer.recorded_by,
        created_at=transfer.created_at,
    )


class CommissioningChangeCreate(InputModel):
    """The responsible commissioning body for the plan's health care changed (reg 16)."""

    old_body: str = Field(min_length=1, max_length=200, examples=["NHS Leicester ICB"])
    new_body: str = Field(min_length=1, max_length=200, examples=["NHS Derby ICB"])
    new_body_aware_on: CaseDate = Field(
        description="The day the new body became aware of the change."
    )


class CommissioningAnswer(InputModel):
    answered_on: CaseDate = Field(
        description="The day the new body arranged the health provision, or asked the LA to "
        "assess or review."
    )


class CommissioningChangeRead(OutputModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    child_id: uuid.UUID
    old_body: str
    new_body: str
    new_body_aware_on: date
    answered_on: date | None
    deadlines: list[DeadlineRead]
    as_of: date
    etag: str
    recorded_by: str
    created_at: datetime


def present_change(change: CommissioningChange, *, as_of: date) -> CommissioningChangeRead:
    deadline = health_body_deadline(
        aware_on=change.new_body_aware_on,
        today=as_of,
        answered_on=change.answered_on,
        is_holiday=england_holidays,
    )
    return CommissioningChangeRead(
        id=change.id,
        plan_id=change.plan_id,
        child_id=change.child_id,
        old_body=change.old_body,
        new_body=change.new_body,
        new_body_aware_on=change.new_body_aware_on,
        answered_on=change.answered_on,
        deadlines=[present_deadline(deadline)],
        as_of=as_of,
        etag=etag_for(change.version),
        recorded_by=change.recorded_by,
        created_at=change.created_at,
    )
