"""A placement (who goes where) and the bookkeeping every explanation reads from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from send_matching.solver.model import Instance
from send_matching.solver.pairs import Indexed, IntArray, Pairs


@dataclass(frozen=True, slots=True)
class Placement:
    chosen_pair: IntArray  # per child: index into the pairs, or -1 when unplaced
    load: IntArray  # per provision: children placed there
    need_load: dict[tuple[int, int], int]  # (provision, need) → children, for capped needs only
    need_cap: dict[tuple[int, int], int]
    honoured_at: IntArray  # per provision: children placed there who asked for it

    def has_place_for(self, ix: Indexed, provision: int, child: int) -> bool:
        if self.load[provision] >= ix.prov_capacity[provision]:
            return False
        key = (provision, int(ix.child_need[child]))
        cap = self.need_cap.get(key)
        return cap is None or self.need_load.get(key, 0) < cap


def make_placement(instance: Instance, ix: Indexed, pairs: Pairs, chosen: IntArray) -> Placement:
    n_children, n_prov = len(instance.children), len(instance.provisions)
    chosen_pair = np.full(n_children, -1, dtype=np.int64)
    chosen_pair[pairs.child[chosen]] = chosen
    load = np.bincount(pairs.provision[chosen], minlength=n_prov).astype(np.int64)
    honoured = chosen[pairs.preferred[chosen]]
    honoured_at = np.bincount(pairs.provision[honoured], minlength=n_prov).astype(np.int64)

    need_position = {n: i for i, n in enumerate(ix.needs)}
    need_cap: dict[tuple[int, int], int] = {}
    for j, p in enumerate(instance.provisions):
        for need, cap in p.capacity_by_need.items():
            if need in need_position:
                need_cap[(j, need_position[need])] = cap
    need_load: dict[tuple[int, int], int] = {}
    if need_cap:
        for j, n in zip(
            pairs.provision[chosen].tolist(),
            ix.child_need[pairs.child[chosen]].tolist(),
            strict=True,
        ):
            if (j, n) in need_cap:
                need_load[(j, n)] = need_load.get((j, n), 0) + 1
    return Placement(
        chosen_pair=chosen_pair,
        load=load,
        need_load=need_load,
        need_cap=need_cap,
        honoured_at=honoured_at,
    )
