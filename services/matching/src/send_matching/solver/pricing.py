"""A valid LP lower bound over every pair from an LP over a few of them (column generation).

Solve the LP relaxation over a subset S of the pairs; with its row duals y every pair k gets a
reduced cost d_k = c_k − (Aᵀy)_k. For any y of the right signs, Σ b·y + Σ_k min(0, d_k) over all
pairs is a lower bound on the full LP (Lagrangian duality with 0 ≤ x ≤ 1), hence on every answer.
Pairs with negative reduced cost are added to S and the LP solved again while time allows. The
reduced costs also fix pairs: an answer using pair k costs at least bound + d_k.
"""

from __future__ import annotations

import time

import highspy
import numpy as np

from send_matching.solver.mip import FloatArray, LpBound, highs_for
from send_matching.solver.model import Instance
from send_matching.solver.pairs import BoolArray, Indexed, IntArray, Pairs

MAX_ROUNDS = 6
ADD_PER_ROUND = 50_000


def priced_cost_bound(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    *,
    objective: FloatArray,
    placed: int,
    cap: int,
    min_preferences: int | None,
    start: BoolArray,
    deadline: float,
) -> LpBound | None:
    """Lower bound on Σ objective over answers placing `placed` with annual ≤ cap (and prefs)."""
    keep = start.copy()
    best: LpBound | None = None
    for _ in range(MAX_ROUNDS):
        if time.perf_counter() >= deadline:
            break
        columns = np.flatnonzero(keep).astype(np.int64)
        result = _restricted(
            instance,
            ix,
            pairs,
            columns,
            objective=objective,
            placed=placed,
            cap=cap,
            min_preferences=min_preferences,
            deadline=deadline,
        )
        if result is None:
            break
        if best is None or result.value > best.value:
            best = result
        missing = np.flatnonzero((result.reduced_cost < -1e-7) & ~keep)
        if missing.size == 0:
            break
        order = np.argsort(result.reduced_cost[missing], kind="stable")[:ADD_PER_ROUND]
        keep[missing[order]] = True
    return best


