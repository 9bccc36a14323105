"""Admissible child–provision pairs (contract rules 1–4), built with numpy.

Children are grouped by what decides rules 1–3 (suitable kinds, need, age) and their travel limit,
so the compatible provisions are found once per group; distances are then computed only inside a
latitude/longitude box around each chunk of the group's children.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from send_matching.solver.geo import EARTH_RADIUS_KM, haversine_km
from send_matching.solver.model import Instance

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
_CHUNK_CELLS = 2_000_000  # distance-matrix cells computed at once; bounds temporary memory


@dataclass(frozen=True, slots=True)
class Indexed:
    """The instance as arrays, indexed by child and provision position."""

    child_lat: FloatArray
    child_lon: FloatArray
    child_age: IntArray
    child_need: IntArray  # index into needs
    child_kinds: IntArray  # bit mask over kinds
    child_limit: FloatArray  # km; inf when there is no limit
    prov_lat: FloatArray
    prov_lon: FloatArray
    prov_kind: IntArray  # bit mask with one bit
    prov_needs: IntArray  # bit mask; 0 = any need
    prov_min_age: IntArray
    prov_max_age: IntArray
    prov_capacity: IntArray
    prov_annual_pence: IntArray
    needs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pairs:
    """Admissible pairs sorted by child, then distance, then provision position."""

    child: IntArray
    provision: IntArray
    distance_km: FloatArray
    cost_pence: IntArray  # annual cost + transport, to the penny
    annual_pence: IntArray
    preferred: BoolArray
    child_start: IntArray  # pairs of child i are child_start[i]:child_start[i+1]


def to_pence(pounds: float) -> int:
    return round(pounds * 100)


def index_instance(instance: Instance) -> Indexed:
    children, provisions, options = instance.children, instance.provisions, instance.options
    needs = tuple(
        sorted({c.need for c in children} | {n for p in provisions for n in p.designated_needs})
    )
    need_bit = {n: i for i, n in enumerate(needs)}
    kinds = sorted({k for c in children for k in c.suitable_kinds} | {p.kind for p in provisions})
    kind_bit = {k: i for i, k in enumerate(kinds)}
    default_limit = math.inf if options.max_travel_km is None else options.max_travel_km

    def mask(bits: list[int]) -> int:
        return sum(1 << b for b in set(bits))

    return Indexed(
        child_lat=np.array([c.lat for c in children], dtype=np.float64),
        child_lon=np.array([c.lon for c in children], dtype=np.float64),
        child_age=np.array([c.age for c in children], dtype=np.int64),
        child_need=np.array([need_bit[c.need] for c in children], dtype=np.int64),
        child_kinds=np.array(
            [mask([kind_bit[k] for k in c.suitable_kinds]) for c in children], dtype=np.int64
        ),
        child_limit=np.array(
            [default_limit if c.max_travel_km is None else c.max_travel_km for c in children],
            dtype=np.float64,
        ),
        prov_lat=np.array([p.lat for p in provisions], dtype=np.float64),
        prov_lon=np.array([p.lon for p in provisions], dtype=np.float64),
        prov_kind=np.array([1 << kind_bit[p.kind] for p in provisions], dtype=np.int64),
        prov_needs=np.array(
            [mask([need_bit[n] for n in p.designated_needs]) for p in provisions], dtype=np.int64
        ),
        prov_min_age=np.array([p.min_age for p in provisions], dtype=np.int64),
        prov_max_age=np.array([p.max_age for p in provisions], dtype=np.int64),
        prov_capacity=np.array([p.capacity for p in provisions], dtype=np.int64),
        prov_annual_pence=np.array([to_pence(p.annual_cost) for p in provisions], dtype=np.int64),
        needs=needs,
    )


def suitable_mask(ix: Indexed, *, kinds: int, need: int, age: int) -> BoolArray:
    """Rules 1–3 for one kind of child, over every provision."""
    need_ok = (ix.prov_needs == 0) | ((ix.prov_needs >> need) & 1 == 1)
    result: BoolArray = (
        ((ix.prov_kind & kinds) != 0)
        & need_ok
        & (ix.prov_min_age <= age)
        & (age <= ix.prov_max_age)
    )
    return result


def build_pairs(instance: Instance, ix: Indexed) -> Pairs:
    groups: defaultdict[tuple[int, int, int, float], list[int]] = defaultdict(list)
    for i, key in enumerate(
        zip(
            ix.child_kinds.tolist(),
            ix.child_need.tolist(),
            ix.child_age.tolist(),
            ix.child_limit.tolist(),
            strict=True,
        )
    ):
        groups[key].append(i)

    child_parts: list[IntArray] = []
    prov_parts: list[IntArray] = []
    dist_parts: list[FloatArray] = []
    for (kinds, need, age, limit), members in groups.items():
        compatible = np.flatnonzero(suitable_mask(ix, kinds=kinds, need=need, age=age))
        if compatible.size == 0:
            continue
        group = np.array(members, dtype=np.int64)
        group = group[np.argsort(ix.child_lat[group], kind="stable")]
        rows = max(1, _CHUNK_CELLS // compatible.size)
        for start in range(0, group.size, rows):
            chunk = group[start : start + rows]
            candidates = _within_box(ix, chunk, compatible, limit)
            if candidates.size == 0:
                continue
            dist = haversine_km(
                ix.child_lat[chunk, None],
                ix.child_lon[chunk, None],
                ix.prov_lat[None, candidates],
                ix.prov_lon[None, candidates],
            )
            r, c = np.nonzero(dist <= limit)
            child_parts.append(chunk[r])
            prov_parts.append(candidates[c])
            dist_parts.append(dist[r, c])

    n_children = len(instance.children)
    if child_parts:
        child = np.concatenate(child_parts)
        prov = np.concatenate(prov_parts)
        dist = np.concatenate(dist_parts)
    else:
        child = np.zeros(0, dtype=np.int64)
        prov = np.zeros(0, dtype=np.int64)
        dist = np.zeros(0, dtype=np.float64)
    order = np.lexsort((prov, dist, child))
    child, prov, dist = child[order], prov[order], dist[order]

    rate = instance.options.transport_cost_per_km
    annual = ix.prov_annual_pence[prov]
    transport = np.rint(dist * (rate * 100.0)).astype(np.int64)
    return Pairs(
        child=child,
        provision=prov,
        distance_km=dist,
        cost_pence=annual + transport,
        annual_pence=annual,
        preferred=_preferred(instance, child, prov),
        child_start=np.searchsorted(child, np.arange(n_children + 1)).astype(np.int64),
    )


def _within_box(ix: Indexed, chunk: IntArray, compatible: IntArray, limit: float) -> IntArray:
    """Provisions that may be within `limit` km of some child in the chunk (a cheap superset)."""
    if not math.isfinite(limit):
        return compatible
    lat = ix.child_lat[chunk]
    dlat = limit / _KM_PER_DEGREE
    lat_lo, lat_hi = float(lat.min()) - dlat, float(lat.max()) + dlat
    widest = max(abs(lat_lo), abs(lat_hi))
    if widest >= 89.0:
        return compatible
    dlon = dlat / math.cos(math.radians(widest))
    lon = ix.child_lon[chunk]
    lon_lo, lon_hi = float(lon.min()) - dlon, float(lon.max()) + dlon
    plat, plon = ix.prov_lat[compatible], ix.prov_lon[compatible]
    keep = (plat >= lat_lo) & (plat <= lat_hi)
    if lon_lo > -180.0 and lon_hi < 180.0:
        keep &= (plon >= lon_lo) & (plon <= lon_hi)
    result: IntArray = compatible[keep]
    return result


def _preferred(instance: Instance, child: IntArray, prov: IntArray) -> BoolArray:
    position = {p.id: j for j, p in enumerate(instance.provisions)}
    n_prov = max(1, len(instance.provisions))
    keys = [
        i * n_prov + position[pid]
        for i, c in enumerate(instance.children)
        for pid in c.preferences
        if pid in position
    ]
    if not keys:
        return np.zeros(child.size, dtype=np.bool_)
    result: BoolArray = np.isin(child * n_prov + prov, np.array(keys, dtype=np.int64))
    return result


def subset_pairs(pairs: Pairs, keep: BoolArray) -> tuple[Pairs, IntArray]:
    """The kept pairs (same order) and their positions in the full pairs."""
    positions = np.flatnonzero(keep).astype(np.int64)
    child = pairs.child[positions]
    n_children = pairs.child_start.size - 1
    return (
        Pairs(
            child=child,
            provision=pairs.provision[positions],
            distance_km=pairs.distance_km[positions],
            cost_pence=pairs.cost_pence[positions],
            annual_pence=pairs.annual_pence[positions],
            preferred=pairs.preferred[positions],
            child_start=np.searchsorted(child, np.arange(n_children + 1)).astype(np.int64),
        ),
        positions,
    )
