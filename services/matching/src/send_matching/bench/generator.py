"""A seeded generator of realistic English shire counties, for benchmarks and tests.

Per 2,000 children (one county's yearly round, the shape of the reference example la-7): about a
dozen towns weighted by population plus a rural quarter; ~290 mainstream schools with a few free
places each; ~25 resource bases; 8 area special schools and 6 early-years
satellites; a few alternative-provision centres; ~35 independent special
schools at 2–5× the cost, a third of them out of county. Needs follow the DfE January 2025 mix.
Larger sizes lay counties side by side, so density — and the pairs per child — stay realistic.
"""

from __future__ import annotations

import math

import numpy as np

from send_matching.solver.model import Child, Instance, Options, Provision

CHILDREN_PER_COUNTY = 2000
COUNTY_KM = (64.0, 66.0)  # east–west, north–south
KM_PER_DEG_LAT = 111.2
ORIGIN = (52.39, -1.6)

NEEDS = ("ASD", "SLCN", "SEMH", "MLD", "SLD", "PD", "SPLD", "HI", "PMLD", "OTH", "VI", "MSI")
NEED_SHARE = np.array([31.5, 21.3, 20.7, 10.6, 4.0, 3.9, 2.3, 1.4, 1.3, 1.2, 0.8, 0.3])
# What an assessment typically finds suitable: (kinds, weight); severe needs use their own list.
SUITABLE: list[tuple[tuple[str, ...], float]] = [
    (("mainstream", "resource_base"), 0.27),
    (("resource_base", "special_school"), 0.18),
    (("special_school", "independent"), 0.13),
    (("special_school",), 0.09),
    (("special_school", "independent", "alternative"), 0.11),
    (("mainstream",), 0.10),
    (("mainstream", "alternative"), 0.09),
    (("resource_base", "mainstream"), 0.03),
]
SEVERE: list[tuple[tuple[str, ...], float]] = [
    (("special_school",), 0.6),
    (("special_school", "independent"), 0.4),
]
AGE_WEIGHTS = dict.fromkeys(range(3, 18), 90.0) | {
    3: 112.0,
    4: 296.0,
    11: 393.0,
    16: 228.0,
    17: 53.0,
}
WIDE_SPECIAL_NEEDS = ("MLD", "SLD", "PMLD", "ASD", "MSI", "PD", "OTH", "SLCN")


