"""The answer at the deadline when the exact flow has not finished, and its proven gap.

**The placement** is the lexicographically best (most children placed, then least arc cost
`lex`) of the candidates there is time for, each checked against a pessimistic time estimate:

1. greedy (always; 0.3–0.6 s at 100,000 children): children most constrained first (fewest
   admissible pairs), each to its least-`lex` pair with a place left — a listed preference first
   when preferences count, then the least cost. Taking scarce children first places more than
   the officer's list order; choosing by the engine's own arc costs keeps the explanations true.
2. a maximum flow (`SimpleMaxFlow`, ~1 s at 100,000 children on an idle machine, 9 s on a busy
   one): the exact level-1 bound, and a placement of that many children;
3. the exact lexicographic flow over a pruned network — each child's `PRUNED_PAIRS_PER_CHILD`
   cheapest pairs plus every pair the greedy and the maximum flow used, so it too places the
   most children (0.45M arcs instead of 10.9M at 100,000 children).
Steps 2 and 3 run in forked children killed at the deadline (`timebox.run_by_deadline`), as the
full flow does (the maximum flow's placement is descended here while step 3 runs): on a busy machine they took 9 s and 6 s at 100,000 children, ten times the
estimates, so no estimate is trusted to keep an uninterruptible call inside the limit.
Candidates 2–3 are `descend`ed (children moved to a cheaper pair with a place left until none
can be), so no free place is ever cheaper than a child's own: every `why_not`, refusal ground
and unplaced reason holds for the fallback as it does for the exact flow.

**The gap** is the relative gap on the first lexicographic level the placement does not prove:

- level 1, children placed: (U − placed) / U with U the maximum flow when there was time for it,
  else min(children with an admissible pair, Σ over provisions of min(capacity, children
  admissible there)) — both upper bounds on what any answer can place;
- level 2 (only with a budget — the engine calls the fallback only without one, but the gap stays
  valid either way) once level 1 is proven: the overspend against the trivial lower bound 0, i.e.
  gap 1 when over budget;
- level 3 (preferences, when they count): (U − honoured) / U with U a maximum flow over the
  preferred pairs alone, an upper bound on the preferences any answer can honour;
- level 4, cost: (cost − L) / cost with L the sum of the `placed` smallest per-child cheapest
  pair costs — every answer placing that many children pays at least that much.

A gap of 0 at every level proves the placement optimal after all (then `status: optimal`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow

from send_matching.solver.model import Instance
from send_matching.solver.network import INT64_MAX, Network, build_network, solve_min_cost_max_flow
from send_matching.solver.pairs import BoolArray, Indexed, IntArray, Pairs, subset_pairs, to_pence
from send_matching.solver.timebox import flow_estimate, run_by_deadline, start_by_deadline

# Pessimistic: SimpleMaxFlow measured 0.1 µs per arc (1.0 s for 10.9M arcs, adding them included).
MAX_FLOW_SECONDS_PER_ARC = 2.5e-7
PRUNED_PAIRS_PER_CHILD = 4


@dataclass(frozen=True, slots=True)
class Fallback:
    chosen: IntArray  # indices into the pairs, sorted
    gap: float
    level: int  # the lexicographic level the gap is measured on (1–4)
    placed_bound: int  # upper bound on the children any answer can place
    placed_bound_exact: bool  # the maximum flow itself
    engine: str  # which candidate: "greedy", "max_flow+descent" or "pruned_min_cost_flow+descent"


def lex_order(pairs: Pairs, lex: IntArray) -> IntArray:
    """Pair positions by child, then lex cost, then pair order (stable).

    One stable sort of child·(max lex + 1) + lex when that fits in int64: 0.4 s at 10.8M pairs,
    where `np.lexsort` on the two keys takes 3 s.
    """
    if lex.size == 0:
        return np.zeros(0, dtype=np.int64)
    span = int(lex.max()) + 1
    if int(lex.min()) >= 0 and (int(pairs.child[-1]) + 1) * span < INT64_MAX:
        order: IntArray = np.argsort(pairs.child * span + lex, kind="stable")
    else:
        order = np.lexsort((lex, pairs.child))
    return order


def greedy_placement(instance: Instance, ix: Indexed, pairs: Pairs, by_lex: IntArray) -> IntArray:
    """Most constrained child first, each to its least-`lex` pair with a place left.

    Vectorised in rounds rather than child by child (a Python loop over 100,000 children took
    seconds): every child still looking points at its best pair not yet known to be full; at
    each provision (and each capped need there) the proposers are taken in priority order while
    places last; a child moves on only once its pair is full. So a child's better pairs are all
    full at the end, and an unplaced child's pairs are all full: what the explanations say.
    """
    n_children, n_prov, n_needs = len(instance.children), len(instance.provisions), len(ix.needs)
    if pairs.child.size == 0:
        return np.zeros(0, dtype=np.int64)
    start, end = pairs.child_start[:-1], pairs.child_start[1:]
    degree = end - start
    priority = np.empty(n_children, dtype=np.int64)
    priority[np.lexsort((np.arange(n_children), degree))] = np.arange(n_children)

    free = ix.prov_capacity.copy()
    need_free = _need_places(instance, ix)

    pointer = start.copy()
    active = np.flatnonzero(degree > 0)
    chosen: list[IntArray] = []
    while active.size:
        # Skip pairs already full, without sorting.
        while active.size:
            k = by_lex[pointer[active]]
            slot = pairs.provision[k] * n_needs + ix.child_need[active]
            full = (free[pairs.provision[k]] <= 0) | (need_free[slot] <= 0)
            if not full.any():
                break
            pointer[active[full]] += 1
            active = active[pointer[active] < end[active]]
        if active.size == 0:
            break
        k = by_lex[pointer[active]]
        j = pairs.provision[k]
        slot = j * n_needs + ix.child_need[active]
        rank = priority[active]
        passed = _first_in_group(slot, rank, need_free)
        taken = passed[_first_in_group(j[passed], rank[passed], free)]
        free -= np.bincount(j[taken], minlength=n_prov)
        need_free -= np.bincount(slot[taken], minlength=n_prov * n_needs)
        chosen.append(k[taken])
        left = np.ones(active.size, dtype=bool)
        left[taken] = False
        active = active[left]  # the rest look again; full pairs are skipped above
    if not chosen:
        return np.zeros(0, dtype=np.int64)
    result: IntArray = np.sort(np.concatenate(chosen))
    return result


def _first_in_group(group: IntArray, rank: IntArray, places: IntArray) -> IntArray:
    """Positions whose rank within their group (least first) is below that group's places."""
    order = np.lexsort((rank, group))
    grouped = group[order]
    first = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    sizes = np.diff(np.r_[first, grouped.size])
    within = np.arange(grouped.size) - np.repeat(first, sizes)
    result: IntArray = order[within < places[grouped]]
    return result


