"""Choosing a round's cohort: by rule, or child by child."""

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.children.models import Child
from cases_api.core.errors import Conflict, InvalidInput
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.plans.models import Plan
from cases_api.provisions.models import Establishment, Phase
from cases_api.rounds.models import AllocationRound, RoundChild, Transfer
from cases_api.rounds.schemas import CohortRule
from cases_api.statutory import (
    AdmittedAges,
    PhaseTransfer,
    admitted_ages,
    school_year_age,
    school_year_name,
)
from cases_api.transfers.cohort import cohort_birth_dates
from send_contracts import NeedCode, ProvisionKind

_SPECIALIST_NEEDS = {NeedCode.PMLD, NeedCode.SLD, NeedCode.MSI}
# The matching contract's bounds on a child's age.
CONTRACT_AGES = range(0, 26)


_TRANSFER_AT_AGE = {
    4: Transfer.INTO_RECEPTION,
    7: Transfer.INTO_JUNIOR,
    9: Transfer.INTO_MIDDLE,
    11: Transfer.INTO_SECONDARY,
    13: Transfer.INTO_UPPER,
    16: Transfer.INTO_POST_16,
}
# Without a current setting to outgrow, only the national transfer points count.
_TRANSFERS_FOR_EVERY_CHILD = (
    Transfer.INTO_RECEPTION,
    Transfer.INTO_SECONDARY,
    Transfer.INTO_POST_16,
)


@dataclass(frozen=True, kw_only=True)
class CurrentSetting:
    """Where the child is now: their placement's provision, else the school the record names."""

    name: str
    admits: AdmittedAges
    kind: ProvisionKind | None  # known for a placement's provision
    early_years: bool  # a nursery or early years setting: reception is a new phase from it


def transfer_at_entry(*, age: int, current: CurrentSetting | None) -> Transfer | None:
    """The phase transfer a child of this school-year age makes at entry: their current setting
    takes no one of that age (or they have none) and the age starts a phase (reg 18)."""
    transfer = _TRANSFER_AT_AGE.get(age)
    if transfer is None:
        return None
    if current is None:
        return transfer if transfer in _TRANSFERS_FOR_EVERY_CHILD else None
    if transfer is Transfer.INTO_RECEPTION and current.early_years:
        return transfer  # a nursery's statutory ages (2-5) span reception; its phase does not
    return None if current.admits.admits(age) else transfer


def default_suitable_kinds(
    *, primary_need: NeedCode | None, age: int, current_kind: ProvisionKind | None
) -> list[ProvisionKind]:
    """A starting point the officer confirms from the assessment: the kind of place the child
    has now and the next step up, for the phase the child enters at this school-year age.
    Children starting reception (4) go to primary-phase settings, not early years; at 16 to
    sixth forms (mainstream), further education (post-16) or special post-16 provision."""
    specialist = primary_need in _SPECIALIST_NEEDS or current_kind in (
        ProvisionKind.SPECIAL_SCHOOL,
        ProvisionKind.INDEPENDENT,
    )
    if age < 4:
        return [ProvisionKind.EARLY_YEARS, ProvisionKind.SPECIAL_SCHOOL]
    if age >= 16:
        if specialist:
            return [ProvisionKind.SPECIAL_SCHOOL, ProvisionKind.POST16, ProvisionKind.INDEPENDENT]
        return [ProvisionKind.POST16, ProvisionKind.MAINSTREAM]
    if specialist:
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


def _current_setting(session: Session, child: Child, *, on: date) -> CurrentSetting | None:
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
        provision = placement.provision
        return CurrentSetting(
            name=provision.name,
            admits=provision.admits,
            kind=provision.kind,
            early_years=provision.kind is ProvisionKind.EARLY_YEARS
            or provision.establishment.phase is Phase.NURSERY,
        )
    school = (
        session.get(Establishment, child.current_school_urn)
        if child.current_school_urn is not None
        else None
    )
    if school is None:
        return None
    admits = admitted_ages(
        statutory_low_age=school.statutory_low_age, statutory_high_age=school.statutory_high_age
    )
    return CurrentSetting(
        name=school.name, admits=admits, kind=None, early_years=school.phase is Phase.NURSERY
    )


