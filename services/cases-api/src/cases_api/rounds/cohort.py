"""Choosing a round's cohort: by rule, or child by child."""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.children.models import Child
from cases_api.core.errors import Conflict, InvalidInput
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.plans.models import Plan
from cases_api.rounds.models import AllocationRound, RoundChild
from cases_api.rounds.proposals import age_on
from cases_api.rounds.schemas import CohortRule
from cases_api.statutory import PhaseTransfer
from cases_api.transfers.cohort import cohort_birth_dates
from send_contracts import NeedCode, ProvisionKind

_SPECIALIST_NEEDS = {NeedCode.PMLD, NeedCode.SLD, NeedCode.MSI}


def default_suitable_kinds(
    *, primary_need: NeedCode | None, age: int, current_kind: ProvisionKind | None
) -> list[ProvisionKind]:
    """A starting point the officer confirms from the assessment: the kind of place the child
    has now and the next step up, adjusted to the phase the child enters."""
    if age < 5:
        return [ProvisionKind.EARLY_YEARS, ProvisionKind.SPECIAL_SCHOOL]
    if age >= 16:
        return [ProvisionKind.POST16, ProvisionKind.SPECIAL_SCHOOL]
    if primary_need in _SPECIALIST_NEEDS or current_kind in (
        ProvisionKind.SPECIAL_SCHOOL,
        ProvisionKind.INDEPENDENT,
    ):
        return [ProvisionKind.SPECIAL_SCHOOL, ProvisionKind.INDEPENDENT]
    if current_kind is ProvisionKind.RESOURCE_BASE:
        return [ProvisionKind.RESOURCE_BASE, ProvisionKind.SPECIAL_SCHOOL]
    if primary_need is NeedCode.SEMH:
        return [
            ProvisionKind.RESOURCE_BASE,
            ProvisionKind.SPECIAL_SCHOOL,
            ProvisionKind.ALTERNATIVE,
        ]
    return [ProvisionKind.MAINSTREAM, ProvisionKind.RESOURCE_BASE]


def _live_plans() -> sa.Select[uuid.UUID]:
    return sa.select(Plan.child_id).where(Plan.ceased_on.is_(None))


def _rule_query(round_: AllocationRound, rule: CohortRule) -> sa.Select[uuid.UUID]:
    in_la = sa.select(Child.id).where(Child.la_code == round_.la_code)
    if rule is CohortRule.PHASE_TRANSFER:
        year = round_.entry_date.year
        born = [
            Child.date_of_birth.between(*cohort_birth_dates(transfer, round_year=year))
            for transfer in PhaseTransfer
            if transfer is not PhaseTransfer.INFANT_TO_JUNIOR
        ]
        return in_la.where(sa.or_(*born), Child.id.in_(_live_plans()))
    if rule is CohortRule.NO_NAMED_SETTING:
        unnamed = _live_plans().where(
            Plan.named_provision_id.is_(None), Plan.named_setting_code.is_(None)
        )
        return in_la.where(Child.id.in_(unnamed))
    ending = sa.select(Placement.child_id).where(
        Placement.status == PlacementStatus.ACTIVE,
        Placement.ends_on.is_not(None),
        Placement.ends_on <= round_.entry_date,
    )
    return in_la.where(Child.id.in_(ending))


def _current_kind(session: Session, child_id: uuid.UUID, *, on: date) -> ProvisionKind | None:
    placement = session.scalar(
        sa.select(Placement)
        .where(
            Placement.child_id == child_id,
            Placement.status == PlacementStatus.ACTIVE,
            Placement.starts_on <= on,
        )
        .order_by(Placement.starts_on.desc(), Placement.id)
        .limit(1)
    )
    return placement.provision.kind if placement is not None else None


def _round_child(
    session: Session,
    round_: AllocationRound,
    child: Child,
    *,
    added_by: str,
    suitable_kinds: list[ProvisionKind] | None = None,
    requested: list[uuid.UUID] | None = None,
) -> RoundChild:
    age = age_on(child.date_of_birth, round_.entry_date)
    kinds = suitable_kinds or default_suitable_kinds(
        primary_need=child.needs[0] if child.needs else None,
        age=age,
        current_kind=_current_kind(session, child.id, on=round_.entry_date),
    )
    return RoundChild(
        round_id=round_.id,
        child_id=child.id,
        suitable_kinds=[kind.value for kind in kinds],
        requested_provision_ids=[str(provision_id) for provision_id in requested or []],
        age_at_entry=age,
        added_by=added_by,
    )


def matchable_problem(child: Child) -> str | None:
    """Why the matching service could not consider this child, or None."""
    if child.home_latitude is None or child.home_longitude is None:
        return "has no home location"
    if not child.needs:
        return "has no recorded need"
    return None


def apply_rule(
    session: Session, *, round_: AllocationRound, rule: CohortRule
) -> tuple[int, int, list[tuple[Child, str]]]:
    """Add every child the rule selects; (added, already in the round, those not matchable
    with why)."""
    already = set(
        session.scalars(sa.select(RoundChild.child_id).where(RoundChild.round_id == round_.id))
    )
    chosen = session.scalars(
        sa.select(Child).where(Child.id.in_(_rule_query(round_, rule))).order_by(Child.id)
    ).all()
    added = 0
    skipped: list[tuple[Child, str]] = []
    for child in chosen:
        if child.id in already:
            continue
        if (problem := matchable_problem(child)) is not None:
            skipped.append((child, problem))
            continue
        session.add(_round_child(session, round_, child, added_by=rule.value))
        added += 1
    session.flush()
    return added, len([child for child in chosen if child.id in already]), skipped


def add_child(
    session: Session,
    *,
    round_: AllocationRound,
    child_id: uuid.UUID,
    suitable_kinds: list[ProvisionKind],
    requested: list[uuid.UUID],
) -> RoundChild:
    """Add one child by hand (409 if already in the round, 422 if it cannot be matched)."""
    child = session.get(Child, child_id)
    if child is None or child.la_code != round_.la_code:
        raise InvalidInput(f"child_id {child_id} is not a child of LA {round_.la_code}.")
    problem = matchable_problem(child)
    if problem is not None:
        raise InvalidInput(f"The child {problem}; record it before adding the child to a round.")
    if session.get(RoundChild, (round_.id, child_id)) is not None:
        raise Conflict("The child is already in this round.")
    member = _round_child(
        session,
        round_,
        child,
        added_by="hand",
        suitable_kinds=suitable_kinds,
        requested=requested,
    )
    session.add(member)
    session.flush()
    return member
