"""Property tests of the pure solver on small random instances, against a brute force."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import Counter
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from send_matching.solver import (
    Child,
    Instance,
    Options,
    Proposal,
    Provision,
    RefusalGround,
    Status,
    UnplacedReason,
    WhyNot,
    propose,
)
from send_matching.solver import engine as engine_module
from send_matching.solver.network import build_network, solve_min_cost_max_flow
from send_matching.solver.pairs import build_pairs, index_instance, to_pence
from send_matching.solver.pricing import priced_cost_bound

NEEDS = ("ASD", "SLCN", "SEMH")
KINDS = ("mainstream", "resource_base", "special_school")
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def distance_km(child: Child, provision: Provision) -> float:
    """Written out again here, on purpose, rather than imported from the solver."""
    p1, p2 = math.radians(child.lat), math.radians(provision.lat)
    dp, dl = p2 - p1, math.radians(provision.lon - child.lon)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def limit_km(instance: Instance, child: Child) -> float:
    if child.max_travel_km is not None:
        return child.max_travel_km
    return instance.options.max_travel_km or math.inf


def suitable(child: Child, p: Provision) -> bool:
    return (
        p.kind in child.suitable_kinds
        and (not p.designated_needs or child.need in p.designated_needs)
        and p.min_age <= child.age <= p.max_age
    )


def admissible(instance: Instance, child: Child, p: Provision) -> bool:
    return suitable(child, p) and distance_km(child, p) <= limit_km(instance, child)


def cost_pence(instance: Instance, child: Child, p: Provision) -> int:
    rate = instance.options.transport_cost_per_km
    return round(p.annual_cost * 100) + round(rate * distance_km(child, p) * 100)


@st.composite
def instances(draw: st.DrawFn, *, with_budget: bool | None = None) -> Instance:
    n_prov = draw(st.integers(1, 4))
    provisions = []
    for j in range(n_prov):
        lo = draw(st.integers(3, 7))
        needs = tuple(draw(st.lists(st.sampled_from(NEEDS), max_size=2, unique=True)))
        if draw(st.booleans()):
            needs = ()  # mainstream-like: any need, so that most pairs are admissible
        caps = draw(st.dictionaries(st.sampled_from(NEEDS), st.integers(0, 2), max_size=1))
        provisions.append(
            Provision(
                id=f"p{j}",
                name=f"Provision {j}",
                kind=draw(st.sampled_from(KINDS)),
                lat=draw(st.floats(52.0, 52.15)),
                lon=draw(st.floats(-1.3, -1.05)),
                capacity=draw(st.integers(0, 2)),
                designated_needs=needs,
                min_age=lo,
                max_age=lo + draw(st.integers(3, 9)),
                annual_cost=draw(st.integers(1, 60)) * 1000,
                capacity_by_need=caps,
            )
        )
    ids = [p.id for p in provisions] + ["unknown-9"]
    children = [
        Child(
            id=f"c{i}",
            lat=draw(st.floats(52.0, 52.15)),
            lon=draw(st.floats(-1.3, -1.05)),
            age=draw(st.integers(4, 12)),
            need=draw(st.sampled_from(NEEDS)),
            suitable_kinds=tuple(
                draw(st.lists(st.sampled_from(KINDS), min_size=2, max_size=3, unique=True))
            ),
            preferences=tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))),
            max_travel_km=draw(st.none() | st.floats(8.0, 40.0)),
        )
        for i in range(draw(st.integers(1, 6)))
    ]
    budget = None
    if with_budget or (with_budget is None and draw(st.booleans())):
        budget = float(draw(st.integers(0, 40)) * 4000)
    options = Options(
        max_travel_km=draw(st.sampled_from([10.0, 25.0, 40.0, None])),
        transport_cost_per_km=draw(st.sampled_from([0.0, 400.0, 1234.5])),
        honour_preferences=draw(st.booleans()),
        budget=budget,
        time_limit_s=30.0,
    )
    return Instance(children=children, provisions=provisions, options=options)


def best_by_brute_force(instance: Instance) -> tuple[int, int, int, int]:
    """(placed, overspend in pence, preferences honoured, cost in pence) of the lexicographic best."""
    provisions = instance.provisions
    choices = [
        [None, *(j for j, p in enumerate(provisions) if admissible(instance, c, p))]
        for c in instance.children
    ]
    budget = instance.options.budget
    best: tuple[int, int, int, int] | None = None
    for combo in itertools.product(*choices):
        load = Counter(j for j in combo if j is not None)
        if any(load[j] > provisions[j].capacity for j in load):
            continue
        need_load = Counter(
            (j, c.need) for j, c in zip(combo, instance.children, strict=True) if j is not None
        )
        if any(
            provisions[j].capacity_by_need.get(n, math.inf) < k for (j, n), k in need_load.items()
        ):
            continue
        placed = [
            (c, provisions[j])
            for j, c in zip(combo, instance.children, strict=True)
            if j is not None
        ]
        annual = sum(round(p.annual_cost * 100) for _, p in placed)
        overspend = max(0, annual - round(budget * 100)) if budget is not None else 0
        honoured = sum(1 for c, p in placed if p.id in c.preferences)
        if not instance.options.honour_preferences:
            honoured = 0
        cost = sum(cost_pence(instance, c, p) for c, p in placed)
        key = (-len(placed), overspend, -honoured, cost)
        if best is None or key < best:
            best = key
    assert best is not None
    return (-best[0], best[1], -best[2], best[3])


def achieved(instance: Instance, proposal: Proposal) -> tuple[int, int, int, int]:
    by_id = {p.id: p for p in instance.provisions}
    children = {c.id: c for c in instance.children}
    placed = [(children[a.child_id], by_id[a.provision_id]) for a in proposal.assignments]
    annual = sum(round(p.annual_cost * 100) for _, p in placed)
    budget = instance.options.budget
    overspend = max(0, annual - round(budget * 100)) if budget is not None else 0
    honoured = sum(1 for c, p in placed if p.id in c.preferences)
    if not instance.options.honour_preferences:
        honoured = 0
    return (len(placed), overspend, honoured, sum(cost_pence(instance, c, p) for c, p in placed))


def check_feasible(instance: Instance, proposal: Proposal) -> None:
    by_id = {p.id: p for p in instance.provisions}
    children = {c.id: c for c in instance.children}
    assert len({a.child_id for a in proposal.assignments}) == len(proposal.assignments)
    load = Counter(a.provision_id for a in proposal.assignments)
    for pid, n in load.items():
        assert n <= by_id[pid].capacity
    need_load = Counter((a.provision_id, children[a.child_id].need) for a in proposal.assignments)
    for (pid, need), n in need_load.items():
        assert n <= by_id[pid].capacity_by_need.get(need, n)
    for a in proposal.assignments:
        child, provision = children[a.child_id], by_id[a.provision_id]
        assert suitable(child, provision)
        assert distance_km(child, provision) <= limit_km(instance, child) + 1e-9
        assert a.preference_honoured == (provision.id in child.preferences)
    placed = {a.child_id for a in proposal.assignments} | {u.child_id for u in proposal.unplaced}
    assert placed == set(children)


@PROPERTY
@given(instances(with_budget=False))
def test_no_budget_is_feasible_and_exactly_optimal(instance: Instance) -> None:
    proposal = propose(instance)
    check_feasible(instance, proposal)
    assert proposal.status is Status.OPTIMAL
    assert proposal.solver.gap == 0.0
    assert achieved(instance, proposal) == best_by_brute_force(instance)


@PROPERTY
@given(instances(with_budget=True))
def test_budget_answer_is_feasible_and_within_its_proven_gap(instance: Instance) -> None:
    proposal = propose(instance)
    check_feasible(instance, proposal)
    best = best_by_brute_force(instance)
    got = achieved(instance, proposal)
    assert got[:2] == best[:2]  # placements and overspend are always exact
    if proposal.status is Status.OPTIMAL:
        assert got == best
    else:
        assert proposal.solver.gap > 0


def check_gap_is_honest(
    got: tuple[int, int, int, int], best: tuple[int, int, int, int], gap: float
) -> None:
    """The optimum lies within the reported gap of the answer, on the level the gap is about.

    Fewer preferences than the optimum: the gap's bound U ≥ the optimum's, so the gap
    (U − honoured) / U must be at least (best − honoured) / best. Same preferences, dearer: the
    gap's bound L ≤ the optimum's cost, so (cost − L) / cost is at least (cost − best) / cost.
    """
    if got[2] < best[2]:
        assert gap >= (best[2] - got[2]) / best[2] - 1e-12
    elif got[2] == best[2] and got[3] > best[3]:
        assert gap >= (got[3] - best[3]) / got[3] - 1e-12


@PROPERTY
@given(instances(with_budget=True), st.sampled_from([0.001, 0.05, 10.0]))
def test_budget_gap_is_honest_against_the_exact_optimum(instance: Instance, limit: float) -> None:
    """Whether the search ends or is cut short (no time at all, or a little), bound ≤ optimum ≤ value."""
    proposal = propose(with_limit(instance, limit))
    check_feasible(instance, proposal)
    best, got = best_by_brute_force(instance), achieved(instance, proposal)
    assert got[:2] == best[:2]  # placements and overspend are always exact
    assert got[2] <= best[2]  # nothing beats the optimum: the brute force is the yardstick
    if got[2] == best[2]:
        assert got[3] >= best[3]
    assert 0.0 <= proposal.solver.gap <= 1.0
    check_gap_is_honest(got, best, proposal.solver.gap)
    if proposal.status is Status.OPTIMAL:
        assert got == best


@PROPERTY
@given(instances(with_budget=True))
def test_the_budget_bounds_are_below_the_exact_optimum(instance: Instance) -> None:
    """The LP bounds the budget search proves its gap with never pass the brute-force optimum:
    on preferences refused (the preference level) and on cost with the optimum's preferences."""
    best = best_by_brute_force(instance)
    ix = index_instance(instance)
    pairs = build_pairs(instance, ix)
    if best[0] == 0 or instance.options.budget is None:
        return
    _, least = solve_min_cost_max_flow(build_network(instance, ix, pairs), pairs.annual_pence)
    cap = max(to_pence(instance.options.budget), least)
    everything = np.ones(pairs.child.size, dtype=np.bool_)
    refused = priced_cost_bound(
        instance,
        ix,
        pairs,
        objective=(~pairs.preferred).astype(np.float64),
        placed=best[0],
        cap=cap,
        min_preferences=None,
        start=everything,
        deadline=math.inf,
    )
    assert refused is not None
    assert refused.value <= best[0] - best[2] + 1e-6
    if instance.options.honour_preferences:
        cost = priced_cost_bound(
            instance,
            ix,
            pairs,
            objective=pairs.cost_pence.astype(np.float64) / 100.0,
            placed=best[0],
            cap=cap,
            min_preferences=best[2],
            start=everything,
            deadline=math.inf,
        )
        assert cost is not None
        assert cost.value <= best[3] / 100 + 1e-6


