"""Lagrangian relaxation of the budget row over the min-cost max-flow.

For a price λ ≥ 0 per penny of annual cost, min over maximum flows of lex(x) + λ·(annual(x) − cap)
is a min-cost flow and a lower bound on the best lex(x) with annual(x) ≤ cap, for every λ. The
flows met on the way whose annual cost fits under the cap are feasible answers. A bisection on λ
(in log space) drives both together.

λ is applied as a pair of integers (w_lex, w_annual) with w_annual / w_lex ≈ λ, chosen as large
as int64 allows so that the bound (OPT(w) − w_annual·cap) / w_lex is computed exactly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from send_matching.solver.network import INT64_MAX, Network, solve_min_cost_max_flow
from send_matching.solver.pairs import IntArray


@dataclass(slots=True)
class LagrangianResult:
    best: IntArray | None  # feasible chosen pairs with the least lex cost found
    best_lex: int
    bound: float  # lower bound on lex cost of any feasible answer
    visited: list[IntArray] = field(default_factory=list)  # every flow met, for the MIP's arcs


def lagrangian_search(
    net: Network,
    lex: IntArray,
    annual: IntArray,
    *,
    cap: int,
    deadline: float,
    max_iterations: int = 40,
    enough: Callable[[LagrangianResult], bool] = lambda _: False,
    step_estimate: float = 0.0,
) -> LagrangianResult:
    result = LagrangianResult(best=None, best_lex=0, bound=-math.inf)
    if lex.size == 0:
        return result
    per_arc_limit = INT64_MAX // (8 * (net.num_nodes + 1))
    lex_max = max(1, int(lex.max()))
    annual_max = max(1, int(annual.max()))
    # λ beyond lex_max·arcs makes annual dominate completely; below 1e-6 it changes nothing.
    log_lo, log_hi = (
        math.log(1e-6 * lex_max / annual_max),
        math.log(float(lex_max) * max(1, lex.size)),
    )
    step = step_estimate  # the longest flow so far: none starts unless it can end in time
    for _ in range(max_iterations):
        started = time.perf_counter()
        if started + step >= deadline:
            break
        log_mid = 0.5 * (log_lo + log_hi)
        w_lex, w_annual = _integer_weights(math.exp(log_mid), lex_max, annual_max, per_arc_limit)
        chosen, optimum = solve_min_cost_max_flow(net, w_lex * lex + w_annual * annual)
        result.visited.append(chosen)
        step = max(step, time.perf_counter() - started)
        bound = (optimum - w_annual * cap) / w_lex
        result.bound = max(result.bound, bound)
        spent = int(annual[chosen].sum())
        if spent <= cap:
            value = int(lex[chosen].sum())
            if result.best is None or value < result.best_lex:
                result.best, result.best_lex = chosen, value
            log_hi = log_mid
        else:
            log_lo = log_mid
        if result.best is not None and (result.best_lex - result.bound < 1.0 or enough(result)):
            break
        if log_hi - log_lo < 1e-9:
            break
    return result


def _integer_weights(
    price: float, lex_max: int, annual_max: int, per_arc_limit: int
) -> tuple[int, int]:
    w_lex = max(1, int(per_arc_limit // (lex_max + price * annual_max)))
    w_annual = round(price * w_lex)
    w_annual = max(0, min(w_annual, (per_arc_limit - w_lex * lex_max) // annual_max))
    if w_lex * lex_max > per_arc_limit:
        raise OverflowError("lexicographic costs too large for a Lagrangian step")
    return w_lex, int(w_annual)