def _round_child(
    session: Session,
    round_: AllocationRound,
    child: Child,
    *,
    age: int,
    added_by: str,
    current: CurrentSetting | None,
    suitable_kinds: list[ProvisionKind] | None = None,
    requested: list[uuid.UUID] | None = None,
) -> RoundChild:
    kinds = suitable_kinds or default_suitable_kinds(
        primary_need=child.needs[0] if child.needs else None,
        age=age,
        current_kind=current.kind if current is not None else None,
    )
    transfer = transfer_at_entry(age=age, current=current)
    return RoundChild(
        round_id=round_.id,
        child_id=child.id,
        suitable_kinds=[kind.value for kind in kinds],
        requested_provision_ids=[str(provision_id) for provision_id in requested or []],
        age_at_entry=age,
        transfer=transfer.value if transfer is not None else None,
        added_by=added_by,
    )


def age_at_entry(child: Child, round_: AllocationRound) -> int:
    """The child's school-year age at the round's entry date (matching contract 1.1)."""
    return school_year_age(date_of_birth=child.date_of_birth, on=round_.entry_date)


def matchable_problem(child: Child, *, age: int) -> str | None:
    """Why the matching service could not consider this child, or None."""
    if child.home_latitude is None or child.home_longitude is None:
        return "has no home location"
    if not child.needs:
        return "has no recorded need"
    if age not in CONTRACT_AGES:
        return (
            f"would be of school-year age {age} at entry; placements are matched for ages "
            f"{CONTRACT_AGES.start} to {CONTRACT_AGES.stop - 1}"
        )
    return None


@dataclass(frozen=True)
class RuleApplied:
    added: int
    already_in_round: int
    not_matchable: list[tuple[Child, str]]  # with why the matching service could not take them
    staying: list[tuple[Child, str]]  # in a transfer year, but their setting keeps them


def apply_rule(session: Session, *, round_: AllocationRound, rule: CohortRule) -> RuleApplied:
    """Add every child the rule selects. For phase transfers, a child whose current setting
    takes them on into the new phase (an all-through special school, a sixth form) stays."""
    already = set(
        session.scalars(sa.select(RoundChild.child_id).where(RoundChild.round_id == round_.id))
    )
    chosen = session.scalars(
        sa.select(Child).where(Child.id.in_(_rule_query(round_, rule))).order_by(Child.id)
    ).all()
    added = 0
    skipped: list[tuple[Child, str]] = []
    staying: list[tuple[Child, str]] = []
    for child in chosen:
        if child.id in already:
            continue
        age = age_at_entry(child, round_)
        if (problem := matchable_problem(child, age=age)) is not None:
            skipped.append((child, problem))
            continue
        current = _current_setting(session, child, on=round_.entry_date)
        if (
            rule is CohortRule.PHASE_TRANSFER
            and transfer_at_entry(age=age, current=current) is None
        ):
            setting = current.name if current is not None else "their setting"
            staying.append((child, f"stays at {setting}, which takes {school_year_name(age)}"))
            continue
        session.add(
            _round_child(session, round_, child, age=age, added_by=rule.value, current=current)
        )
        added += 1
    session.flush()
    return RuleApplied(
        added=added,
        already_in_round=len([child for child in chosen if child.id in already]),
        not_matchable=skipped,
        staying=staying,
    )


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
    age = age_at_entry(child, round_)
    problem = matchable_problem(child, age=age)
    if problem is not None:
        raise InvalidInput(f"The child {problem}; record it before adding the child to a round.")
    if session.get(RoundChild, (round_.id, child_id)) is not None:
        raise Conflict("The child is already in this round.")
    member = _round_child(
        session,
        round_,
        child,
        age=age,
        added_by="hand",
        current=_current_setting(session, child, on=round_.entry_date),
        suitable_kinds=suitable_kinds,
        requested=requested,
    )
    session.add(member)
    session.flush()
    return member