def _restricted(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    columns: IntArray,
    *,
    objective: FloatArray,
    placed: int,
    cap: int,
    min_preferences: int | None,
    deadline: float,
) -> LpBound | None:
    n_needs = len(ix.needs)
    child = pairs.child[columns]
    prov = pairs.provision[columns]
    annual = pairs.annual_pence[columns].astype(np.float64) / 100.0
    capped_key = _capped_keys(instance, ix, pairs)[columns]

    # Row families, each as (row id per column, lower, upper) — one coefficient 1 per column,
    # except the budget row.
    child_ids, child_row = np.unique(child, return_inverse=True)
    prov_ids, prov_row = np.unique(prov, return_inverse=True)
    has_cap = capped_key >= 0
    cap_ids, cap_row = np.unique(capped_key[has_cap], return_inverse=True)
    n_child, n_prov, n_cap = child_ids.size, prov_ids.size, cap_ids.size
    cap_limits = _cap_limits(instance, ix)

    m = columns.size
    rows_of = [
        (np.zeros(m, dtype=np.int64), np.ones(m)),  # row 0: the count
        (1 + child_row, np.ones(m)),
        (1 + n_child + prov_row, np.ones(m)),
        (1 + n_child + n_prov + cap_row, np.ones(int(has_cap.sum()))),
        (np.full(m, 1 + n_child + n_prov + n_cap), annual),
    ]
    cols_of = [np.arange(m), np.arange(m), np.arange(m), np.flatnonzero(has_cap), np.arange(m)]
    lower = [float(placed)] + [-np.inf] * (n_child + n_prov + n_cap + 1)
    upper = (
        [float(placed)]
        + [1.0] * n_child
        + ix.prov_capacity[prov_ids].astype(np.float64).tolist()
        + [float(cap_limits[k]) for k in cap_ids.tolist()]
        + [cap / 100.0]
    )
    pref_row = None
    if min_preferences is not None:
        pref_row = len(lower)
        chosen = np.flatnonzero(pairs.preferred[columns])
        rows_of.append((np.full(chosen.size, pref_row), np.ones(chosen.size)))
        cols_of.append(chosen)
        lower.append(float(min_preferences))
        upper.append(np.inf)

    row_index = np.concatenate([r for r, _ in rows_of])
    col_index = np.concatenate(cols_of)
    values = np.concatenate([v for _, v in rows_of])
    order = np.lexsort((col_index, row_index))
    row_index, col_index, values = row_index[order], col_index[order], values[order]
    n_rows = len(lower)

    lp = highspy.HighsLp()
    lp.num_col_ = m
    lp.num_row_ = n_rows
    lp.col_cost_ = objective[columns]
    lp.col_lower_ = np.zeros(m)
    lp.col_upper_ = np.ones(m)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.searchsorted(row_index, np.arange(n_rows + 1)).astype(np.int32)
    lp.a_matrix_.index_ = col_index.astype(np.int32)
    lp.a_matrix_.value_ = values
    highs = highs_for(deadline)
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = highs.getSolution()
    y = np.asarray(solution.row_dual, dtype=np.float64)
    y[np.abs(y) <= 1e-9] = 0.0  # numerical dust; the bound below uses exactly these duals
    value = float(highs.getInfo().objective_function_value)

    # Duals over every pair; rows the subset lacks have dual 0, which is always admissible.
    y_child = np.zeros(len(instance.children))
    y_child[child_ids] = y[1 : 1 + n_child]
    y_prov = np.zeros(len(instance.provisions))
    y_prov[prov_ids] = y[1 + n_child : 1 + n_child + n_prov]
    y_cap = np.zeros(len(instance.provisions) * max(1, n_needs) + 1)
    y_cap[cap_ids] = y[1 + n_child + n_prov : 1 + n_child + n_prov + n_cap]
    y_budget = y[1 + n_child + n_prov + n_cap]
    y_pref = y[pref_row] if pref_row is not None else 0.0
    every_cap = _capped_keys(instance, ix, pairs)
    reduced = (
        objective
        - y[0]
        - y_child[pairs.child]
        - y_prov[pairs.provision]
        - np.where(every_cap >= 0, y_cap[every_cap], 0.0)
        - y_budget * pairs.annual_pence / 100.0
        - y_pref * pairs.preferred
    )
    active = y != 0.0
    bounds = np.where(y > 0, np.array(lower), np.array(upper))[active]
    if not np.all(np.isfinite(bounds)):
        return None
    dual_value = float(np.sum(y[active] * bounds))
    inside = dual_value + float(np.minimum(0.0, reduced[columns]).sum())
    if abs(inside - value) > 1e-6 * max(1.0, abs(value)):
        return None  # the duals do not reproduce the LP: claim nothing
    primal = np.zeros(pairs.child.size)
    primal[columns] = np.asarray(solution.col_value, dtype=np.float64)
    return LpBound(
        value=dual_value + float(np.minimum(0.0, reduced).sum()),
        reduced_cost=reduced,
        primal=primal,
    )


def _capped_keys(instance: Instance, ix: Indexed, pairs: Pairs) -> IntArray:
    """Per pair: provision·needs + need when that provision caps the child's need, else −1."""
    n_needs = max(1, len(ix.needs))
    table = np.full(len(instance.provisions) * n_needs, -1, dtype=np.int64)
    for j, p in enumerate(instance.provisions):
        for need in p.capacity_by_need:
            if need in ix.needs:
                table[j * n_needs + ix.needs.index(need)] = j * n_needs + ix.needs.index(need)
    if pairs.child.size == 0:
        return np.zeros(0, dtype=np.int64)
    keys: IntArray = table[pairs.provision * n_needs + ix.child_need[pairs.child]]
    return keys


def _cap_limits(instance: Instance, ix: Indexed) -> dict[int, int]:
    n_needs = max(1, len(ix.needs))
    return {
        j * n_needs + ix.needs.index(need): cap
        for j, p in enumerate(instance.provisions)
        for need, cap in p.capacity_by_need.items()
        if need in ix.needs
    }
