"""A child's phase transfers, each with the day its plan first named the new setting."""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.plans.models import IN_FORCE_KINDS, Plan
from cases_api.statutory import (
    next_transfer,
    transfers_for_child,
    year_group,
    year_group_label,
)
from cases_api.transfers.schemas import ChildTransfersRead, present_transfer


def child_transfers(
    session: Session,
    *,
    child_id: uuid.UUID,
    as_of: date,
    include_infant_to_junior: bool,
    scope: Scope,
) -> ChildTransfersRead:
    """Who transfers when: every transfer of the child, with its deadline and status."""
    child = scope.require_child(session, child_id)
    plan = session.scalars(
        sa.select(Plan)
        .where(Plan.child_id == child_id, Plan.ceased_on.is_(None))
        .order_by(Plan.created_at.desc())
    ).first()
    dues = transfers_for_child(
        date_of_birth=child.date_of_birth, include_infant_to_junior=include_infant_to_junior
    )
    coming = next_transfer(
        date_of_birth=child.date_of_birth,
        today=as_of,
        include_infant_to_junior=include_infant_to_junior,
    )
    group = year_group(date_of_birth=child.date_of_birth, on=as_of)
    return ChildTransfersRead(
        child_id=child.id,
        date_of_birth=child.date_of_birth,
        as_of=as_of,
        year_group=group,
        year_group_label=year_group_label(group),
        plan_id=plan.id if plan else None,
        next_transfer=coming.transfer if coming else None,
        transfers=[
            present_transfer(
                due,
                named_on=_first_named_for(plan, due.transfer_on) if plan else None,
                milestone_applies=plan is not None
                and plan.made_on is not None
                and plan.made_on < due.transfer_on,
                as_of=as_of,
            )
            for due in dues
        ],
    )


def _first_named_for(plan: Plan, transfer_on: date) -> date | None:
    """The issue date of the first final or re-issued version naming a setting from then on."""
    for version in plan.versions:
        named = version.sections.get("i") if version.kind in IN_FORCE_KINDS else None
        starts_on = named.get("starts_on") if named else None
        if starts_on is not None and date.fromisoformat(starts_on) >= transfer_on:
            return version.issued_on
    return None
