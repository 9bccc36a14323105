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
from send_matching.solver.pairs import Indexed, IntArray, Pairs, suitable_mask
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
    """Every placed child's assignment. The numbers are read from arrays in one go, and the
    sentences' fixed parts are made once per provision and need: no numpy scalar per child."""
    refused = {r.child_id: r for r in refusals}
    rate = instance.options.transport_cost_per_km
    placed = np.flatnonzero(placement.chosen_pair >= 0)
    chosen = placement.chosen_pair[placed]
    nearer = _nearer_alternatives(instance, ix, pairs, placement, chosen)
    suitable: dict[tuple[int, str], str] = {}
    out: list[Assignment] = []
    for i, p, distance, honoured, alternatives in zip(
        placed.tolist(),
        pairs.provision[chosen].tolist(),
        pairs.distance_km[chosen].tolist(),
        pairs.preferred[chosen].tolist(),
        nearer,
        strict=True,
    ):
        child = instance.children[i]
        provision = instance.provisions[p]
        key = (p, child.need)
        if key not in suitable:
            suitable[key] = _suitability(provision, child)
        out.append(
            Assignment(
                child_id=child.id,
                provision_id=provision.id,
                distance_km=round(distance, 3),
                annual_cost=provision.annual_cost,
                transport_cost=round(rate * distance, 2),
                preference_honoured=honoured,
                explanation=_explanation(
                    instance, child, suitable[key], distance, honoured, refused.get(child.id)
                ),
                nearer_alternatives=alternatives,
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
    suitability: str,
    distance: float,
    honoured: bool,
    refusal: RefusedPreference | None,
) -> str:
    limit = _limit_km(instance, child)
    within = f"within {limit:g} km" if math.isfinite(limit) else "no travel limit applies"
    where = f"suitable ({suitability}), {distance:.1f} km away, {within}"
    if honoured:
        return f"Parental preference; {where}."
    lead = "Lowest total cost for the cohort with everyone placed who can be"
    if refusal is not None:
        lead += f"; {refusal.provision_id} was asked for but {GROUND_IN_WORDS[refusal.reason]}"
    return f"{lead}; {where}."


def _nearer_alternatives(
    instance: Instance, ix: Indexed, pairs: Pairs, placement: Placement, chosen: IntArray
) -> list[tuple[Alternative, ...]]:
    """For each chosen pair, up to MAX_ALTERNATIVES nearer admissible provisions and why not.

    A child's pairs are sorted by distance, so the nearer ones are the first of its pairs, up to
    the first as far as the chosen one: at most MAX_ALTERNATIVES columns, decided together.
    """
    n = chosen.size
    if n == 0:
        return []
    child = pairs.child[chosen]
    k = pairs.child_start[child][:, None] + np.arange(MAX_ALTERNATIVES)[None, :]
    valid = k < chosen[:, None]
    k = np.where(valid, k, chosen[:, None])
    valid &= pairs.distance_km[k] < pairs.distance_km[chosen][:, None]
    valid = np.logical_and.accumulate(valid, axis=1)
    q = pairs.provision[k]
    n_needs = max(1, len(ix.needs))
    need_cap = np.full(ix.prov_capacity.size * n_needs, np.iinfo(np.int64).max, dtype=np.int64)
    need_load = np.zeros_like(need_cap)
    for (p, need), cap in placement.need_cap.items():
        need_cap[p * n_needs + need] = cap
        need_load[p * n_needs + need] = placement.need_load.get((p, need), 0)
    slot = q * n_needs + ix.child_need[child][:, None]
    has_place = (placement.load[q] < ix.prov_capacity[q]) & (need_load[slot] < need_cap[slot])
    honoured = pairs.preferred[chosen][:, None]
    why = np.where(
        ~has_place,
        np.where(placement.honoured_at[q] > 0, _TAKEN, _FULL),
        np.where(
            honoured & (pairs.cost_pence[k] <= pairs.cost_pence[chosen][:, None]), _OWN, _DEARER
        ),
    )
    counts = valid.sum(axis=1).tolist()
    ids = [instance.provisions[x].id for x in q[valid].tolist()]
    distances = pairs.distance_km[k][valid].tolist()
    reasons = [_WHY[w] for w in why[valid].tolist()]
    out: list[tuple[Alternative, ...]] = []
    at = 0
    for count in counts:
        out.append(
            tuple(
                Alternative(
                    provision_id=ids[x], distance_km=round(distances[x], 3), why_not=reasons[x]
                )
                for x in range(at, at + count)
            )
        )
        at += count
    return out


_FULL, _TAKEN, _OWN, _DEARER = range(4)
_WHY = (
    WhyNot.FULL,
    WhyNot.TAKEN_BY_PREFERENCE,
    WhyNot.PARENTAL_PREFERENCE,
    WhyNot.HIGHER_TOTAL_COST,
)


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
