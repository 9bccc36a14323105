"""Record a plan's transfer to another LA and a change of commissioning body, with their steps.

Who sees what: both LAs' officers (and service clients) see a transfer record. The child's file
stays with the old LA until it records the transfer; then the child's LA becomes the new LA
(reg 15(3)(a): the plan is treated as made by the new LA, which must maintain it), so the new LA
sees and maintains the whole case from that day and the old LA keeps only the transfer record.
"""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, InvalidInput, NotFound
from cases_api.core.etag import check_if_match
from cases_api.core.keyset import Keyset, fetch_page, typed
from cases_api.core.time import utcnow
from cases_api.la_transfers.models import CommissioningChange, LaTransfer
from cases_api.la_transfers.schemas import (
    CommissioningAnswer,
    CommissioningChangeCreate,
    FamilyNotified,
    LaTransferCreate,
    TransferDone,
)
from cases_api.plans.models import Plan
from cases_api.plans.service import get_plan
from cases_api.statutory.la_transfers import la_transfer_dates
from cases_api.statutory.working_days import england_holidays


def _final_plan_for_write(session: Session, *, plan_id: uuid.UUID, scope: Scope) -> Plan:
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    scope.require_write(session.get_one(Child, plan.child_id))
    if plan.made_on is None:
        raise Conflict("The plan is still a draft: only a final plan moves with the child.")
    if plan.ceased_on is not None:
        raise Conflict(f"The plan ceased on {plan.ceased_on}.")
    return plan


# --- reg 15 ---------------------------------------------------------------------------------


def get_transfer(session: Session, *, transfer_id: uuid.UUID, scope: Scope) -> LaTransfer:
    """The transfer, if the caller is an officer or client of either LA."""
    transfer = session.get(LaTransfer, transfer_id)
    if transfer is None or not (
        scope.sees_la(transfer.old_la_code) or scope.sees_la(transfer.new_la_code)
    ):
        raise NotFound(f"No transfer between LAs with id {transfer_id}.")
    return transfer


def first_review_after(session: Session, transfer: LaTransfer) -> date | None:
    """The plan's first review meeting on or after the transfer (reg 15(5)), if held."""
    if transfer.transferred_on is None:
        return None
    last = session.get_one(Plan, transfer.plan_id).last_review_meeting_on
    return last if last is not None and last >= transfer.transferred_on else None


def list_transfers(
    session: Session, *, scope: Scope, limit: int, cursor: str | None
) -> tuple[list[LaTransfer], str | None]:
    """Transfers into or out of the caller's LA, latest move first."""
    query = sa.select(LaTransfer).where(
        sa.or_(scope.la_filter(LaTransfer.old_la_code), scope.la_filter(LaTransfer.new_la_code))
    )
    keyset = Keyset(
        name="moved_on",
        key=LaTransfer.moved_on.expression,
        tiebreak=LaTransfer.id.expression,
        descending=True,
        parse=lambda k, t: (date.fromisoformat(typed(str)(k)), uuid.UUID(str(t))),
    )
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.LaTransfer for row in rows], next_cursor


def record_transfer(
    session: Session,
    *,
    plan_id: uuid.UUID,
    data: LaTransferCreate,
    today: date,
    scope: Scope,
) -> LaTransfer:
    """The old LA records the family's move; the deadlines of reg 15 start."""
    plan = _final_plan_for_write(session, plan_id=plan_id, scope=scope)
    child = session.get_one(Child, plan.child_id)
    if data.new_la_code == child.la_code:
        raise InvalidInput.in_body("new_la_code", f"The child already lives in LA {child.la_code}.")
    if data.old_la_aware_on > today:
        raise InvalidInput.in_body("old_la_aware_on", "old_la_aware_on cannot be in the future.")
    open_transfer = session.scalar(
        sa.select(LaTransfer.id).where(
            LaTransfer.plan_id == plan.id, LaTransfer.transferred_on.is_(None)
        )
    )
    if open_transfer is not None:
        raise Conflict(
            "The plan has a transfer not yet made; record it before another move.",
            transfer_id=str(open_transfer),
        )
    assert plan.made_on is not None
    transfer = LaTransfer(
        plan_id=plan.id,
        child_id=child.id,
        old_la_code=child.la_code,
        new_la_code=data.new_la_code,
        moved_on=data.moved_on,
        old_la_aware_on=data.old_la_aware_on,
        plan_last_reviewed_on=plan.last_review_meeting_on or plan.made_on,
        recorded_by=scope.principal.subject,
    )
    session.add(transfer)
    session.flush()
    return transfer