@PROPERTY
@given(instances(), st.integers(0, 3), st.integers(1, 3))
def test_more_capacity_never_places_fewer(instance: Instance, which: int, extra: int) -> None:
    provisions = list(instance.provisions)
    j = which % len(provisions)
    provisions[j] = dataclasses.replace(provisions[j], capacity=provisions[j].capacity + extra)
    bigger = dataclasses.replace(instance, provisions=provisions)
    assert propose(bigger).totals.placed >= propose(instance).totals.placed


@PROPERTY
@given(instances())
def test_same_instance_same_answer(instance: Instance) -> None:
    first, second = propose(instance), propose(instance)
    assert first.assignments == second.assignments
    assert first.unplaced == second.unplaced
    assert first.preferences_not_honoured == second.preferences_not_honoured
    assert first.totals == second.totals


@PROPERTY
@given(instances())
def test_explanations_agree_with_the_numbers(instance: Instance) -> None:
    check_explanations(instance, propose(instance))


def check_explanations(instance: Instance, proposal: Proposal) -> None:
    by_id = {p.id: p for p in instance.provisions}
    children = {c.id: c for c in instance.children}
    at = {a.child_id: a.provision_id for a in proposal.assignments}
    load = Counter(at.values())
    need_load = Counter((pid, children[cid].need) for cid, pid in at.items())

    def has_place_for(child: Child, p: Provision) -> bool:
        cap = p.capacity_by_need.get(child.need)
        return load[p.id] < p.capacity and (cap is None or need_load[(p.id, child.need)] < cap)

    for a in proposal.assignments:
        child, chosen = children[a.child_id], by_id[a.provision_id]
        nearer = sorted(
            (distance_km(child, p), p.id)
            for p in instance.provisions
            if admissible(instance, child, p) and distance_km(child, p) < distance_km(child, chosen)
        )
        assert [alt.provision_id for alt in a.nearer_alternatives] == [pid for _, pid in nearer[:5]]
        for alt in a.nearer_alternatives:
            q = by_id[alt.provision_id]
            if alt.why_not in (WhyNot.FULL, WhyNot.TAKEN_BY_PREFERENCE):
                assert not has_place_for(child, q)
            if alt.why_not is WhyNot.TAKEN_BY_PREFERENCE:
                assert any(
                    pid == q.id and q.id in children[cid].preferences for cid, pid in at.items()
                )
            if alt.why_not is WhyNot.HIGHER_TOTAL_COST:
                assert has_place_for(child, q)
                if instance.options.budget is None:
                    assert cost_pence(instance, child, q) >= cost_pence(instance, child, chosen)
            if alt.why_not is WhyNot.PARENTAL_PREFERENCE:
                assert has_place_for(child, q)
                assert a.preference_honoured

    for u in proposal.unplaced:
        child = children[u.child_id]
        options = [p for p in instance.provisions if admissible(instance, child, p)]
        if u.reason is UnplacedReason.CAPACITY:
            assert options
            assert not any(has_place_for(child, p) for p in options)
        elif u.reason is UnplacedReason.BEYOND_TRAVEL_LIMIT:
            assert not options
            assert any(suitable(child, p) for p in instance.provisions)
        else:
            assert not any(suitable(child, p) for p in instance.provisions)

    refused = {r.child_id: r for r in proposal.preferences_not_honoured}
    for child in instance.children:
        honoured = at.get(child.id) in child.preferences
        assert (child.id in refused) == (bool(child.preferences) and not honoured)
    for r in proposal.preferences_not_honoured:
        child = children[r.child_id]
        assert r.provision_id == child.preferences[0]
        q = by_id.get(r.provision_id)
        expected = {
            RefusalGround.UNKNOWN_PROVISION: q is None,
            RefusalGround.UNSUITABLE: q is not None and not suitable(child, q),
            RefusalGround.BEYOND_TRAVEL_LIMIT: q is not None
            and suitable(child, q)
            and not admissible(instance, child, q),
            RefusalGround.CAPACITY: q is not None
            and admissible(instance, child, q)
            and not has_place_for(child, q),
        }
        if r.reason in expected:
            assert expected[r.reason]
        elif r.reason is RefusalGround.BUDGET:
            assert instance.options.budget is not None
        else:  # not_considered: only when preferences are ignored (or the answer is not proven)
            assert not instance.options.honour_preferences or proposal.status is Status.FEASIBLE


