"""Asking the matching service for a proposal and storing it whole, or not at all."""

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access.rounds import open_round_for_write, visible_round
from cases_api.access.scope import Scope
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, NotFound
from cases_api.core.time import utcnow
from cases_api.matching_client import MatchingClient
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.provisions.models import Establishment, EstablishmentStatus, Provision
from cases_api.rounds.models import (
    AllocationRound,
    DecisionKind,
    RoundChild,
    RoundDecision,
    RoundProposal,
)
from cases_api.rounds.proposals import (
    AvailableProvision,
    CohortChild,
    build_request,
    out_of_contract,
    with_left_out,
)
from send_contracts import NeedCode, ProvisionKind
from send_contracts.matching import MAX_CHILDREN, MAX_PROVISIONS, ProposalRequest, ProposalResponse

_PROMISED = (DecisionKind.ACCEPTED, DecisionKind.OVERRIDDEN)


def cohort_children(session: Session, round_: AllocationRound) -> list[CohortChild]:
    """The round's children still to be placed: not those with a place promised already."""
    promised = sa.select(RoundDecision.child_id).where(
        RoundDecision.round_id == round_.id,
        RoundDecision.current.is_(True),
        RoundDecision.kind.in_(_PROMISED),
    )
    rows = session.execute(
        sa.select(RoundChild, Child)
        .join(Child, Child.id == RoundChild.child_id)
        .where(RoundChild.round_id == round_.id, RoundChild.child_id.not_in(promised))
    ).all()
    return [as_cohort_child(member, child) for member, child in rows]


def as_cohort_child(member: RoundChild, child: Child) -> CohortChild:
    """A round's child in the matching contract's terms."""
    return CohortChild(
        id=str(child.id),
        lat=float(child.home_latitude or 0.0),
        lon=float(child.home_longitude or 0.0),
        age=member.age_at_entry,
        primary_need=child.needs[0] if child.needs else NeedCode.OTH,
        suitable_kinds=[ProvisionKind(kind) for kind in member.suitable_kinds],
        preferences=list(member.requested_provision_ids),
    )


def as_available(provision: Provision, *, free_places: int) -> AvailableProvision:
    """A directory provision in the matching contract's terms: the school-year ages it admits."""
    establishment = provision.establishment
    return AvailableProvision(
        id=str(provision.id),
        name=provision.name,
        kind=provision.kind,
        lat=establishment.latitude,
        lon=establishment.longitude,
        free_places=free_places,
        designated_needs=provision.designated_needs,
        min_age=provision.admits.low,
        max_age=provision.admits.high,
        annual_cost_pence=provision.annual_cost_pence,
    )


def available_provisions(session: Session, round_: AllocationRound) -> list[AvailableProvision]:
    """Every open provision with its free places on the round's entry date: places neither taken
    nor promised (held by any round), plus those of placements that end before that date.
    A provision whose ages admit no school year (low age = high age) is left out."""
    ending: dict[uuid.UUID, int] = dict(
        session.execute(
            sa.select(Placement.provision_id, sa.func.count())
            .where(
                Placement.status == PlacementStatus.ACTIVE,
                Placement.ends_on.is_not(None),
                Placement.ends_on < round_.entry_date,
            )
            .group_by(Placement.provision_id)
        ).all()
    )
    provisions = session.scalars(
        sa.select(Provision)
        .join(Establishment, Establishment.urn == Provision.establishment_urn)
        .where(
            Establishment.status != EstablishmentStatus.CLOSED,
            Provision.min_age < Provision.max_age,
        )
    ).all()
    return [
        as_available(provision, free_places=provision.free_places + ending.get(provision.id, 0))
        for provision in provisions
    ]


def build_round_request(
    session: Session, round_: AllocationRound
) -> tuple[ProposalRequest, dict[str, str]]:
    """The contract request for the round as it stands, and the children it leaves out (id:
    why) because the contract cannot take them."""
    children = cohort_children(session, round_)
    if not children:
        raise Conflict("Every child in the round has a place promised, or the cohort is empty.")
    left_out = {child.id: why for child in children if (why := out_of_contract(child))}
    matchable = [child for child in children if child.id not in left_out]
    if not matchable:
        raise Conflict(
            "No child in the round can be matched: " + "; ".join(sorted(set(left_out.values())))
        )
    provisions = available_provisions(session, round_)
    if len(matchable) > MAX_CHILDREN or len(provisions) > MAX_PROVISIONS:
        raise Conflict(
            f"{len(matchable)} children and {len(provisions)} provisions are more than one "
            f"proposal takes ({MAX_CHILDREN} and {MAX_PROVISIONS}); split the round."
        )
    request = build_request(
        children=matchable,
        provisions=provisions,
        max_travel_km=round_.max_travel_km,
        transport_cost_per_km_pence=round_.transport_cost_per_km_pence,
        honour_preferences=round_.honour_preferences,
        budget_pence=round_.budget_pence,
        time_limit_s=round_.time_limit_s,
    )
    return request, left_out


def request_proposal(
    session: Session,
    *,
    round_id: uuid.UUID,
    client: MatchingClient,
    scope: Scope,
    request_id: str | None,
) -> RoundProposal:
    """Ask the matching service and store its answer with the exact request.

    The read transaction ends before the call, so no lock is held while the solver works; the
    answer is stored only if the round did not change meanwhile. If matching fails, nothing is
    written (503/502 from the client). Children the contract cannot take are left out of the
    request and stored among the answer's unplaced, saying why."""
    round_ = open_round_for_write(session, round_id=round_id, scope=scope)
    request, left_out = build_round_request(session, round_)
    seen_version = round_.version
    # Ending a transaction that has written nothing: not a commit, just no lock during the call.
    session.rollback()
    response = client.propose(request, request_id=request_id)
    round_ = open_round_for_write(session, round_id=round_id, scope=scope)
    if round_.version != seen_version:
        raise Conflict("The round changed while the proposal was being made; ask again.")
    last = session.scalar(
        sa.select(sa.func.max(RoundProposal.number)).where(RoundProposal.round_id == round_id)
    )
    proposal = RoundProposal(
        round_id=round_id,
        number=(last or 0) + 1,
        request=request.model_dump(mode="json"),
        response=with_left_out(response, left_out).model_dump(mode="json"),
        requested_by=scope.principal.subject,
    )
    session.add(proposal)
    round_.updated_at = utcnow()
    session.flush()
    return proposal


def get_proposal(
    session: Session, *, round_id: uuid.UUID, number: int, scope: Scope
) -> RoundProposal:
    """One of the round's proposals by its number."""
    visible_round(session, round_id=round_id, scope=scope)
    found = session.scalar(
        sa.select(RoundProposal).where(
            RoundProposal.round_id == round_id, RoundProposal.number == number
        )
    )
    if found is None:
        raise NotFound(f"The round has no proposal number {number}.")
    return found


def latest_proposal(session: Session, round_id: uuid.UUID) -> RoundProposal | None:
    """The round's most recent proposal, if any."""
    return session.scalar(
        sa.select(RoundProposal)
        .where(RoundProposal.round_id == round_id)
        .order_by(RoundProposal.number.desc())
        .limit(1)
    )


def proposal_answer(proposal: RoundProposal) -> ProposalResponse:
    """The stored answer as the contract model."""
    return ProposalResponse.model_validate(proposal.response)
