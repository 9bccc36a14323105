"""Reading a round in the LA's terms: a proposal by name, the cohort with who each child is and
where they are now, and what changed between two proposals. Whatever the round's size, the
lookups take a few queries, never one per child."""

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.children.models import Child, ChildNeed
from cases_api.core.time import today
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.plans.models import Plan
from cases_api.provisions.models import Provision
from cases_api.rounds.models import DecisionKind, RoundChild, RoundDecision, RoundProposal
from cases_api.rounds.presenting import (
    ChildName,
    Exchange,
    Promise,
    ProvisionFacts,
    changes_between,
    child_ids_named,
    ids_in,
    pence,
    present_proposal_view,
    provision_ids_named,
)
from cases_api.rounds.proposing import get_proposal, proposal_answer
from cases_api.rounds.schemas import (
    CurrentSetting,
    ProposalDiff,
    ProposalView,
    RoundChildRead,
    present_proposal,
)
from cases_api.statutory import school_year_name
from send_contracts import NeedCode
from send_contracts.matching import ProposalRequest

# Bound parameters per IN list: well under SQLite's 32766 and PostgreSQL's 65535.
_CHUNK = 5000
_PROMISED = (DecisionKind.ACCEPTED, DecisionKind.OVERRIDDEN)


def _chunks(ids: Sequence[uuid.UUID]) -> Iterator[Sequence[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def provision_facts(session: Session, ids: Iterable[str]) -> dict[str, ProvisionFacts]:
    """Name, URN and kind of each provision the directory holds among `ids`."""
    facts = {}
    for chunk in _chunks(sorted(set(ids_in(ids)))):
        rows = session.execute(
            sa.select(
                Provision.id, Provision.name, Provision.establishment_urn, Provision.kind
            ).where(Provision.id.in_(chunk))
        )
        for provision_id, name, urn, kind in rows:
            facts[str(provision_id)] = ProvisionFacts(name=name, urn=urn, kind=kind)
    return facts


def child_names(session: Session, ids: Iterable[str], *, scope: Scope) -> dict[str, ChildName]:
    """The names of the children among `ids` the caller may see."""
    names = {}
    for chunk in _chunks(sorted(set(ids_in(ids)))):
        rows = session.execute(
            sa.select(Child.id, Child.given_name, Child.family_name).where(
                Child.id.in_(chunk), scope.children_rows_filter()
            )
        )
        for child_id, given, family in rows:
            names[str(child_id)] = ChildName(given_name=given, family_name=family)
    return names


def _exchange(proposal: RoundProposal) -> Exchange:
    return Exchange(
        request=ProposalRequest.model_validate(proposal.request),
        response=proposal_answer(proposal),
    )


def present_stored(session: Session, *, proposal: RoundProposal, scope: Scope) -> ProposalView:
    """A stored proposal in the LA's terms, children named where the caller may see them."""
    exchange = _exchange(proposal)
    return present_proposal_view(
        header=present_proposal(proposal),
        request=exchange.request,
        response=exchange.response,
        provisions=provision_facts(
            session, provision_ids_named(exchange.request, exchange.response)
        ),
        names=child_names(session, child_ids_named(exchange.response), scope=scope),
    )


def read_proposal(
    session: Session, *, round_id: uuid.UUID, number: int, scope: Scope
) -> ProposalView:
    """One of the round's proposals in the LA's terms."""
    proposal = get_proposal(session, round_id=round_id, number=number, scope=scope)
    return present_stored(session, proposal=proposal, scope=scope)


def _promises_before(session: Session, *, round_id: uuid.UUID, number: int) -> dict[str, Promise]:
    """Per child, the place promised by the last decision taken before proposal `number` was
    asked for (decisions are taken on the latest proposal, so on a lower number)."""
    rows = session.execute(
        sa.select(RoundDecision.child_id, RoundDecision.kind, RoundDecision.provision_id)
        .join(RoundProposal, RoundProposal.id == RoundDecision.proposal_id)
        .where(RoundDecision.round_id == round_id, RoundProposal.number < number)
        .order_by(RoundDecision.created_at, RoundDecision.id)
    )
    latest = {str(child_id): (kind, provision_id) for child_id, kind, provision_id in rows}
    return {
        child_id: Promise(provision_id=str(provision_id) if provision_id else None)
        for child_id, (kind, provision_id) in latest.items()
        if kind in _PROMISED
    }


def diff(
    session: Session, *, round_id: uuid.UUID, before: int, after: int, scope: Scope
) -> ProposalDiff:
    """What changed, child by child and why, between two of the round's proposals."""
    first = _exchange(get_proposal(session, round_id=round_id, number=before, scope=scope))
    second = _exchange(get_proposal(session, round_id=round_id, number=after, scope=scope))
    promises = _promises_before(session, round_id=round_id, number=after)
    provision_ids = {
        *provision_ids_named(first.request, first.response),
        *provision_ids_named(second.request, second.response),
        *(p.provision_id for p in promises.values() if p.provision_id),
    }
    changes = changes_between(
        first=first,
        second=second,
        promises=promises,
        provisions=provision_facts(session, provision_ids),
        names=child_names(
            session,
            {*child_ids_named(first.response, second.response), *promises},
            scope=scope,
        ),
    )
    return ProposalDiff(
        before=before,
        after=after,
        changes=changes,
        placed_delta=second.response.totals.placed - first.response.totals.placed,
        annual_cost_delta_pence=pence(second.response.totals.annual_cost)
        - pence(first.response.totals.annual_cost),
    )


def _first_by_child(rows: Iterable[Any]) -> dict[uuid.UUID, Any]:
    first: dict[uuid.UUID, Any] = {}
    for row in rows:
        first.setdefault(row[0], row)
    return first


def _current_settings(
    session: Session, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, CurrentSetting]:
    placements = _first_by_child(
        session.execute(
            sa.select(
                Placement.child_id,
                Placement.provision_id,
                Provision.name,
                Provision.establishment_urn,
            )
            .join(Provision, Provision.id == Placement.provision_id)
            .where(
                Placement.child_id.in_(ids),
                Placement.status == PlacementStatus.ACTIVE,
                Placement.starts_on <= today(),
            )
            .order_by(Placement.child_id, Placement.starts_on.desc(), Placement.id)
        )
    )
    plans = _first_by_child(
        session.execute(
            sa.select(
                Plan.child_id,
                Plan.named_provision_id,
                Provision.name,
                Provision.establishment_urn,
                Plan.named_setting_code,
            )
            .outerjoin(Provision, Provision.id == Plan.named_provision_id)
            .where(
                Plan.child_id.in_(ids),
                Plan.ceased_on.is_(None),
                sa.or_(Plan.named_provision_id.is_not(None), Plan.named_setting_code.is_not(None)),
            )
            .order_by(Plan.child_id, Plan.created_at.desc(), Plan.id)
        )
    )
    settings = {
        child_id: CurrentSetting(
            source="plan", provision_id=provision_id, name=name, urn=urn, setting_code=code
        )
        for child_id, provision_id, name, urn, code in plans.values()
    }
    settings.update(
        {
            child_id: CurrentSetting(
                source="placement", provision_id=provision_id, name=name, urn=urn, setting_code=None
            )
            for child_id, provision_id, name, urn in placements.values()
        }
    )
    return settings


def present_members(
    session: Session, members: Sequence[RoundChild], *, scope: Scope
) -> list[RoundChildRead]:
    """Cohort members with who each child is and where they are now (a page: four queries)."""
    names = child_names(session, (str(m.child_id) for m in members), scope=scope)
    visible = [uuid.UUID(child_id) for child_id in sorted(names)]
    needs: dict[uuid.UUID, NeedCode] = {}
    settings: dict[uuid.UUID, CurrentSetting] = {}
    if visible:
        first_needs = _first_by_child(
            session.execute(
                sa.select(ChildNeed.child_id, ChildNeed.need)
                .where(ChildNeed.child_id.in_(visible))
                .order_by(ChildNeed.child_id, ChildNeed.rank)
            )
        )
        needs = {child_id: row.need for child_id, row in first_needs.items()}
        settings = _current_settings(session, visible)
    views = []
    for member in members:
        name = names.get(str(member.child_id))
        views.append(
            RoundChildRead(
                child_id=member.child_id,
                given_name=name.given_name if name else None,
                family_name=name.family_name if name else None,
                year_group=school_year_name(member.age_at_entry),
                transfer=member.transfer,
                primary_need=needs.get(member.child_id),
                current_setting=settings.get(member.child_id),
                suitable_kinds=member.suitable_kinds,
                requested_provision_ids=member.requested_provision_ids,
                age_at_entry=member.age_at_entry,
                added_by=member.added_by,
            )
        )
    return views