TINY = 1e-6  # seconds: a time limit gone before the flow could start


def with_limit(instance: Instance, seconds: float) -> Instance:
    options = dataclasses.replace(instance.options, time_limit_s=seconds)
    return dataclasses.replace(instance, options=options)


class NeverFinishes:
    """Stands in for the forked flow: it has not finished by any deadline."""

    def __init__(self, *_: object) -> None:
        pass

    def ready_by(self, moment: float) -> bool:
        return False  # at once: the tests need not wait for the moment

    def result_by(self, deadline: float) -> None:
        return None

    def stop(self) -> None:
        pass


@PROPERTY
@given(instances(with_budget=False))
def test_greedy_at_the_limit_is_feasible_explained_and_within_its_gap(instance: Instance) -> None:
    proposal = propose(with_limit(instance, TINY))
    check_feasible(instance, proposal)
    check_explanations(instance, proposal)
    assert proposal.solver.time_limit_reached
    best, got = best_by_brute_force(instance), achieved(instance, proposal)
    assert got[0] <= best[0]
    if proposal.status is Status.OPTIMAL:
        assert proposal.solver.gap == 0.0
        assert got == best
    else:
        assert 0 < proposal.solver.gap <= 1
    if got[0] < best[0]:  # level 1 first: its gap comes from an upper bound on placements
        assert proposal.solver.gap >= (best[0] - got[0]) / best[0] - 1e-12


@PROPERTY
@given(instances(with_budget=False))
def test_fallback_with_time_is_feasible_explained_and_places_the_most(
    instance: Instance,
) -> None:
    with (
        mock.patch.object(engine_module, "FlowProcess", NeverFinishes),
        mock.patch.object(engine_module, "in_process", return_value=False),
    ):
        proposal = propose(with_limit(instance, 60))
    check_feasible(instance, proposal)
    check_explanations(instance, proposal)
    best, got = best_by_brute_force(instance), achieved(instance, proposal)
    assert got[0] == best[0]
    if proposal.status is Status.OPTIMAL:
        assert got == best
    else:
        assert 0 < proposal.solver.gap <= 1
