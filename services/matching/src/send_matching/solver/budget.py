"""The budget case: one knapsack row on top of the flow, solved as staged MIPs with HiGHS.

Level 1 (children placed) comes from the max flow and is fixed as an equality. Level 2 is exact
without a MIP: the least annual cost over maximum flows is itself a min-cost flow, so the smallest
possible overspend is known before any search. What remains — most preferences, then least cost,
subject to Σ annual ≤ max(budget, least annual) — is two MIPs over the admissible pairs, each
warm-started with a feasible flow solution. HiGHS' dual bound is valid for the whole problem, so
the reported gap is proven.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from send_matching.solver.model import Instance
from send_matching.solver.pairs import Indexed, IntArray, Pairs


@dataclass(frozen=True, slots=True)
class BudgetResult:
    chosen: IntArray
    gap: float
    proven: bool
    time_limit_reached: bool


@dataclass(frozen=True, slots=True)
class _Stage:
    values: IntArray  # chosen pairs
    objective: float
    bound: float
    proven: bool
    timed_out: bool


def solve_with_budget(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    *,
    placed: int,
    annual_cap_pence: int,
    start: IntArray,
    deadline: float,
) -> BudgetResult:
    """Best placement of `placed` children within the annual cap; `start` must be feasible."""
    honour = instance.options.honour_preferences
    incumbent = start
    timed_out = False
    min_preferences: int | None = None
    pref_gap = 0.0
    if honour and pairs.preferred.any():
        stage = _solve_stage(
            instance,
            ix,
            pairs,
            placed=placed,
            annual_cap_pence=annual_cap_pence,
            start=incumbent,
            objective=-pairs.preferred.astype(np.float64),
            min_preferences=None,
            deadline=time.perf_counter() + max(0.0, deadline - time.perf_counter()) / 2,
        )
        incumbent = stage.values
        timed_out |= stage.timed_out
        min_preferences = int(pairs.preferred[incumbent].sum())
        best_possible = int(np.floor(-stage.bound + 1e-6))
        if best_possible > min_preferences:
            pref_gap = (best_possible - min_preferences) / best_possible
    stage = _solve_stage(
        instance,
        ix,
        pairs,
        placed=placed,
        annual_cap_pence=annual_cap_pence,
        start=incumbent,
        objective=pairs.cost_pence.astype(np.float64) / 100.0,
        min_preferences=min_preferences,
        deadline=deadline,
    )
    timed_out |= stage.timed_out
    cost_gap = (
        max(0.0, (stage.objective - stage.bound) / stage.objective) if stage.objective else 0.0
    )
    if cost_gap * stage.objective < 0.005:  # within half a penny: proven to the penny
        cost_gap = 0.0
    gap = pref_gap if pref_gap > 0 else cost_gap
    return BudgetResult(
        chosen=stage.values,
        gap=gap,
        proven=gap == 0.0 and stage.proven,
        time_limit_reached=timed_out,
    )


def _solve_stage(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    *,
    placed: int,
    annual_cap_pence: int,
    start: IntArray,
    objective: np.ndarray,
    min_preferences: int | None,
    deadline: float,
) -> _Stage:
    n = pairs.child.size
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.004)
    h.setOptionValue("time_limit", max(0.05, deadline - time.perf_counter()))

    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.col_cost_ = objective
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    rows = _rows(instance, ix, pairs, placed=placed, annual_cap_pence=annual_cap_pence)
    if min_preferences is not None:
        rows.append((np.flatnonzero(pairs.preferred), None, float(min_preferences), np.inf))
    starts, index, value, lower, upper = [0], [], [], [], []
    for cols, coefs, lo, hi in rows:
        index.append(cols)
        value.append(np.ones(cols.size) if coefs is None else coefs)
        starts.append(starts[-1] + cols.size)
        lower.append(lo)
        upper.append(hi)
    lp.num_row_ = len(rows)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.concatenate(index).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate(value)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h.passModel(lp)

    warm = np.zeros(n)
    warm[start] = 1.0
    solution = highspy.HighsSolution()
    solution.col_value = list(warm)
    solution.value_valid = True
    h.setSolution(solution)
    h.run()

    status = h.getModelStatus()
    info = h.getInfo()
    values = np.asarray(h.getSolution().col_value)
    chosen = np.flatnonzero(values > 0.5).astype(np.int64)
    if chosen.size != placed:  # no better solution than the start was found in time
        chosen = start
    obj = float(objective[chosen].sum())
    bound = float(info.mip_dual_bound)
    if not np.isfinite(bound):
        bound = -np.inf
    return _Stage(
        values=chosen,
        objective=obj,
        bound=min(bound, obj),
        proven=status == highspy.HighsModelStatus.kOptimal,
        timed_out=status == highspy.HighsModelStatus.kTimeLimit,
    )


def _rows(
    instance: Instance, ix: Indexed, pairs: Pairs, *, placed: int, annual_cap_pence: int
) -> list[tuple[IntArray, np.ndarray | None, float, float]]:
    rows: list[tuple[IntArray, np.ndarray | None, float, float]] = []
    everything = np.arange(pairs.child.size, dtype=np.int64)
    rows.append((everything, None, float(placed), float(placed)))
    rows.append(
        (
            everything,
            pairs.annual_pence.astype(np.float64) / 100.0,
            -np.inf,
            annual_cap_pence / 100.0,
        )
    )
    by_child = np.split(everything, pairs.child_start[1:-1])
    rows.extend((cols, None, -np.inf, 1.0) for cols in by_child if cols.size > 1)
    order = np.argsort(pairs.provision, kind="stable")
    bounds = np.searchsorted(pairs.provision[order], np.arange(len(instance.provisions) + 1))
    for j in range(len(instance.provisions)):
        cols = order[bounds[j] : bounds[j + 1]]
        if cols.size > ix.prov_capacity[j]:
            rows.append((cols, None, -np.inf, float(ix.prov_capacity[j])))
        need_of = ix.child_need[pairs.child[cols]]
        for need, cap in instance.provisions[j].capacity_by_need.items():
            if need in ix.needs:
                capped = cols[need_of == ix.needs.index(need)]
                if capped.size > cap:
                    rows.append((capped, None, -np.inf, float(cap)))
    return rows
