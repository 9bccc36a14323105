"""One method on one generated county, in its own process so its peak memory is its own.

`python -m send_matching.bench.run_one METHOD SIZE SEED [--budget-share 0.97]` prints one JSON line.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from typing import Any

import numpy as np

from send_matching.bench import baselines
from send_matching.bench.generator import generate_county
from send_matching.solver import propose
from send_matching.solver.model import Instance
from send_matching.solver.network import (
    build_network,
    lexicographic_costs,
    lexicographic_weights,
    solve_min_cost_max_flow,
)
from send_matching.solver.pairs import IntArray, Pairs, build_pairs, index_instance

MIP_TIME_LIMIT_S = 30.0
BUDGET_TIME_LIMIT_S = 10.0
LARGE_BUDGET_TIME_LIMIT_S = 60.0


def measure(method: str, size: int, seed: int, budget_share: float | None) -> dict[str, Any]:
    instance = generate_county(children=size, seed=seed)
    ix = index_instance(instance)
    pairs = build_pairs(instance, ix)
    result: dict[str, Any] = {"method": method, "size": size, "pairs": int(pairs.child.size)}

    if method == "engine":
        if budget_share is not None:
            # A budget that binds without forcing an overspend: `budget_share` of the way from
            # the least annual cost any maximum placement can have to the unconstrained optimum's.
            free = propose(instance).totals.annual_cost
            _, least_pence = solve_min_cost_max_flow(
                build_network(instance, ix, pairs), pairs.annual_pence
            )
            budget = round(least_pence / 100 + budget_share * (free - least_pence / 100))
            limit = BUDGET_TIME_LIMIT_S if size <= 2000 else LARGE_BUDGET_TIME_LIMIT_S
            options = dataclasses.replace(instance.options, budget=budget, time_limit_s=limit)
            instance = dataclasses.replace(instance, options=options)
            result["method"] = f"engine, budget {budget_share:.0%} (limit {limit:g} s)"
        started = time.perf_counter()
        proposal = propose(instance)
        result["seconds"] = time.perf_counter() - started
        result["gap"] = proposal.solver.gap
        result["note"] = proposal.status.value
        by_id = {c.id: i for i, c in enumerate(instance.children)}
        prov = {p.id: j for j, p in enumerate(instance.provisions)}
        wanted = {(by_id[a.child_id], prov[a.provision_id]) for a in proposal.assignments}
        chosen = np.array(
            [
                k
                for k, (c, p) in enumerate(
                    zip(pairs.child.tolist(), pairs.provision.tolist(), strict=True)
                )
                if (c, p) in wanted
            ],
            dtype=np.int64,
        )
    elif method == "raw_mcf":
        net = build_network(instance, ix, pairs)
        weights = lexicographic_weights(
            pairs,
            max_placed=min(net.supply, int(ix.prov_capacity.sum())),
            honour_preferences=True,
            num_nodes=net.num_nodes,
        )
        chosen, seconds = baselines.raw_min_cost_flow(net, lexicographic_costs(pairs, weights))
        result |= {"seconds": seconds, "gap": 0.0, "note": "arcs prebuilt; solve only"}
    else:
        started = time.perf_counter()
        if method == "greedy":
            outcome = baselines.greedy_nearest(instance, ix, pairs)
        elif method == "deferred_acceptance":
            outcome = baselines.deferred_acceptance(instance, ix, pairs)
        elif method == "highs_mip":
            outcome = baselines.highs_mip(instance, ix, pairs, time_limit_s=MIP_TIME_LIMIT_S)
        else:
            raise SystemExit(f"unknown method {method}")
        result["seconds"] = time.perf_counter() - started
        result["gap"] = outcome.gap
        result["note"] = outcome.note
        chosen = outcome.chosen
    return result | _quality(instance, pairs, chosen)


def _quality(instance: Instance, pairs: Pairs, chosen: IntArray) -> dict[str, Any]:
    distance = float(pairs.distance_km[chosen].sum())
    annual = int(pairs.annual_pence[chosen].sum()) / 100
    transport = round(instance.options.transport_cost_per_km * distance, 2)
    return {
        "children": len(instance.children),
        "placed": int(chosen.size),
        "preferences_requested": sum(1 for c in instance.children if c.preferences),
        "preferences_honoured": int(pairs.preferred[chosen].sum()),
        "annual_cost": annual,
        "total_cost": round(annual + transport, 2),
        "distance_km": round(distance, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("method")
    parser.add_argument("size", type=int)
    parser.add_argument("seed", type=int)
    parser.add_argument(
        "--budget-share",
        type=float,
        default=None,
        help="budget this share of the way from the least to the unconstrained annual cost",
    )
    args = parser.parse_args()
    print(json.dumps(measure(args.method, args.size, args.seed, args.budget_share)), flush=True)


if __name__ == "__main__":
    main()
