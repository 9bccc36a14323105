"""The placement network and its min-cost max-flow solve (OR-Tools SimpleMinCostFlow).

Nodes: source, sink, one per child, one per provision, and one per (provision, need) that has a
per-need cap. Arcs: source→child (1), child→provision or child→(provision, need) (1, the pair's
cost), (provision, need)→provision (the cap), provision→sink (the capacity).

`solve_max_flow_with_min_cost` first fixes the flow at its maximum — the most children that can be
placed, objective level 1, exactly and with no weight at all — and then minimises the arc costs
among maximum flows. Levels 3 and 4 are folded into one integer arc cost by `lexicographic_costs`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from send_matching.solver.model import Instance
from send_matching.solver.pairs import Indexed, IntArray, Pairs

INT64_MAX = (1 << 63) - 1


class CostRangeError(ValueError):
    """The integer costs would overflow OR-Tools' int64 arithmetic."""


@dataclass(frozen=True, slots=True)
class Network:
    tails: IntArray
    heads: IntArray
    capacities: IntArray
    pair_arcs: int  # the first `pair_arcs` arcs are the pairs, in pair order
    num_nodes: int
    source: int
    sink: int
    supply: int


def build_network(instance: Instance, ix: Indexed, pairs: Pairs) -> Network:
    n_children = len(instance.children)
    n_prov = len(instance.provisions)
    source, sink = 0, 1
    child_node0 = 2
    prov_node0 = child_node0 + n_children
    next_node = prov_node0 + n_prov

    need_node: dict[tuple[int, int], int] = {}
    cap_tails: list[int] = []
    cap_caps: list[int] = []
    need_position = {n: i for i, n in enumerate(ix.needs)}
    for j, p in enumerate(instance.provisions):
        for need, cap in sorted(p.capacity_by_need.items()):
            if need not in need_position:
                continue  # no child has this need: the cap cannot bind
            need_node[(j, need_position[need])] = next_node
            cap_tails.append(next_node)
            cap_caps.append(cap)
            next_node += 1
    cap_heads = [prov_node0 + j for (j, _), _node in need_node.items()]

    heads = prov_node0 + pairs.provision
    if need_node:
        table = np.full(n_prov * len(ix.needs), -1, dtype=np.int64)
        for (j, n), node in need_node.items():
            table[j * len(ix.needs) + n] = node
        capped = table[pairs.provision * len(ix.needs) + ix.child_need[pairs.child]]
        heads = np.where(capped >= 0, capped, heads)

    placeable = np.flatnonzero(np.diff(pairs.child_start) > 0).astype(np.int64)  # sorted, unique
    tails = np.concatenate(
        [
            child_node0 + pairs.child,
            np.full(placeable.size, source, dtype=np.int64),
            np.array(cap_tails, dtype=np.int64),
            prov_node0 + np.arange(n_prov, dtype=np.int64),
        ]
    )
    heads_all = np.concatenate(
        [
            heads,
            child_node0 + placeable,
            np.array(cap_heads, dtype=np.int64),
            np.full(n_prov, sink, dtype=np.int64),
        ]
    )
    capacities = np.concatenate(
        [
            np.ones(pairs.child.size + placeable.size, dtype=np.int64),
            np.array(cap_caps, dtype=np.int64),
            ix.prov_capacity,
        ]
    )
    return Network(
        tails=tails,
        heads=heads_all,
        capacities=capacities,
        pair_arcs=int(pairs.child.size),
        num_nodes=next_node,
        source=source,
        sink=sink,
        supply=int(placeable.size),
    )


def solve_min_cost_max_flow(net: Network, pair_costs: IntArray) -> tuple[IntArray, int]:
    """Chosen pairs (indices into the pairs) of a min-cost maximum flow, and its cost."""
    if net.pair_arcs == 0:
        return np.zeros(0, dtype=np.int64), 0
    largest = int(np.abs(pair_costs).max())
    # OR-Tools' cost scaling multiplies unit costs by about the node count; stay clear of int64.
    if largest > 0 and largest > INT64_MAX // (4 * (net.num_nodes + 1)):
        raise CostRangeError(f"arc cost {largest} too large for {net.num_nodes} nodes")
    costs = np.zeros(net.tails.size, dtype=np.int64)
    costs[: net.pair_arcs] = pair_costs
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.capacities, costs)
    smcf.set_node_supply(net.source, net.supply)
    smcf.set_node_supply(net.sink, -net.supply)
    status = smcf.solve_max_flow_with_min_cost()
    if status != smcf.OPTIMAL:
        raise CostRangeError(f"min-cost flow ended with status {status}")
    flows = smcf.flows(np.arange(net.pair_arcs, dtype=np.int64))
    return np.flatnonzero(flows > 0).astype(np.int64), int(smcf.optimal_cost())


@dataclass(frozen=True, slots=True)
class Weights:
    preference: int  # added to every arc that does not honour a preference
    cost_unit: int  # pence per cost unit; 1 unless the instance is too large to be exact


def lexicographic_weights(
    pairs: Pairs, *, max_placed: int, honour_preferences: bool, num_nodes: int
) -> Weights:
    """Weights that make one integer cost order solutions exactly as levels 3 then 4 do.

    Among maximum flows every solution places the same K children, so its arc-cost sum is
    P·(K − H) + C with H the preferences honoured and C the total cost in pence, 0 ≤ C ≤ K·Cmax.
    With P = K·Cmax + 1, a solution honouring one more preference saves P and can lose at most
    K·Cmax < P in cost, so the minimum honours the most preferences and, among those, costs least.
    Overflow: the largest arc cost is P + Cmax = (K + 1)·Cmax + 1 and the optimum's total at most
    K·(P + Cmax); OR-Tools also scales unit costs by about the node count n. For K = 100,000
    children, n ≈ 120,000 and Cmax ≈ £200k = 2·10^7 pence: arc cost ≈ 2·10^12, times n ≈ 2.4·10^17,
    well below 9.2·10^18. When an instance would still overflow (no travel limit, huge fees),
    costs are counted in coarser units (`cost_unit` > 1) and the proposal says it is not proven.
    """
    if pairs.cost_pence.size == 0:
        return Weights(preference=0, cost_unit=1)
    unit = 1
    while True:
        cmax = int(pairs.cost_pence.max()) // unit + 1
        preference = max_placed * cmax + 1 if honour_preferences else 0
        if (preference + cmax) <= INT64_MAX // (4 * (num_nodes + 1) * 2):
            return Weights(preference=preference, cost_unit=unit)
        unit *= 10


def lexicographic_costs(pairs: Pairs, weights: Weights) -> IntArray:
    costs = pairs.cost_pence
    if weights.cost_unit > 1:
        costs = (costs + weights.cost_unit // 2) // weights.cost_unit
    if weights.preference:
        costs = costs + np.where(pairs.preferred, 0, weights.preference)
    result: IntArray = costs.astype(np.int64)
    return result
