"""Without a budget, time_limit_s stops the exact flow: a feasible fallback with a proven gap.

No assertion here is about elapsed time (the machine is noisy): a limit of a microsecond is
already past once the pairs are built, and a flow that "never finishes" is simulated.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import Counter
from collections.abc import Iterator
from unittest import mock

import numpy as np
import pytest

from send_matching.bench.generator import generate_county
from send_matching.solver import Instance, Proposal, Status, propose
from send_matching.solver import engine as engine_module
from send_matching.solver.fallback import (
    descend,
    greedy_placement,
    lex_order,
    max_flow_pairs,
    placeable_bound,
)
from send_matching.solver.network import (
    Network,
    build_network,
    lexicographic_costs,
    lexicographic_weights,
    solve_min_cost_max_flow,
)
from send_matching.solver.pairs import IntArray, build_pairs, index_instance
from send_matching.solver.timebox import FlowProcess

TINY = 1e-6  # seconds: gone before the flow could start


def with_limit(instance: Instance, seconds: float) -> Instance:
    options = dataclasses.replace(instance.options, time_limit_s=seconds)
    return dataclasses.replace(instance, options=options)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def check_feasible(instance: Instance, proposal: Proposal) -> None:
    """Each child at most once; capacity and per-need caps kept; every pair admissible."""
    by_id = {p.id: p for p in instance.provisions}
    children = {c.id: c for c in instance.children}
    assert len({a.child_id for a in proposal.assignments}) == len(proposal.assignments)
    for pid, n in Counter(a.provision_id for a in proposal.assignments).items():
        assert n <= by_id[pid].capacity
    need_load = Counter((a.provision_id, children[a.child_id].need) for a in proposal.assignments)
    for (pid, need), n in need_load.items():
        assert n <= by_id[pid].capacity_by_need.get(need, n)
    default = instance.options.max_travel_km
    for a in proposal.assignments:
        c, p = children[a.child_id], by_id[a.provision_id]
        assert p.kind in c.suitable_kinds
        assert not p.designated_needs or c.need in p.designated_needs
        assert p.min_age <= c.age <= p.max_age
        limit = c.max_travel_km if c.max_travel_km is not None else default
        assert limit is None or distance_km(c.lat, c.lon, p.lat, p.lon) <= limit + 1e-9
        assert a.preference_honoured == (p.id in c.preferences)
    listed = {a.child_id for a in proposal.assignments} | {u.child_id for u in proposal.unplaced}
    assert listed == set(children)


class NeverFinishes:
    """Stands in for the forked flow: it has not finished by any deadline."""

    def __init__(self, net: Network, pair_costs: IntArray) -> None:
        pass

    def ready_by(self, moment: float) -> bool:
        return False  # at once: the tests need not wait for the moment

    def result_by(self, deadline: float) -> None:
        return None

    def stop(self) -> None:
        pass


@pytest.fixture(scope="module")
def large() -> Instance:
    return generate_county(children=20_000, seed=5)


def test_large_instance_at_a_tiny_limit_is_feasible_with_a_valid_gap(large: Instance) -> None:
    exact = propose(with_limit(large, 300))
    assert exact.status is Status.OPTIMAL
    assert not exact.solver.time_limit_reached

    proposal = propose(with_limit(large, TINY))
    assert proposal.status is Status.FEASIBLE
    assert proposal.solver.time_limit_reached
    assert proposal.solver.engine == "greedy"
    check_feasible(large, proposal)
    placed, best = proposal.totals.placed, exact.totals.placed
    assert placed <= best
    assert placed < best  # at this size the greedy cannot match the flow
    # The gap is on level 1 and comes from an upper bound U ≥ best: (U − placed) / U.
    assert 0 < proposal.solver.gap <= 1
    bound = placed / (1 - proposal.solver.gap)
    assert bound >= best - 1e-6
    assert proposal.solver.gap >= (best - placed) / best - 1e-12
    assert proposal.totals.placed + proposal.totals.unplaced == len(large.children)
    assert proposal.totals.preferences_honoured == sum(
        1 for a in proposal.assignments if a.preference_honoured
    )


def test_generous_limit_gives_the_exact_flow_as_before() -> None:
    instance = generate_county(children=2000, seed=3)
    ix = index_instance(instance)
    pairs = build_pairs(instance, ix)
    net = build_network(instance, ix, pairs)
    weights = lexicographic_weights(
        pairs,
        max_placed=min(net.supply, int(ix.prov_capacity.sum())),
        honour_preferences=True,
        num_nodes=net.num_nodes,
    )
    before, _ = solve_min_cost_max_flow(net, lexicographic_costs(pairs, weights))
    proposal = propose(with_limit(instance, 300))
    assert proposal.status is Status.OPTIMAL
    assert proposal.solver.gap == 0.0
    assert not proposal.solver.time_limit_reached
    chosen = {
        (instance.children[int(pairs.child[k])].id, instance.provisions[int(pairs.provision[k])].id)
        for k in before
    }
    assert {(a.child_id, a.provision_id) for a in proposal.assignments} == chosen


def test_forked_flow_gives_the_in_process_answer_or_is_killed() -> None:
    instance = generate_county(children=2000, seed=3)
    ix = index_instance(instance)
    pairs = build_pairs(instance, ix)
    net = build_network(instance, ix, pairs)
    costs = pairs.cost_pence
    in_process = solve_min_cost_max_flow(net, costs)

    solved = FlowProcess(net, costs).result_by(time.perf_counter() + 300)
    assert solved is not None
    assert np.array_equal(solved[0], in_process[0])
    assert solved[1] == in_process[1]

    stopped = FlowProcess(net, costs)
    child = stopped._process
    assert stopped.result_by(time.perf_counter()) is None
    with pytest.raises(ValueError, match="closed"):
        child.is_alive()  # joined and closed: nothing left running


@pytest.fixture
def flow_never_finishes() -> Iterator[None]:
    with (
        mock.patch.object(engine_module, "FlowProcess", NeverFinishes),
        mock.patch.object(engine_module, "in_process", return_value=False),
    ):
        yield


def test_fallback_with_time_to_spare_places_the_most(flow_never_finishes: None) -> None:
    instance = generate_county(children=2000, seed=3)
    exact = propose(instance)  # in_process patched: this too is the fallback
    proposal = propose(with_limit(instance, 300))
    assert proposal.solver.time_limit_reached
    check_feasible(instance, proposal)
    assert proposal.assignments == exact.assignments  # deterministic too
    with mock.patch.object(engine_module, "in_process", return_value=True):
        reference = propose(with_limit(instance, 300))
    assert reference.status is Status.OPTIMAL
    assert proposal.totals.placed == reference.totals.placed  # the maximum flow's arcs were kept
    assert proposal.totals.preferences_honoured <= reference.totals.preferences_honoured
    if proposal.status is Status.FEASIBLE:
        assert 0 < proposal.solver.gap <= 1
    else:
        assert proposal.totals == reference.totals


def test_fallback_pieces_keep_every_constraint() -> None:
    instance = generate_county(children=2000, seed=3)
    ix = index_instance(instance)
    pairs = build_pairs(instance, ix)
    net = build_network(instance, ix, pairs)
    lex = pairs.cost_pence
    greedy = greedy_placement(instance, ix, pairs, lex_order(pairs, lex))
    most = max_flow_pairs(net)
    assert greedy.size <= most.size <= placeable_bound(ix, pairs)
    better = descend(instance, ix, pairs, lex, most, deadline=time.perf_counter() + 300)
    assert better is not None
    assert better.size == most.size
    assert int(lex[better].sum()) <= int(lex[most].sum())
    for chosen in (greedy, most, better):
        assert np.unique(pairs.child[chosen]).size == chosen.size
        load = np.bincount(pairs.provision[chosen], minlength=ix.prov_capacity.size)
        assert (load <= ix.prov_capacity).all()