def complete_transfer(
    session: Session,
    *,
    transfer_id: uuid.UUID,
    data: TransferDone,
    if_match: str | None,
    today: date,
    scope: Scope,
) -> LaTransfer:
    """The old LA transfers the plan: the child's case moves to the new LA, and the plan's
    next review falls due as reg 15(5) says."""
    transfer = get_transfer(session, transfer_id=transfer_id, scope=scope)
    scope.require_write_in(transfer.old_la_code)
    check_if_match(if_match, current_version=transfer.version)
    if transfer.transferred_on is not None:
        raise Conflict(f"The plan was transferred on {transfer.transferred_on}.")
    if not transfer.old_la_aware_on <= data.transferred_on <= today:
        raise InvalidInput.in_body(
            "transferred_on",
            f"transferred_on must be between the day the LA became aware "
            f"({transfer.old_la_aware_on}) and today.",
        )
    transfer.transferred_on = data.transferred_on
    transfer.updated_at = utcnow()
    dates = la_transfer_dates(
        moved_on=transfer.moved_on,
        aware_on=transfer.old_la_aware_on,
        plan_last_reviewed_on=transfer.plan_last_reviewed_on,
        transferred_on=data.transferred_on,
        is_holiday=england_holidays,
    )
    plan = session.get_one(Plan, transfer.plan_id)
    plan.next_review_due = dates.review_due
    plan.updated_at = utcnow()
    child = session.get_one(Child, transfer.child_id)
    child.la_code = transfer.new_la_code
    session.flush()
    return transfer


def record_family_notified(
    session: Session,
    *,
    transfer_id: uuid.UUID,
    data: FamilyNotified,
    if_match: str | None,
    today: date,
    scope: Scope,
) -> LaTransfer:
    """The new LA told the family (reg 15(4))."""
    transfer = get_transfer(session, transfer_id=transfer_id, scope=scope)
    scope.require_write_in(transfer.new_la_code)
    check_if_match(if_match, current_version=transfer.version)
    if transfer.transferred_on is None:
        raise Conflict("The plan has not been transferred yet: the old LA records that first.")
    if not transfer.transferred_on <= data.family_notified_on <= today:
        raise InvalidInput.in_body(
            "family_notified_on",
            f"family_notified_on must be between the transfer ({transfer.transferred_on}) "
            "and today.",
        )
    transfer.family_notified_on = data.family_notified_on
    transfer.updated_at = utcnow()
    session.flush()
    return transfer


# --- reg 16 ---------------------------------------------------------------------------------


def get_change(session: Session, *, change_id: uuid.UUID, scope: Scope) -> CommissioningChange:
    change = session.get(CommissioningChange, change_id)
    if change is None or not scope.can_see_child(session, change.child_id):
        raise NotFound(f"No commissioning body change with id {change_id}.")
    return change


def record_change(
    session: Session,
    *,
    plan_id: uuid.UUID,
    data: CommissioningChangeCreate,
    today: date,
    scope: Scope,
) -> CommissioningChange:
    plan = _final_plan_for_write(session, plan_id=plan_id, scope=scope)
    if data.new_body_aware_on > today:
        raise InvalidInput.in_body(
            "new_body_aware_on", "new_body_aware_on cannot be in the future."
        )
    if data.new_body.casefold() == data.old_body.casefold():
        raise InvalidInput.in_body("new_body", "The new commissioning body is the old one.")
    change = CommissioningChange(
        plan_id=plan.id,
        child_id=plan.child_id,
        old_body=data.old_body,
        new_body=data.new_body,
        new_body_aware_on=data.new_body_aware_on,
        recorded_by=scope.principal.subject,
    )
    session.add(change)
    session.flush()
    return change


def record_answer(
    session: Session,
    *,
    change_id: uuid.UUID,
    data: CommissioningAnswer,
    if_match: str | None,
    today: date,
    scope: Scope,
) -> CommissioningChange:
    change = get_change(session, change_id=change_id, scope=scope)
    scope.require_write(session.get_one(Child, change.child_id))
    check_if_match(if_match, current_version=change.version)
    if change.answered_on is not None:
        raise Conflict(f"The new body answered on {change.answered_on}.")
    if not change.new_body_aware_on <= data.answered_on <= today:
        raise InvalidInput.in_body(
            "answered_on",
            f"answered_on must be between the day the body became aware "
            f"({change.new_body_aware_on}) and today.",
        )
    change.answered_on = data.answered_on
    change.updated_at = utcnow()
    session.flush()
    return change
