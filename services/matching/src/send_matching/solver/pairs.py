"""Admissible child–provision pairs (contract rules 1–4), built with numpy.

Children are bucketed by place; each bucket meets only the provisions in a box one travel limit
around it, rules 1–3 are checked there with bit masks, and great-circle distances are computed
only for the pairs that pass them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from send_matching.solver.geo import EARTH_RADIUS_KM
from send_matching.solver.model import Instance

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
_CHUNK_CELLS = 2_000_000  # distance-matrix cells computed at once; bounds temporary memory
PAIR_THREADS = min(2, os.cpu_count() or 1)  # blocks built at once (the temporaries grow with it)


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
    compatible = _CompatibilityTable(ix)
    points = _Points(ix)

    def block(item: tuple[IntArray, IntArray]) -> tuple[IntArray, IntArray, FloatArray]:
        chunk, candidates = item
        r, c = compatible.pairs(chunk, candidates)
        children, provisions = chunk[r], candidates[c]
        dist = points.distance_km(children, provisions)
        near = np.flatnonzero(dist <= ix.child_limit[children])
        # Sorted here, in small blocks, by child then distance; the blocks are merged below.
        near = near[_by_row_then_distance(r[near], dist[near])]
        return children[near], provisions[near], dist[near]

    chunks = list(_neighbourhoods(ix))
    if len(chunks) > 1 and PAIR_THREADS > 1:
        # numpy lets go of the GIL in these loops: the blocks are built on every core, in order.
        with ThreadPoolExecutor(max_workers=PAIR_THREADS) as pool:
            blocks = list(pool.map(block, chunks))
    else:
        blocks = [block(item) for item in chunks]
    child_parts = [b[0] for b in blocks]
    prov_parts = [b[1] for b in blocks]
    dist_parts = [b[2] for b in blocks]

    n_children = len(instance.children)
    if child_parts:
        child = np.concatenate(child_parts)
        prov = np.concatenate(prov_parts)
        dist = np.concatenate(dist_parts)
    else:
        child = np.zeros(0, dtype=np.int64)
        prov = np.zeros(0, dtype=np.int64)
        dist = np.zeros(0, dtype=np.float64)
    order = _blocks_by_child(child, n_children)
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


def _blocks_by_child(child: IntArray, n_children: int) -> IntArray:
    """The order that puts each child's block of pairs at its place by child, blocks unchanged.

    Every child is in one chunk, so its pairs form one block: a counting sort places the blocks
    (linear, where a stable sort of 2M keys is not). Should a child ever have two blocks, a stable
    sort gives the same order.
    """
    n = child.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    counts = np.bincount(child, minlength=n_children)
    first = np.flatnonzero(np.r_[True, child[1:] != child[:-1]])
    if first.size != np.count_nonzero(counts):
        fallback: IntArray = np.argsort(child, kind="stable")
        return fallback
    starts = np.cumsum(counts) - counts
    block = np.repeat(np.arange(first.size), np.diff(np.r_[first, n]))
    target = starts[child] + (np.arange(n) - first[block])
    order = np.empty(n, dtype=np.int64)
    order[target] = np.arange(n)
    return order


def _by_row_then_distance(rows: IntArray, dist: FloatArray) -> IntArray:
    """Order by row, then distance, then position — the pairs' order within a block.

    Positions within a row are in provision order already, so two stable sorts give it: the
    distances' bits as integers (the same order for non-negative floats; `+ 0.0` makes a −0.0
    a 0.0), then the rows, as 16-bit integers when they fit (numpy sorts those by radix). Four
    times faster than `np.lexsort` on the three keys (0.3 s against 1.3 s at 20,000 children).
    """
    bits = (dist + 0.0).view(np.int64)
    by_distance = np.argsort(bits, kind="stable")
    small = rows.size == 0 or int(rows.max()) < np.iinfo(np.int16).max
    keys = rows[by_distance].astype(np.int16 if small else np.int64)
    order: IntArray = by_distance[np.argsort(keys, kind="stable")]
    return order


class _Points:
    """Each place's latitude in radians and its cosine, computed once per place, not per pair.

    The same operations, in the same order, as `haversine_km`: the distances are identical.
    """

    def __init__(self, ix: Indexed) -> None:
        self.ix = ix
        self.child_phi = np.radians(ix.child_lat)
        self.child_cos = np.cos(self.child_phi)
        self.prov_phi = np.radians(ix.prov_lat)
        self.prov_cos = np.cos(self.prov_phi)

    def distance_km(self, children: IntArray, provisions: IntArray) -> FloatArray:
        half_dphi = (self.prov_phi[provisions] - self.child_phi[children]) * 0.5
        dlon = np.subtract(self.ix.prov_lon[provisions], self.ix.child_lon[children])
        half_dlambda = np.radians(dlon) * 0.5
        a = (
            np.sin(half_dphi) ** 2
            + self.child_cos[children] * self.prov_cos[provisions] * np.sin(half_dlambda) ** 2
        )
        result: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
        return result


class _CompatibilityTable:
    """Rules 1–3 once per kind of child (suitable kinds, need, age) and provision.

    Children who agree on all three are compatible with the same provisions, and there are far
    fewer such kinds of child than children, so the block for a chunk is a lookup in this table.
    """

    def __init__(self, ix: Indexed) -> None:
        profiles = np.stack([ix.child_kinds, ix.child_need, ix.child_age], axis=1)
        unique, profile_of = np.unique(profiles, axis=0, return_inverse=True)
        self.profile_of: IntArray = profile_of.reshape(-1).astype(np.int64)
        rows = [suitable_mask(ix, kinds=int(k), need=int(n), age=int(a)) for k, n, a in unique]
        self.table: BoolArray = (
            np.stack(rows) if rows else np.zeros((0, ix.prov_lat.size), dtype=np.bool_)
        )

    def pairs(self, chunk: IntArray, candidates: IntArray) -> tuple[IntArray, IntArray]:
        """(row, column) of each compatible pair of a chunk × candidates block."""
        ok = self.table[:, candidates][self.profile_of[chunk]]
        rows, cols = np.nonzero(ok)
        return rows.astype(np.int64), cols.astype(np.int64)


def _neighbourhoods(ix: Indexed) -> Iterator[tuple[IntArray, IntArray]]:
    """Chunks of nearby children, each with the provisions that may be within reach of them.

    Children are bucketed into square cells as wide as the travel limit, so each bucket is
    compared only with the provisions in a box one limit around it, not with the whole list.
    """
    everyone = np.arange(ix.prov_lat.size, dtype=np.int64)
    finite = np.isfinite(ix.child_limit)
    limited = np.flatnonzero(finite)
    if limited.size:
        cell_km = max(float(ix.child_limit[limited].max()), 1.0)
        lat = ix.child_lat[limited]
        shrink = math.cos(math.radians(min(80.0, float(np.abs(lat).max()))))
        row = np.floor(lat * _KM_PER_DEGREE / cell_km).astype(np.int64)
        col = np.floor(ix.child_lon[limited] * _KM_PER_DEGREE * shrink / cell_km).astype(np.int64)
        order = np.lexsort((col, row))
        limited, row, col = limited[order], row[order], col[order]
        cell = np.flatnonzero(np.diff(row) | np.diff(col)) + 1
        for bucket in np.split(limited, cell):
            limit = float(ix.child_limit[bucket].max())
            yield from _chunked(bucket, _within_box(ix, bucket, everyone, limit))
    unlimited = np.flatnonzero(~finite)
    if unlimited.size:
        yield from _chunked(unlimited, everyone)


def _chunked(children: IntArray, candidates: IntArray) -> Iterator[tuple[IntArray, IntArray]]:
    if candidates.size == 0:
        return
    rows = max(1, _CHUNK_CELLS // candidates.size)
    for start in range(0, children.size, rows):
        yield children[start : start + rows], candidates


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
    wanted = np.unique(np.array(keys, dtype=np.int64))
    pair_keys = child * n_prov + prov
    at = np.minimum(np.searchsorted(wanted, pair_keys), wanted.size - 1)
    result: BoolArray = wanted[at] == pair_keys
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