def generate_county(*, children: int, seed: int = 7, options: Options | None = None) -> Instance:
    """`children` children and the provisions of ⌈children / 2,000⌉ counties side by side."""
    rng = np.random.default_rng(seed)
    counties = max(1, math.ceil(children / CHILDREN_PER_COUNTY))
    columns = math.ceil(math.sqrt(counties))
    all_children: list[Child] = []
    provisions: list[Provision] = []
    for k in range(counties):
        origin_km = ((k % columns) * COUNTY_KM[0], (k // columns) * COUNTY_KM[1])
        size = min(CHILDREN_PER_COUNTY, children - k * CHILDREN_PER_COUNTY)
        scale = size / CHILDREN_PER_COUNTY
        county = _County(rng, origin_km, prefix=f"{k:03d}-")
        provisions.extend(county.provisions(scale))
        all_children.extend(county.children(size, first=len(all_children)))
    _add_preferences(rng, all_children, provisions)
    return Instance(children=all_children, provisions=provisions, options=options or Options())


class _County:
    def __init__(self, rng: np.random.Generator, origin_km: tuple[float, float], prefix: str):
        self.rng = rng
        self.origin_km = origin_km
        self.prefix = prefix
        n_towns = 12
        self.towns = rng.uniform((6, 6), (COUNTY_KM[0] - 6, COUNTY_KM[1] - 6), size=(n_towns, 2))
        weights = 1.0 / np.arange(1, n_towns + 1) ** 1.1  # Zipf-like town sizes
        self.town_weight = weights / weights.sum()

    def _points(self, n: int, rural_share: float = 0.25) -> np.ndarray:
        rng = self.rng
        rural = rng.random(n) < rural_share
        town = rng.choice(len(self.towns), size=n, p=self.town_weight)
        spread = 1.5 + 6.0 * np.sqrt(self.town_weight[town] / self.town_weight.max())
        xy = self.towns[town] + rng.normal(0, 1, size=(n, 2)) * spread[:, None]
        xy[rural] = rng.uniform((0, 0), COUNTY_KM, size=(int(rural.sum()), 2))
        clipped: np.ndarray = np.clip(xy, 0, COUNTY_KM)
        return clipped

    def _latlon(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lat = ORIGIN[0] + (self.origin_km[1] + xy[:, 1]) / KM_PER_DEG_LAT
        lon = ORIGIN[1] + (self.origin_km[0] + xy[:, 0]) / (
            KM_PER_DEG_LAT * np.cos(np.radians(lat))
        )
        return np.round(lat, 5), np.round(lon, 5)

    def children(self, n: int, *, first: int) -> list[Child]:
        rng = self.rng
        lat, lon = self._latlon(self._points(n))
        ages = list(AGE_WEIGHTS)
        age_p = np.array(list(AGE_WEIGHTS.values()))
        age = rng.choice(ages, size=n, p=age_p / age_p.sum())
        need = rng.choice(len(NEEDS), size=n, p=NEED_SHARE / NEED_SHARE.sum())
        out = []
        for i in range(n):
            code = NEEDS[need[i]]
            options = SEVERE if code in ("SLD", "PMLD", "MSI") else SUITABLE
            weights = np.array([w for _, w in options])
            kinds = list(options[rng.choice(len(options), p=weights / weights.sum())][0])
            out.append(
                Child(
                    id=f"c-{first + i:06d}",
                    lat=float(lat[i]),
                    lon=float(lon[i]),
                    age=int(age[i]),
                    need=code,
                    suitable_kinds=tuple(kinds),
                )
            )
        return out

    def provisions(self, scale: float) -> list[Provision]:
        out: list[Provision] = []
        count = {
            "mainstream": 290,
            "resource_base": 25,
            "special_school": 8,
            "satellite": 6,  # early-years satellites of the special schools
            "alternative": 3,
            "independent": 35,
        }
        rng = self.rng
        for kind, full in count.items():
            n = max(1, round(full * scale))
            xy = self._points(n, rural_share=0.3 if kind == "mainstream" else 0.1)
            if kind == "independent":
                away = rng.random(n) < 0.33  # out of county: beyond the boundary
                push = rng.uniform(5, 30, size=n) * rng.choice([-1, 1], size=n)
                xy[away, 0] = np.where(push[away] < 0, 0, COUNTY_KM[0]) + push[away]
            lat, lon = self._latlon(xy)
            for j in range(n):
                out.append(self._provision(kind, j, float(lat[j]), float(lon[j])))
        return out

    def _provision(self, kind: str, j: int, lat: float, lon: float) -> Provision:
        rng = self.rng
        needs: tuple[str, ...] = ()
        caps: dict[str, int] = {}
        if kind == "mainstream":
            lo, hi = [(3, 11), (11, 18), (11, 16)][rng.choice(3, p=[0.86, 0.1, 0.04])]
            capacity = int(rng.integers(1, 9))
            cost = float(rng.choice([6000, 8000, 10000, 12000]))
        elif kind == "resource_base":
            lo, hi = (4, 11) if rng.random() < 0.64 else (11, 16)
            pool = ["ASD", "SLCN", "MLD", "HI", "PD", "SEMH"]
            needs = tuple(
                str(x) for x in rng.choice(pool, size=int(rng.integers(1, 3)), replace=False)
            )
            capacity = int(rng.integers(4, 12))
            cost = float(rng.choice([15000, 17000, 19000, 21000]))
        elif kind in ("special_school", "satellite"):
            if kind == "satellite":
                lo, hi = 2, 7
                needs = tuple(str(x) for x in rng.choice(WIDE_SPECIAL_NEEDS, size=4, replace=False))
                capacity = int(rng.integers(6, 20))
            else:
                lo, hi = (2, 19) if rng.random() < 0.75 else (4, 16)
                needs = WIDE_SPECIAL_NEEDS
                capacity = int(rng.integers(25, 90))
                caps = {"PMLD": max(1, capacity // 8)}
            cost = float(rng.choice([21000, 23000, 25000, 28000]))
        elif kind == "alternative":
            lo, hi = 11, 16
            needs = ("SEMH",)
            capacity = int(rng.integers(20, 35))
            cost = float(rng.choice([16000, 17000, 18000]))
        else:  # independent special school: 2–5× a maintained special place
            lo, hi = [(7, 19), (11, 19), (5, 16)][rng.choice(3, p=[0.45, 0.33, 0.22])]
            pool = ["ASD", "SEMH", "SLD", "SLCN", "SPLD", "MLD"]
            needs = tuple(
                str(x) for x in rng.choice(pool, size=int(rng.integers(1, 4)), replace=False)
            )
            capacity = int(rng.integers(8, 27))
            cost = float(round(24000 * rng.uniform(2.0, 5.0), -3))
        return Provision(
            id=f"{kind[:3]}-{self.prefix}{j:04d}",
            name=f"{kind.replace('_', ' ').title()} {self.prefix}{j}",
            kind="special_school" if kind == "satellite" else kind,
            lat=lat,
            lon=lon,
            capacity=capacity,
            designated_needs=needs,
            min_age=lo,
            max_age=hi,
            annual_cost=cost,
            capacity_by_need=caps,
        )


def _add_preferences(
    rng: np.random.Generator, children: list[Child], provisions: list[Provision]
) -> None:
    """About a quarter of families name one or two schools: mostly near and of a suitable kind."""
    by_kind: dict[str, list[int]] = {}
    for j, p in enumerate(provisions):
        by_kind.setdefault(p.kind, []).append(j)
    lat = np.array([p.lat for p in provisions])
    lon = np.array([p.lon for p in provisions])
    for i, child in enumerate(children):
        if rng.random() >= 0.25:
            continue
        pool = [j for k in child.suitable_kinds for j in by_kind.get(k, [])]
        if rng.random() < 0.15:
            pool = by_kind.get("independent", pool)  # a family asking for an independent school
        if not pool:
            continue
        candidates = np.array(pool)
        d = np.hypot(lat[candidates] - child.lat, (lon[candidates] - child.lon) * 0.61)
        near = candidates[np.argsort(d)[:6]]
        picks = rng.choice(near, size=min(len(near), int(rng.integers(1, 3))), replace=False)
        names = [provisions[int(j)].id for j in picks]
        if rng.random() < 0.01:
            names.insert(0, "urn-000000")  # a school not in this round's list
        children[i] = Child(
            id=child.id,
            lat=child.lat,
            lon=child.lon,
            age=child.age,
            need=child.need,
            suitable_kinds=child.suitable_kinds,
            preferences=tuple(names),
            max_travel_km=child.max_travel_km,
        )
