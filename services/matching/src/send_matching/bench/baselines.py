"""The methods the engine is measured against, all on the engine's own admissible pairs.

Each returns the chosen pairs (indices into `Pairs`) and, where the method has one, a proven gap.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from send_matching.solver.mip import solve_stage
from send_matching.solver.model import Instance
from send_matching.solver.network import Network
from send_matching.solver.pairs import Indexed, IntArray, Pairs


@dataclass(frozen=True, slots=True)
class Outcome:
    chosen: IntArray
    gap: float | None = None
    note: str = ""


def greedy_nearest(instance: Instance, ix: Indexed, pairs: Pairs) -> Outcome:
    """The officer by hand: children in list order; a preference if it has a place, else nearest."""
    free = ix.prov_capacity.copy()
    need_free = {
        (j, need): cap
        for j, p in enumerate(instance.provisions)
        for need, cap in p.capacity_by_need.items()
    }
    needs = ix.needs
    chosen: list[int] = []
    starts = pairs.child_start.tolist()
    provision = pairs.provision.tolist()
    preferred = pairs.preferred.tolist()
    for i in range(len(instance.children)):
        need = needs[int(ix.child_need[i])]
        span = range(starts[i], starts[i + 1])
        for k in [k for k in span if preferred[k]] + [k for k in span if not preferred[k]]:
            j = provision[k]
            key = (j, need)
            if free[j] > 0 and need_free.get(key, 1) > 0:
                free[j] -= 1
                if key in need_free:
                    need_free[key] -= 1
                chosen.append(k)
                break
    return Outcome(np.array(chosen, dtype=np.int64))


def deferred_acceptance(instance: Instance, ix: Indexed, pairs: Pairs) -> Outcome:
    """Child-proposing deferred acceptance (the `matching` package's hospital–resident game).

    Children rank their preferences first, then by distance; provisions rank children by distance.
    The game has no per-need caps: children over a cap are then dropped, farthest first.
    """
    import sys

    from matching.games import HospitalResident

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20 * len(instance.children) + 10_000))

    children = [c.id for c in instance.children]
    provisions = [p.id for p in instance.provisions]
    resident_prefs: dict[str, list[str]] = {}
    for i, cid in enumerate(children):
        span = np.arange(pairs.child_start[i], pairs.child_start[i + 1])
        if span.size == 0:
            continue
        order = span[np.lexsort((pairs.distance_km[span], ~pairs.preferred[span]))]
        resident_prefs[cid] = [provisions[int(j)] for j in pairs.provision[order]]
    by_provision = np.lexsort((pairs.distance_km, pairs.provision))
    hospital_prefs: dict[str, list[str]] = {pid: [] for pid in provisions}
    for k in by_provision.tolist():
        hospital_prefs[provisions[int(pairs.provision[k])]].append(children[int(pairs.child[k])])
    capacities = {pid: int(c) for pid, c in zip(provisions, ix.prov_capacity, strict=True)}
    game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
    matching = game.solve(optimal="resident")

    pair_of = {
        (int(c), int(p)): k
        for k, (c, p) in enumerate(zip(pairs.child.tolist(), pairs.provision.tolist(), strict=True))
    }
    child_pos = {cid: i for i, cid in enumerate(children)}
    prov_pos = {pid: j for j, pid in enumerate(provisions)}
    chosen: list[int] = []
    dropped = 0
    for hospital, residents in matching.items():
        j = prov_pos[hospital.name]
        caps = dict(instance.provisions[j].capacity_by_need)
        ks = sorted(
            (pair_of[(child_pos[r.name], j)] for r in residents),
            key=lambda k: pairs.distance_km[k],
        )
        for k in ks:
            need = instance.children[int(pairs.child[k])].need
            if need in caps:
                if caps[need] == 0:
                    dropped += 1
                    continue
                caps[need] -= 1
            chosen.append(k)
    note = f"{dropped} dropped over per-need caps" if dropped else ""
    return Outcome(np.array(sorted(chosen), dtype=np.int64), note=note)


def highs_mip(instance: Instance, ix: Indexed, pairs: Pairs, *, time_limit_s: float) -> Outcome:
    """The lexicographic objective as three MIPs in HiGHS over every pair, sharing a time limit."""
    deadline = time.perf_counter() + time_limit_s
    n = pairs.child.size
    none_placed = np.zeros(0, dtype=np.int64)
    unproven: list[str] = []
    stage = solve_stage(
        instance,
        ix,
        pairs,
        objective=-np.ones(n),
        placed=None,
        annual_cap_pence=None,
        start=none_placed,
        min_preferences=None,
        deadline=deadline - 2 * time_limit_s / 3,
    )
    placed = int(stage.chosen.size)
    if not stage.proven:
        unproven.append("placements")
    stage = solve_stage(
        instance,
        ix,
        pairs,
        objective=-pairs.preferred.astype(np.float64),
        placed=placed,
        annual_cap_pence=None,
        start=stage.chosen,
        min_preferences=None,
        deadline=deadline - time_limit_s / 3,
    )
    honoured = int(pairs.preferred[stage.chosen].sum())
    if not stage.proven:
        unproven.append("preferences")
    stage = solve_stage(
        instance,
        ix,
        pairs,
        objective=pairs.cost_pence / 100.0,
        placed=placed,
        annual_cap_pence=None,
        start=stage.chosen,
        min_preferences=honoured,
        deadline=deadline,
    )
    if not stage.proven:
        unproven.append("cost")
    gap = (stage.objective - stage.bound) / stage.objective if stage.objective else 0.0
    note = f"time limit; not proven: {', '.join(unproven)}" if unproven else ""
    # A gap on cost alone says nothing when placements or preferences were not proven.
    earlier_unproven = any(level != "cost" for level in unproven)
    return Outcome(stage.chosen, gap=None if earlier_unproven else max(0.0, gap), note=note)


def raw_min_cost_flow(net: Network, costs: IntArray) -> tuple[IntArray, float]:
    """SimpleMinCostFlow alone on prebuilt arrays: the physical limit of the method."""
    started = time.perf_counter()
    all_costs = np.zeros(net.tails.size, dtype=np.int64)
    all_costs[: net.pair_arcs] = costs
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.capacities, all_costs)
    smcf.set_node_supply(net.source, net.supply)
    smcf.set_node_supply(net.sink, -net.supply)
    smcf.solve_max_flow_with_min_cost()
    flows = smcf.flows(np.arange(net.pair_arcs, dtype=np.int64))
    chosen = np.flatnonzero(flows > 0).astype(np.int64)
    return chosen, time.perf_counter() - started
