"""Pieces of the budget search, each held to what it promises."""

from __future__ import annotations

import math

import numpy as np

from send_matching.bench.generator import generate_county
from send_matching.solver import Instance
from send_matching.solver.lagrangian import lagrangian_search
from send_matching.solver.network import (
    Network,
    build_network,
    lexicographic_costs,
    lexicographic_weights,
    solve_min_cost_max_flow,
)
from send_matching.solver.pairs import Indexed, Pairs, build_pairs, index_instance
from send_matching.solver.placement import make_placement
from send_matching.solver.repair import honour_more_preferences


def _county() -> tuple[Instance, Indexed, Pairs, Network]:
    instance = generate_county(children=400, seed=21)
    ix = index_instance(instance)
    pairs = build_pairs(instance, ix)
    net = build_network(instance, ix, pairs)
    return instance, ix, pairs, net


def test_repair_honours_more_and_keeps_every_constraint() -> None:
    instance, ix, pairs, net = _county()
    cheapest, least = solve_min_cost_max_flow(net, pairs.annual_pence)
    cap = least + 200_000_00  # £200k of room

    repaired = honour_more_preferences(instance, ix, pairs, cheapest, cap_pence=cap)

    assert repaired.size == cheapest.size
    assert np.unique(pairs.child[repaired]).size == repaired.size
    assert int(pairs.annual_pence[repaired].sum()) <= cap
    assert pairs.preferred[repaired].sum() > pairs.preferred[cheapest].sum()
    placement = make_placement(instance, ix, pairs, repaired)
    assert np.all(placement.load <= ix.prov_capacity)
    for key, n in placement.need_load.items():
        assert n <= placement.need_cap[key]


def test_lagrangian_bound_is_below_every_feasible_flow_it_meets() -> None:
    _, ix, pairs, net = _county()
    weights = lexicographic_weights(
        pairs,
        max_placed=min(net.supply, int(ix.prov_capacity.sum())),
        honour_preferences=True,
        num_nodes=net.num_nodes,
    )
    lex = lexicographic_costs(pairs, weights)
    free, _ = solve_min_cost_max_flow(net, lex)
    _, least = solve_min_cost_max_flow(net, pairs.annual_pence)
    cap = (least + int(pairs.annual_pence[free].sum())) // 2  # binding, and reachable

    result = lagrangian_search(net, lex, pairs.annual_pence, cap=cap, deadline=math.inf)

    assert result.best is not None
    assert int(pairs.annual_pence[result.best].sum()) <= cap
    assert result.bound <= result.best_lex
    assert result.best.size == free.size  # the same number placed: level 1 is never traded
