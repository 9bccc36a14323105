"""Pure functions over proposals: building the matching request and summing one up. No
database, no HTTP (presenting them is `presenting`)."""

from collections import Counter
from dataclasses import dataclass

from cases_api.core.geo import haversine_km
from cases_api.statutory import school_year_name, school_years_name
from send_contracts import NeedCode, ProvisionKind
from send_contracts.matching import (
    MAX_AGE,
    MAX_CAPACITY,
    MAX_POUNDS_PER_YEAR,
    ChildIn,
    Location,
    ProposalOptions,
    ProposalRequest,
    ProposalResponse,
    ProvisionIn,
    UnplacedOut,
    UnplacedReason,
)


@dataclass(frozen=True, kw_only=True)
class CohortChild:
    """A child as the matching contract sees them; ``age`` is the school-year age at entry."""

    id: str
    lat: float
    lon: float
    age: int
    primary_need: NeedCode
    suitable_kinds: list[ProvisionKind]
    preferences: list[str]


@dataclass(frozen=True, kw_only=True)
class AvailableProvision:
    """A provision as the matching contract sees it: ``min_age``..``max_age`` are the school-year
    ages it admits (its statutory high age less one), not GIAS's statutory ages."""

    id: str
    name: str
    kind: ProvisionKind
    lat: float
    lon: float
    free_places: int
    designated_needs: list[NeedCode]
    min_age: int
    max_age: int
    annual_cost_pence: int


def out_of_contract(child: CohortChild) -> str | None:
    """Why the matching contract cannot take this child, or None. Such a child is left out of
    the request and reported unplaced, so one impossible record never fails the whole proposal."""
    if not 0 <= child.age <= MAX_AGE:
        return (
            f"aged {child.age} on the round's entry date; matching takes school-year ages "
            f"0 to {MAX_AGE}"
        )
    return None


def with_left_out(answer: ProposalResponse, left_out: dict[str, str]) -> ProposalResponse:
    """The answer with the children left out of the request (child id: why) among the unplaced:
    no provision can take them."""
    if not left_out:
        return answer
    unplaced = [
        UnplacedOut(
            child_id=child_id,
            reason=UnplacedReason.NO_SUITABLE_PROVISION,
            detail=f"Left out of the matching request: {why}.",
        )
        for child_id, why in sorted(left_out.items())
    ]
    totals = answer.totals.model_copy(
        update={
            "children": answer.totals.children + len(unplaced),
            "unplaced": answer.totals.unplaced + len(unplaced),
        }
    )
    return answer.model_copy(update={"unplaced": [*answer.unplaced, *unplaced], "totals": totals})


def _in_contract(provision: AvailableProvision) -> bool:
    # The directory refuses such costs now; a row stored before that is left out, not a 500.
    return provision.annual_cost_pence <= MAX_POUNDS_PER_YEAR * 100


def build_request(
    *,
    children: list[CohortChild],
    provisions: list[AvailableProvision],
    max_travel_km: float | None,
    transport_cost_per_km_pence: int,
    honour_preferences: bool,
    budget_pence: int | None,
    time_limit_s: float,
) -> ProposalRequest:
    """The contract request, in a stable order so the same round gives the same request."""
    return ProposalRequest(
        children=[
            ChildIn(
                id=child.id,
                location=Location(lat=child.lat, lon=child.lon),
                age=child.age,
                primary_need=child.primary_need,
                suitable_kinds=child.suitable_kinds,
                preferences=child.preferences,
            )
            for child in sorted(children, key=lambda c: c.id)
        ],
        provisions=[
            ProvisionIn(
                id=provision.id,
                name=provision.name,
                kind=provision.kind,
                location=Location(lat=provision.lat, lon=provision.lon),
                capacity=min(max(0, provision.free_places), MAX_CAPACITY),
                designated_needs=provision.designated_needs,
                min_age=provision.min_age,
                max_age=provision.max_age,
                annual_cost=provision.annual_cost_pence / 100,
            )
            for provision in sorted(provisions, key=lambda p: p.id)
            if _in_contract(provision)
        ],
        options=ProposalOptions(
            max_travel_km=max_travel_km,
            transport_cost_per_km=transport_cost_per_km_pence / 100,
            preferences="priority" if honour_preferences else "ignore",
            budget=budget_pence / 100 if budget_pence is not None else None,
            time_limit_s=time_limit_s,
        ),
    )


@dataclass(frozen=True, kw_only=True)
class ProposalSummary:
    children: int
    placed: int
    unplaced_by_reason: dict[str, int]
    preferences_requested: int
    preferences_honoured: int
    preferences_refused_by_ground: dict[str, int]
    annual_cost_pence: int
    transport_cost_pence: int
    budget_pence: int | None
    over_budget_pence: int


def summarise(proposal: ProposalResponse, *, budget_pence: int | None) -> ProposalSummary:
    """The figures an officer compares proposals by."""
    annual = round(proposal.totals.annual_cost * 100)
    return ProposalSummary(
        children=proposal.totals.children,
        placed=proposal.totals.placed,
        unplaced_by_reason=dict(sorted(Counter(u.reason.value for u in proposal.unplaced).items())),
        preferences_requested=proposal.totals.preferences_requested,
        preferences_honoured=proposal.totals.preferences_honoured,
        preferences_refused_by_ground=dict(
            sorted(Counter(p.reason.value for p in proposal.preferences_not_honoured).items())
        ),
        annual_cost_pence=annual,
        transport_cost_pence=round(proposal.totals.transport_cost * 100),
        budget_pence=budget_pence,
        over_budget_pence=max(0, annual - budget_pence) if budget_pence is not None else 0,
    )


@dataclass(frozen=True)
class OverrideCheck:
    refusal: str | None  # the rule the override breaks, if any
    warnings: list[str]  # what the officer should look at again


def check_override(
    child: CohortChild, provision: AvailableProvision, *, max_travel_km: float | None
) -> OverrideCheck:
    """An officer's chosen setting against the matching contract's rules: a setting that does
    not admit the child's school-year age (s39(4)(a)), is not of a suitable kind, or is beyond
    the round's travel limit is refused; one not designated for the child's primary need is
    allowed with a warning, since the officer may know it can meet the need."""
    warnings = []
    if provision.designated_needs and child.primary_need not in provision.designated_needs:
        warnings.append(
            f"{provision.name} is designated for {', '.join(provision.designated_needs)}, not "
            f"for the child's primary need ({child.primary_need}): check it can meet section B."
        )
    return OverrideCheck(
        refusal=_refusal(child, provision, max_travel_km=max_travel_km), warnings=warnings
    )


def _refusal(
    child: CohortChild, provision: AvailableProvision, *, max_travel_km: float | None
) -> str | None:
    if provision.kind not in child.suitable_kinds:
        return f"a {provision.kind} is not among the child's suitable kinds"
    if not provision.min_age <= child.age <= provision.max_age:
        return (
            f"the child will be in {school_year_name(child.age)} (school-year age {child.age}); "
            f"the provision takes {school_years_name(provision.min_age, provision.max_age)}"
        )
    distance = haversine_km(child.lat, child.lon, provision.lat, provision.lon)
    if max_travel_km is not None and distance > max_travel_km:
        return f"{distance:.1f} km is beyond the round's travel limit of {max_travel_km:g} km"
    return None
