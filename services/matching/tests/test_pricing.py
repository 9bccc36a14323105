"""The LP bound by column generation never exceeds the true optimum (it is a proof, not a guess)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from send_matching.solver import Instance
from send_matching.solver.network import build_network, solve_min_cost_max_flow
from send_matching.solver.pairs import build_pairs, index_instance
from send_matching.solver.pricing import priced_cost_bound

from .test_solver_properties import best_by_brute_force, instances


@settings(max_examples=40, deadline=None, derandomize=True)
@given(instances(with_budget=True), st.integers(0, 2**32 - 1))
def test_priced_bound_is_below_the_optimum(instance: Instance, seed: int) -> None:
    ix = index_instance(instance)
    pairs = build_pairs(instance, ix)
    if pairs.child.size == 0:
        return
    placed, _overspend, honoured, cost_pence = best_by_brute_force(instance)
    net = build_network(instance, ix, pairs)
    _, least_annual = solve_min_cost_max_flow(net, pairs.annual_pence)
    assert instance.options.budget is not None
    cap = max(round(instance.options.budget * 100), least_annual)
    start = np.random.default_rng(seed).random(pairs.child.size) < 0.5
    bound = priced_cost_bound(
        instance,
        ix,
        pairs,
        objective=pairs.cost_pence / 100.0,
        placed=placed,
        cap=cap,
        min_preferences=honoured if instance.options.honour_preferences else None,
        start=start,
        deadline=float("inf"),
    )
    if bound is not None:
        assert bound.value <= cost_pence / 100.0 + 1e-6
