"""propose(): the whole solve, from an instance to an explained proposal.

`time_limit_s` counts from the start of `propose` (building the pairs included). With a budget
the flows come first, whole and in-process as before, and the budget search bounds its own steps
(`budget`). Without a budget the exact min-cost max-flow is solved in-process when it surely fits
in the time left, else in a forked child (`timebox`). The child runs alone for the first half of
the time left (`FLOW_ALONE_SHARE`): building the fallback beside it on 2 busy cores slowed the
exact flow, which usually finishes there. Only then does this process build the fallback and its
bound (`fallback`); at the deadline the child is killed and the fallback answered: `feasible`,
`time_limit_reached`, and a proven gap on the first level it does not prove.

After the deadline only the explanations and totals are built, and the flow's deadline keeps time
for them (`EXPLAIN_SECONDS_PER_CHILD`, at most half the limit). The margin over `time_limit_s` is
then the error of that estimate, the last `descend` round, and killing and reaping the children
(< 0.1 s at 2,000 children; 0.3–0.4 s each at 100,000 on busy cores). Measured overruns on busy
cores: 0.1–0.25 s at 2,000 children; 0.3–1.5 s at 20,000 and 100,000 when the pairs were built
within the limit — plus serialisation over HTTP. Not bounded: building the pairs (2–3 s at
100,000 children on an idle machine, 8–17 s on busy cores); when that alone outlasts the limit,
the greedy answer comes straight after it.
"""

from __future__ import annotations

import math
import time

import numpy as np

from send_matching.solver.budget import solve_with_budget
from send_matching.solver.explain import explain_assignments, explain_refusals, explain_unplaced
from send_matching.solver.fallback import Fallback, fallback
from send_matching.solver.model import Instance, Proposal, SolverInfo, Status, Totals
from send_matching.solver.network import (
    Network,
    build_network,
    lexicographic_costs,
    lexicographic_weights,
    solve_min_cost_max_flow,
)
from send_matching.solver.pairs import (
    Indexed,
    IntArray,
    Pairs,
    build_pairs,
    index_instance,
    to_pence,
)
from send_matching.solver.placement import make_placement
from send_matching.solver.timebox import FlowProcess, in_process

ENGINE_FLOW = "min_cost_flow"
ENGINE_BUDGET = "min_cost_flow+highs_mip"
# When the flow is stopped at the time limit the engine names the fallback's candidate answered:
# "greedy", "max_flow+descent" or "pruned_min_cost_flow+descent" (see `fallback`).
# After the solve, explanations and totals take 10–30 µs per child (measured 2.7 s at 100,000
# children on busy cores): the flow's deadline keeps that much of the limit for them, up to half.
EXPLAIN_SECONDS_PER_CHILD = 2.5e-5
# Share of the time left in which the forked exact flow runs alone before the fallback starts.
FLOW_ALONE_SHARE = 0.5


def propose(instance: Instance, *, phases: dict[str, float] | None = None) -> Proposal:
    """The explained proposal; `phases`, if given, receives the seconds spent in each phase."""
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
    timings = {"pairs": flow_started - started}
    reserve = EXPLAIN_SECONDS_PER_CHILD * len(instance.children)
    solve_deadline = deadline - min(reserve, 0.5 * instance.options.time_limit_s)
    exact: IntArray | Fallback
    if instance.options.budget is None:
        exact = _exact_or_fallback(instance, ix, pairs, net, lex, solve_deadline)
    else:  # the budget search needs this flow's placements; it bounds its own steps by time
        exact = solve_min_cost_max_flow(net, lex)[0]
    flow_seconds = time.perf_counter() - flow_started
    cap_pence: int | None = None
    budget = instance.options.budget
    if budget is not None:
        cap_pence = to_pence(budget)
    if isinstance(exact, Fallback):
        chosen, gap, proven, timed_out = exact.chosen, exact.gap, True, True
        engine = exact.engine
    else:
        chosen = exact
        engine = ENGINE_FLOW
        gap = _coarsening_gap(pairs, chosen, weights.cost_unit)
        proven = weights.cost_unit == 1
        timed_out = False

    if cap_pence is not None and int(pairs.annual_pence[chosen].sum()) > cap_pence:
        budget_pence = cap_pence
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

    explain_started = time.perf_counter()
    timings["flow"] = explain_started - flow_started
    chosen = np.sort(chosen)
    placement = make_placement(instance, ix, pairs, chosen)
    annual_pence = int(pairs.annual_pence[chosen].sum())
    proposal_status = Status.OPTIMAL if proven and gap == 0.0 else Status.FEASIBLE
    refusals = explain_refusals(
        instance, ix, pairs, placement, budget_cap_pence=cap_pence, annual_pence=annual_pence
    )
    assignments = explain_assignments(instance, ix, pairs, placement, refusals)
    unplaced = explain_unplaced(instance, ix, pairs, placement)
    totals = _totals(instance, pairs, chosen)
    timings["explanations"] = time.perf_counter() - explain_started
    if phases is not None:
        phases.update(timings)
    return Proposal(
        status=proposal_status,
        assignments=assignments,
        unplaced=unplaced,
        preferences_not_honoured=refusals,
        totals=totals,
        solver=SolverInfo(
            engine=engine,
            seconds=round(time.perf_counter() - started, 3),
            gap=gap,
            time_limit_reached=timed_out,
        ),
    )


def _exact_or_fallback(
    instance: Instance, ix: Indexed, pairs: Pairs, net: Network, lex: IntArray, deadline: float
) -> IntArray | Fallback:
    """The exact flow's chosen pairs, or the greedy fallback if the deadline comes first."""
    if deadline > time.perf_counter() and in_process(net, deadline):
        return solve_min_cost_max_flow(net, lex)[0]
    if deadline <= time.perf_counter():
        return fallback(instance, ix, pairs, net, lex, deadline=deadline)
    flow = FlowProcess(net, lex)
    backup: Fallback | None = None
    try:
        # The flow alone first: on 2 busy cores a fallback built beside it slowed it by half.
        started = time.perf_counter()
        if not flow.ready_by(started + FLOW_ALONE_SHARE * (deadline - started)):
            backup = fallback(instance, ix, pairs, net, lex, deadline=deadline)  # meanwhile
        solved = flow.result_by(deadline)
    finally:
        flow.stop()
    if solved is not None:
        return solved[0]
    return (
        backup if backup is not None else fallback(instance, ix, pairs, net, lex, deadline=deadline)
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
