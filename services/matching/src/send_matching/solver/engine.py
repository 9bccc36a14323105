"""propose(): the whole solve, from an instance to an explained proposal."""

from __future__ import annotations

import math
import time

import numpy as np

from send_matching.solver.budget import solve_with_budget
from send_matching.solver.explain import explain_assignments, explain_refusals, explain_unplaced
from send_matching.solver.model import Instance, Proposal, SolverInfo, Status, Totals
from send_matching.solver.network import (
    build_network,
    lexicographic_costs,
    lexicographic_weights,
    solve_min_cost_max_flow,
)
from send_matching.solver.pairs import IntArray, Pairs, build_pairs, index_instance, to_pence
from send_matching.solver.placement import make_placement

ENGINE_FLOW = "min_cost_flow"
ENGINE_BUDGET = "min_cost_flow+highs_mip"


def propose(instance: Instance) -> Proposal:
    started = time.perf_counter()
    deadline = started + instance.options.time_limit_s
    ix = index_instance(instance)
    pairs = build_pairs(instance, ix)
    net = build_network(instance, ix, pairs)
    placeable = min(net.supply, int(ix.prov_capacity.sum()))
    weights = lexicographic_weights(
        pairs,
        max_placed=placeable,
        honour_preferences=instance.options.honour_preferences,
        num_nodes=net.num_nodes,
    )
    lex = lexicographic_costs(pairs, weights)
    flow_started = time.perf_counter()
    chosen, _ = solve_min_cost_max_flow(net, lex)
    flow_seconds = time.perf_counter() - flow_started
    engine = ENGINE_FLOW
    gap = _coarsening_gap(pairs, chosen, weights.cost_unit)
    proven = weights.cost_unit == 1
    timed_out = False

    budget = instance.options.budget
    cap_pence: int | None = None
    if budget is not None:
        budget_pence = to_pence(budget)
        cap_pence = budget_pence
        if int(pairs.annual_pence[chosen].sum()) > budget_pence:
            cheapest, least_annual = solve_min_cost_max_flow(net, pairs.annual_pence)
            cap_pence = max(budget_pence, least_annual)
            result = solve_with_budget(
                instance,
                ix,
                pairs,
                net,
                lex=lex,
                placed=int(chosen.size),
                annual_cap_pence=cap_pence,
                cheapest=cheapest,
                deadline=deadline,
                flow_seconds=flow_seconds,
            )
            chosen, gap = result.chosen, result.gap
            timed_out = result.time_limit_reached
            engine = ENGINE_BUDGET

    chosen = np.sort(chosen)
    placement = make_placement(instance, ix, pairs, chosen)
    annual_pence = int(pairs.annual_pence[chosen].sum())
    proposal_status = Status.OPTIMAL if proven and gap == 0.0 else Status.FEASIBLE
    refusals = explain_refusals(
        instance, ix, pairs, placement, budget_cap_pence=cap_pence, annual_pence=annual_pence
    )
    return Proposal(
        status=proposal_status,
        assignments=explain_assignments(instance, ix, pairs, placement, refusals),
        unplaced=explain_unplaced(instance, ix, pairs, placement),
        preferences_not_honoured=refusals,
        totals=_totals(instance, pairs, chosen),
        solver=SolverInfo(
            engine=engine,
            seconds=round(time.perf_counter() - started, 3),
            gap=gap,
            time_limit_reached=timed_out,
        ),
    )


def _coarsening_gap(pairs: Pairs, chosen: IntArray, unit: int) -> float:
    """Bound on the relative cost lost by counting costs in `unit` pence instead of pence."""
    if unit == 1 or chosen.size == 0:
        return 0.0
    total = float(pairs.cost_pence[chosen].sum())
    return min(1.0, chosen.size * unit / total) if total else 0.0


def _totals(instance: Instance, pairs: Pairs, chosen: IntArray) -> Totals:
    """Totals from unrounded distances, rounded once at the end (to the penny)."""
    children = instance.children
    placed = int(chosen.size)
    distance = float(np.sum(pairs.distance_km[chosen])) if placed else 0.0
    annual = int(pairs.annual_pence[chosen].sum()) / 100
    transport = round(instance.options.transport_cost_per_km * distance, 2)
    budget = instance.options.budget
    overspend = max(0.0, round(annual - budget, 2)) if budget is not None else 0.0
    return Totals(
        children=len(children),
        placed=placed,
        unplaced=len(children) - placed,
        preferences_requested=sum(1 for c in children if c.preferences),
        preferences_honoured=int(pairs.preferred[chosen].sum()),
        annual_cost=annual,
        transport_cost=transport,
        total_cost=round(annual + transport, 2),
        distance_km=round(distance, 3) if math.isfinite(distance) else 0.0,
        budget=budget,
        overspend=overspend,
    )