def max_flow_pairs(net: Network) -> IntArray:
    """The pairs a maximum flow uses: the most children any answer can place (level 1's optimum)."""
    if net.pair_arcs == 0:
        return np.zeros(0, dtype=np.int64)
    smf = max_flow.SimpleMaxFlow()
    smf.add_arcs_with_capacity(net.tails, net.heads, net.capacities)
    if smf.solve(net.source, net.sink) != smf.OPTIMAL:
        raise RuntimeError("max flow did not finish")
    flows = smf.flows(np.arange(net.pair_arcs, dtype=np.int64))
    result: IntArray = np.flatnonzero(flows > 0).astype(np.int64)
    return result


def pruned_flow(
    instance: Instance, ix: Indexed, pairs: Pairs, lex: IntArray, keep: BoolArray
) -> IntArray:
    """The exact lexicographic flow over the kept pairs only (indices into all the pairs)."""
    sub, positions = subset_pairs(pairs, keep)
    chosen, _ = solve_min_cost_max_flow(build_network(instance, ix, sub), lex[positions])
    result: IntArray = positions[chosen]
    return result


def cheapest_per_child(pairs: Pairs, by_lex: IntArray, k: int) -> BoolArray:
    """Each child's k pairs of least lex cost."""
    rank = np.empty(by_lex.size, dtype=np.int64)
    rank[by_lex] = np.arange(by_lex.size) - pairs.child_start[pairs.child[by_lex]]
    keep: BoolArray = rank < k
    return keep


