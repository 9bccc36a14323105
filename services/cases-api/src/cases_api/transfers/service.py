"""A child's phase transfers, each with the day its plan first named the new setting."""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.children.models import Child
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.plans.models import IN_FORCE_KINDS, Plan
from cases_api.provisions.models import Establishment
from cases_api.statutory import (
    next_transfer,
    transfers_for_child,
    year_group,
    year_group_label,
)
from cases_api.statutory.three_tier import tier_transfer_for
from cases_api.transfers.schemas import (
    ChildTransfersRead,
    TierTransferRead,
    present_tier_transfer,
    present_transfer,
)


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
        three_tier_transfer=_three_tier(session, child, plan, as_of=as_of),
    )


def current_setting_ages(session: Session, child: Child, *, on: date) -> tuple[int, int] | None:
    """The statutory low and high ages of where the child is now: the active placement's
    provision, else the school the child's record names."""
    placement = session.scalar(
        sa.select(Placement)
        .where(
            Placement.child_id == child.id,
            Placement.status == PlacementStatus.ACTIVE,
            Placement.starts_on <= on,
        )
        .order_by(Placement.starts_on.desc(), Placement.id)
        .limit(1)
    )
    if placement is not None:
        return placement.provision.min_age, placement.provision.max_age
    if child.current_school_urn is None:
        return None
    school = session.get(Establishment, child.current_school_urn)
    return None if school is None else (school.statutory_low_age, school.statutory_high_age)


def _three_tier(
    session: Session, child: Child, plan: Plan | None, *, as_of: date
) -> TierTransferRead | None:
    ages = current_setting_ages(session, child, on=as_of)
    if ages is None:
        return None
    due = tier_transfer_for(
        date_of_birth=child.date_of_birth, statutory_low_age=ages[0], statutory_high_age=ages[1]
    )
    if due is None:
        return None
    return present_tier_transfer(
        due,
        setting_ages=ages,
        named_on=_first_named_for(plan, due.transfer_on) if plan else None,
        applies=plan is not None and plan.made_on is not None and plan.made_on < due.transfer_on,
        as_of=as_of,
    )


def _first_named_for(plan: Plan, transfer_on: date) -> date | None:
    """The issue date of the first final or re-issued version naming a setting from then on."""
    for version in plan.versions:
        named = version.sections.get("i") if version.kind in IN_FORCE_KINDS else None
        starts_on = named.get("starts_on") if named else None
        if starts_on is not None and date.fromisoformat(starts_on) >= transfer_on:
            return version.issued_on
    return None
