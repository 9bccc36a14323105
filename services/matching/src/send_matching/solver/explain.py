"""Turn a placement into the proposal's words and codes, each one checked against the numbers."""

from __future__ import annotations

import math

import numpy as np

from send_matching.solver.model import (
    Alternative,
    Assignment,
    Child,
    Instance,
    Provision,
    RefusalGround,
    RefusedPreference,
    Unplaced,
    UnplacedReason,
    WhyNot,
)
from send_matching.solver.pairs import Indexed, Pairs, suitable_mask
from send_matching.solver.placement import Placement

MAX_ALTERNATIVES = 5
MAX_NAMED_IN_DETAIL = 10


GROUND_IN_WORDS = {
    RefusalGround.UNKNOWN_PROVISION: "it is not in this round's list",
    RefusalGround.UNSUITABLE: "it does not take the child's kind of provision, need or age",
    RefusalGround.BEYOND_TRAVEL_LIMIT: "it is beyond the travel limit",
    RefusalGround.CAPACITY: "its places went to others",
    RefusalGround.BUDGET: "it would take the round over budget",
    RefusalGround.NOT_CONSIDERED: "preferences were not weighed in this run",
}


def explain_assignments(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    placement: Placement,
    refusals: tuple[RefusedPreference, ...] = (),
) -> tuple[Assignment, ...]:
    refused = {r.child_id: r for r in refusals}
    rate = instance.options.transport_cost_per_km
    out: list[Assignment] = []
    for i, child in enumerate(instance.children):
        j = int(placement.chosen_pair[i])
        if j < 0:
            continue
        p = int(pairs.provision[j])
        provision = instance.provisions[p]
        distance = float(pairs.distance_km[j])
        honoured = bool(pairs.preferred[j])
        out.append(
            Assignment(
                child_id=child.id,
                provision_id=provision.id,
                distance_km=round(distance, 3),
                annual_cost=provision.annual_cost,
                transport_cost=round(rate * distance, 2),
                preference_honoured=honoured,
                explanation=_explanation(
                    instance, child, provision, distance, honoured, refused.get(child.id)
                ),
                nearer_alternatives=_nearer(instance, ix, pairs, placement, i, j),
            )
        )
    return tuple(out)


def _limit_km(instance: Instance, child: Child) -> float:
    if child.max_travel_km is not None:
        return child.max_travel_km
    limit = instance.options.max_travel_km
    return math.inf if limit is None else limit


def _suitability(provision: Provision, child: Child) -> str:
    kind = provision.kind.replace("_", " ")
    need = child.need if provision.designated_needs else "any need"
    return f"{kind}, {need}, {year_groups(provision.min_age, provision.max_age)}"


def _year_group(age: int) -> str:
    # Contract 1.1: ages are school-year ages, and the national curriculum year is age - 4.
    if age == 4:
        return "Reception"
    if 5 <= age <= 18:
        return f"Year {age - 4}"
    return "Nursery" if age == 3 else f"age {age}"


def year_groups(low: int, high: int) -> str:
    """School-year ages as people say them: 4..10 is 'Reception to Year 6'."""
    if low == high:
        return _year_group(low)
    return f"{_year_group(low)} to {_year_group(high)}"


def _explanation(
    instance: Instance,
    child: Child,
    provision: Provision,
    distance: float,
    honoured: bool,
    refusal: RefusedPreference | None,
) -> str:
    limit = _limit_km(instance, child)
    within = f"within {limit:g} km" if math.isfinite(limit) else "no travel limit applies"
    where = f"suitable ({_suitability(provision, child)}), {distance:.1f} km away, {within}"
    if honoured:
        return f"Parental preference; {where}."
    lead = "Lowest total cost for the cohort with everyone placed who can be"
    if refusal is not None:
        lead += f"; {refusal.provision_id} was asked for but {GROUND_IN_WORDS[refusal.reason]}"
    return f"{lead}; {where}."


def _nearer(
    instance: Instance, ix: Indexed, pairs: Pairs, placement: Placement, i: int, j: int
) -> tuple[Alternative, ...]:
    start = int(pairs.child_start[i])
    chosen_distance = pairs.distance_km[j]
    chosen_cost = pairs.cost_pence[j]
    honoured = bool(pairs.preferred[j])
    alternatives: list[Alternative] = []
    for k in range(start, j):
        if len(alternatives) == MAX_ALTERNATIVES or pairs.distance_km[k] >= chosen_distance:
            break
        q = int(pairs.provision[k])
        if not placement.has_place_for(ix, q, i):
            why = WhyNot.TAKEN_BY_PREFERENCE if placement.honoured_at[q] > 0 else WhyNot.FULL
        elif honoured and pairs.cost_pence[k] <= chosen_cost:
            why = WhyNot.PARENTAL_PREFERENCE
        else:
            why = WhyNot.HIGHER_TOTAL_COST
        alternatives.append(
            Alternative(
                provision_id=instance.provisions[q].id,
                distance_km=round(float(pairs.distance_km[k]), 3),
                why_not=why,
            )
        )
    return tuple(alternatives)