def descend(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    lex: IntArray,
    chosen: IntArray,
    *,
    deadline: float,
) -> IntArray | None:
    """Move placed children to a pair of lower lex cost that still has a place, until none has.

    Each move lowers the total lex cost and keeps every child placed. Afterwards a provision with
    a place left is never better for a child than its own: the explanations' `higher_total_cost`
    and `parental_preference` hold, as they do for the exact flow. None if the deadline comes
    first (the explanations could then be wrong, so the half-descended placement is not used).
    """
    if time.perf_counter() > deadline:
        return None
    n_children, n_prov, n_needs = len(instance.children), len(instance.provisions), len(ix.needs)
    current = np.full(n_children, -1, dtype=np.int64)
    current[pairs.child[chosen]] = chosen
    free = ix.prov_capacity - np.bincount(pairs.provision[chosen], minlength=n_prov)
    need_free = _need_places(instance, ix) - np.bincount(
        pairs.provision[chosen] * n_needs + ix.child_need[pairs.child[chosen]],
        minlength=n_prov * n_needs,
    )
    own = current[pairs.child]
    candidates = np.flatnonzero((own >= 0) & (lex < lex[np.maximum(own, 0)]))
    while candidates.size:
        if time.perf_counter() > deadline:
            return None
        child = pairs.child[candidates]
        candidates = candidates[lex[candidates] < lex[current[child]]]  # own lex only falls
        prov = pairs.provision[candidates]
        slot = prov * n_needs + ix.child_need[pairs.child[candidates]]
        moves = candidates[(free[prov] > 0) & (need_free[slot] > 0)]
        if moves.size == 0:
            break
        moves = moves[np.lexsort((lex[moves], pairs.child[moves]))]
        first = np.r_[True, pairs.child[moves][1:] != pairs.child[moves][:-1]]
        moves = moves[first]  # each child's best open pair
        move_slot = pairs.provision[moves] * n_needs + ix.child_need[pairs.child[moves]]
        passed = moves[_first_in_group(move_slot, pairs.child[moves], need_free)]
        taken = passed[_first_in_group(pairs.provision[passed], pairs.child[passed], free)]
        old = current[pairs.child[taken]]
        slots = n_prov * n_needs
        free += np.bincount(pairs.provision[old], minlength=n_prov)
        free -= np.bincount(pairs.provision[taken], minlength=n_prov)
        need_free += np.bincount(
            pairs.provision[old] * n_needs + ix.child_need[pairs.child[old]], minlength=slots
        )
        need_free -= np.bincount(
            pairs.provision[taken] * n_needs + ix.child_need[pairs.child[taken]], minlength=slots
        )
        current[pairs.child[taken]] = taken
    result: IntArray = np.sort(current[current >= 0])
    return result


def _need_places(instance: Instance, ix: Indexed) -> IntArray:
    """Per (provision, need) slot: its cap, or more than can ever be placed when uncapped."""
    n_needs = len(ix.needs)
    places = np.full(len(instance.provisions) * n_needs, len(instance.children) + 1, np.int64)
    need_position = {n: i for i, n in enumerate(ix.needs)}
    for q, p in enumerate(instance.provisions):
        for need, cap in p.capacity_by_need.items():
            if need in need_position:
                places[q * n_needs + need_position[need]] = cap
    return places


def most_honourable(instance: Instance, ix: Indexed, pairs: Pairs) -> int:
    """The most preferences any answer can honour: a maximum flow over the preferred pairs."""
    if not pairs.preferred.any():
        return 0
    sub, _ = subset_pairs(pairs, pairs.preferred)
    return int(max_flow_pairs(build_network(instance, ix, sub)).size)


def placeable_bound(ix: Indexed, pairs: Pairs) -> int:
    """min(children with an admissible pair, Σ_p min(capacity, children admissible at p))."""
    children = int(np.count_nonzero(np.diff(pairs.child_start)))
    admissible_at = np.bincount(pairs.provision, minlength=ix.prov_capacity.size)
    return min(children, int(np.minimum(ix.prov_capacity, admissible_at).sum()))


