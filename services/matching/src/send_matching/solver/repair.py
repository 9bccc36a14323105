"""A quick local improvement for the budget case: move children to a school their family named.

Used on whatever answer the search holds, so that even an answer cut short by the time limit
honours every preference that still fits under the cap. Each move keeps everyone placed, keeps
capacities and per-need caps, and never honours fewer preferences.
"""

from __future__ import annotations

import numpy as np

from send_matching.solver.model import Instance
from send_matching.solver.pairs import Indexed, IntArray, Pairs


def honour_more_preferences(
    instance: Instance, ix: Indexed, pairs: Pairs, chosen: IntArray, *, cap_pence: int
) -> IntArray:
    n_children = len(instance.children)
    at = np.full(n_children, -1, dtype=np.int64)
    at[pairs.child[chosen]] = chosen
    load = np.bincount(pairs.provision[chosen], minlength=len(instance.provisions))
    need_of = ix.child_need
    caps = {
        (j, ix.needs.index(need)): cap
        for j, p in enumerate(instance.provisions)
        for need, cap in p.capacity_by_need.items()
        if need in ix.needs
    }
    need_load: dict[tuple[int, int], int] = {}
    for k in chosen.tolist():
        key = (int(pairs.provision[k]), int(need_of[pairs.child[k]]))
        if key in caps:
            need_load[key] = need_load.get(key, 0) + 1
    spent = int(pairs.annual_pence[chosen].sum())

    placed_child = at[pairs.child] >= 0
    current = np.where(placed_child, at[pairs.child], 0)
    candidates = np.flatnonzero(pairs.preferred & placed_child & ~pairs.preferred[current])
    extra = pairs.annual_pence[candidates] - pairs.annual_pence[current[candidates]]
    extra_cost = pairs.cost_pence[candidates] - pairs.cost_pence[current[candidates]]
    for k in candidates[np.lexsort((extra_cost, extra))].tolist():
        c = int(pairs.child[k])
        old = int(at[c])
        if pairs.preferred[old]:
            continue  # honoured by an earlier move
        q, p = int(pairs.provision[k]), int(pairs.provision[old])
        delta = int(pairs.annual_pence[k]) - int(pairs.annual_pence[old])
        if spent + delta > cap_pence or load[q] >= ix.prov_capacity[q]:
            continue
        need = int(need_of[c])
        if (q, need) in caps and need_load.get((q, need), 0) >= caps[(q, need)]:
            continue
        load[q] += 1
        load[p] -= 1
        if (q, need) in caps:
            need_load[(q, need)] = need_load.get((q, need), 0) + 1
        if (p, need) in caps:
            need_load[(p, need)] -= 1
        spent += delta
        at[c] = k
    result: IntArray = np.sort(at[at >= 0])
    return result
