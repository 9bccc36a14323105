"""One stage of the budget MIP in HiGHS: the flow constraints plus the annual-cost row."""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt

from send_matching.solver.model import Instance
from send_matching.solver.pairs import Indexed, IntArray, Pairs

FloatArray = npt.NDArray[np.float64]
Row = tuple[IntArray, FloatArray | None, float, float]


@dataclass(frozen=True, slots=True)
class Stage:
    chosen: IntArray
    objective: float
    bound: float  # valid for the pairs this MIP saw
    proven: bool
    timed_out: bool


def solve_stage(
    instance: Instance,
    ix: Indexed,
    pairs: Pairs,
    *,
    objective: FloatArray,
    placed: int | None,
    annual_cap_pence: int | None,
    start: IntArray,
    min_preferences: int | None,
    deadline: float,
) -> Stage:
    """Minimise `objective` over exactly `placed` pairs (any number if None); `start` feasible."""
    n = pairs.child.size
    rows = flow_rows(instance, ix, pairs, placed=placed)
    if annual_cap_pence is not None:
        # In pounds: coefficients near 1e4 keep HiGHS well scaled.
        pounds = pairs.annual_pence.astype(np.float64) / 100.0
        rows.append((np.arange(n), pounds, -np.inf, annual_cap_pence / 100.0))
    if min_preferences is not None:
        rows.append((np.flatnonzero(pairs.preferred), None, float(min_preferences), np.inf))

    highs = highs_for(deadline)
    highs.passModel(_model(n, objective, rows))
    warm = highspy.HighsSolution()
    values = np.zeros(n)
    values[start] = 1.0
    warm.col_value = values.tolist()
    warm.value_valid = True
    highs.setSolution(warm)
    highs.run()

    status = highs.getModelStatus()
    solution = np.asarray(highs.getSolution().col_value)
    chosen = np.flatnonzero(solution > 0.5).astype(np.int64) if solution.size == n else start
    wrong_count = placed is not None and chosen.size != placed
    if wrong_count or objective[chosen].sum() > objective[start].sum():
        chosen = start
    value = float(objective[chosen].sum())
    bound = float(highs.getInfo().mip_dual_bound)
    return Stage(
        chosen=chosen,
        objective=value,
        bound=min(bound, value) if np.isfinite(bound) else -np.inf,
        proven=status == highspy.HighsModelStatus.kOptimal,
        timed_out=status == highspy.HighsModelStatus.kTimeLimit,
    )


def highs_for(deadline: float) -> highspy.Highs:
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    for name, value in (
        ("output_flag", False),
        ("threads", 1),  # deterministic, and the service has other requests to serve
        ("random_seed", 0),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 0.004),  # below a penny, in pounds
        ("time_limit", max(0.05, deadline - time.perf_counter())),
    ):
        highs.setOptionValue(name, value)
    return highs


def _model(n: int, objective: FloatArray, rows: list[Row]) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rows)
    lp.col_cost_ = objective
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.array([r[2] for r in rows])
    lp.row_upper_ = np.array([r[3] for r in rows])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum([r[0].size for r in rows])]).astype(
        np.int32
    )
    lp.a_matrix_.index_ = np.concatenate([r[0] for r in rows]).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate(
        [np.ones(r[0].size) if r[1] is None else r[1] for r in rows]
    )
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    return lp


def flow_rows(instance: Instance, ix: Indexed, pairs: Pairs, *, placed: int | None) -> list[Row]:
    """Exactly `placed` pairs (if given), one per child at most, capacities and per-need caps."""
    everything = np.arange(pairs.child.size, dtype=np.int64)
    rows: list[Row] = []
    if placed is not None:
        rows.append((everything, None, float(placed), float(placed)))
    for cols in np.split(everything, pairs.child_start[1:-1]):
        if cols.size > 1:
            rows.append((cols, None, -np.inf, 1.0))
    order = np.argsort(pairs.provision, kind="stable")
    bounds = np.searchsorted(pairs.provision[order], np.arange(len(instance.provisions) + 1))
    for j, provision in enumerate(instance.provisions):
        cols = order[bounds[j] : bounds[j + 1]]
        if cols.size > ix.prov_capacity[j]:
            rows.append((cols, None, -np.inf, float(ix.prov_capacity[j])))
        if not provision.capacity_by_need:
            continue
        need_of = ix.child_need[pairs.child[cols]]
        for need, cap in sorted(provision.capacity_by_need.items()):
            if need in ix.needs:
                capped = cols[need_of == ix.needs.index(need)]
                if capped.size > cap:
                    rows.append((capped, None, -np.inf, float(cap)))
    return rows


@dataclass(frozen=True, slots=True)
class LpBound:
    value: float
    reduced_cost: FloatArray
    primal: FloatArray