def least_cost_bound(pairs: Pairs, placed: int) -> int:
    """Σ of the `placed` smallest per-child cheapest pair costs (pence)."""
    if placed == 0:
        return 0
    has_pairs = np.diff(pairs.child_start) > 0
    cheapest = np.minimum.reduceat(pairs.cost_pence, pairs.child_start[:-1][has_pairs])
    return int(np.sort(cheapest)[:placed].sum())


def fallback(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    net: Network,
    lex: IntArray,
    *,
    deadline: float,
) -> Fallback:
    """The best of the candidates there is time for, and its proven gap.

    1. The greedy placement (always, in-process).
    2. A maximum flow (`SimpleMaxFlow`) in a forked child, if it ends by the deadline: the exact
       level-1 bound, and a placement of that many children, `descend`ed here while 3 runs.
    3. The exact lexicographic flow over a pruned network — each child's
       `PRUNED_PAIRS_PER_CHILD` cheapest pairs plus every pair the greedy and the maximum flow
       used, so it too places the most children — in a forked child; `descend`ed.
    The lexicographically best (most placed, then least lex cost) is answered. A descent cut
    short by the deadline is dropped (its explanations might not hold).
    """
    by_lex = lex_order(pairs, lex)
    best = greedy_placement(instance, ix, pairs, by_lex)
    engine = "greedy"
    bound, exact = placeable_bound(ix, pairs), False

    most = None
    if best.size < bound:
        estimate = MAX_FLOW_SECONDS_PER_ARC * net.tails.size
        most = run_by_deadline(max_flow_pairs, net, deadline=deadline, estimate=estimate)
    if most is not None:
        bound, exact = int(most.size), True
        if best.size < bound:
            keep = cheapest_per_child(pairs, by_lex, PRUNED_PAIRS_PER_CHILD)
            keep[best] = True
            keep[most] = True
            estimate = flow_estimate(int(keep.sum()) + net.tails.size - net.pair_arcs)
            pending = start_by_deadline(
                pruned_flow, instance, ix, pairs, lex, keep, deadline=deadline, estimate=estimate
            )
            try:
                # Meanwhile, here: the maximum flow's placement made cheaper — a safe second best.
                improved = descend(instance, ix, pairs, lex, most, deadline=deadline)
                if improved is not None and _lex_better(improved, best, lex):
                    best, engine = improved, "max_flow+descent"
                pruned = pending.result_by(deadline)
            finally:
                pending.stop()
            if pruned is not None:
                improved = descend(instance, ix, pairs, lex, pruned, deadline=deadline)
                if improved is not None and _lex_better(improved, best, lex):
                    best, engine = improved, "pruned_min_cost_flow+descent"
    gap, level = lexicographic_gap(instance, ix, pairs, best, bound)
    return Fallback(
        chosen=best,
        gap=gap,
        level=level,
        placed_bound=bound,
        placed_bound_exact=exact,
        engine=engine,
    )


def _lex_better(a: IntArray, b: IntArray, lex: IntArray) -> bool:
    if a.size != b.size:
        return a.size > b.size
    return int(lex[a].sum()) < int(lex[b].sum())


def lexicographic_gap(
    instance: Instance, ix: Indexed, pairs: Pairs, chosen: IntArray, placed_bound: int
) -> tuple[float, int]:
    """(relative gap, level) on the first level `chosen` does not prove optimal."""
    placed = int(chosen.size)
    if placed < placed_bound:
        return (placed_bound - placed) / placed_bound, 1
    budget = instance.options.budget
    if budget is not None and int(pairs.annual_pence[chosen].sum()) > to_pence(budget):
        return 1.0, 2
    if instance.options.honour_preferences:
        honourable = most_honourable(instance, ix, pairs)
        honoured = int(pairs.preferred[chosen].sum())
        if honoured < honourable:
            return (honourable - honoured) / honourable, 3
    cost = int(pairs.cost_pence[chosen].sum())
    least = least_cost_bound(pairs, placed)
    if cost > least:
        return (cost - least) / cost, 4
    return 0.0, 4