def explain_unplaced(
    instance: Instance, ix: Indexed, pairs: Pairs, placement: Placement
) -> tuple[Unplaced, ...]:
    out: list[Unplaced] = []
    for i, child in enumerate(instance.children):
        if placement.chosen_pair[i] >= 0:
            continue
        start, end = int(pairs.child_start[i]), int(pairs.child_start[i + 1])
        if end > start:
            ids = [instance.provisions[int(q)].id for q in pairs.provision[start:end]]
            named = ", ".join(ids[:MAX_NAMED_IN_DETAIL])
            more = (
                f" and {len(ids) - MAX_NAMED_IN_DETAIL} more"
                if len(ids) > MAX_NAMED_IN_DETAIL
                else ""
            )
            noun = "provision" if len(ids) == 1 else "provisions"
            out.append(
                Unplaced(
                    child_id=child.id,
                    reason=UnplacedReason.CAPACITY,
                    detail=f"{len(ids)} admissible {noun}, all full: {named}{more}",
                )
            )
            continue
        suitable = suitable_mask(
            ix, kinds=int(ix.child_kinds[i]), need=int(ix.child_need[i]), age=int(ix.child_age[i])
        )
        count = int(np.count_nonzero(suitable))
        if count:
            limit = _limit_km(instance, child)
            out.append(
                Unplaced(
                    child_id=child.id,
                    reason=UnplacedReason.BEYOND_TRAVEL_LIMIT,
                    detail=f"{count} suitable provisions, none within {limit:g} km",
                )
            )
        else:
            kinds = ", ".join(k.replace("_", " ") for k in child.suitable_kinds)
            out.append(
                Unplaced(
                    child_id=child.id,
                    reason=UnplacedReason.NO_SUITABLE_PROVISION,
                    detail=f"no provision of kind {kinds} takes {child.need} at age {child.age}",
                )
            )
    return tuple(out)


def explain_refusals(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    placement: Placement,
    *,
    budget_cap_pence: int | None,
    annual_pence: int,
) -> tuple[RefusedPreference, ...]:
    """One entry per child with preferences who is not placed at one of them; ground of the first."""
    position = {p.id: j for j, p in enumerate(instance.provisions)}
    out: list[RefusedPreference] = []
    for i, child in enumerate(instance.children):
        if not child.preferences:
            continue
        j = int(placement.chosen_pair[i])
        if j >= 0 and pairs.preferred[j]:
            continue
        first = child.preferences[0]
        out.append(
            RefusedPreference(
                child_id=child.id,
                provision_id=first,
                reason=_ground(
                    instance,
                    ix,
                    pairs,
                    placement,
                    i,
                    position.get(first),
                    budget_cap_pence=budget_cap_pence,
                    annual_pence=annual_pence,
                ),
            )
        )
    return tuple(out)


def _ground(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    placement: Placement,
    i: int,
    q: int | None,
    *,
    budget_cap_pence: int | None,
    annual_pence: int,
) -> RefusalGround:
    if q is None:
        return RefusalGround.UNKNOWN_PROVISION
    suitable = suitable_mask(
        ix, kinds=int(ix.child_kinds[i]), need=int(ix.child_need[i]), age=int(ix.child_age[i])
    )
    if not suitable[q]:
        return RefusalGround.UNSUITABLE
    start, end = int(pairs.child_start[i]), int(pairs.child_start[i + 1])
    if not np.any(pairs.provision[start:end] == q):
        return RefusalGround.BEYOND_TRAVEL_LIMIT
    if not placement.has_place_for(ix, q, i):
        return RefusalGround.CAPACITY
    if budget_cap_pence is not None:
        j = int(placement.chosen_pair[i])
        current = int(pairs.annual_pence[j]) if j >= 0 else 0
        if annual_pence - current + int(ix.prov_annual_pence[q]) > budget_cap_pence:
            return RefusalGround.BUDGET
    return RefusalGround.NOT_CONSIDERED
