"""Plain data the solver takes and gives: no web framework, no validation library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Child:
    id: str
    lat: float
    lon: float
    age: int
    need: str
    suitable_kinds: tuple[str, ...]
    preferences: tuple[str, ...] = ()
    max_travel_km: float | None = None  # None: the instance-wide limit applies


@dataclass(frozen=True, slots=True)
class Provision:
    id: str
    name: str
    kind: str
    lat: float
    lon: float
    capacity: int
    designated_needs: tuple[str, ...]  # empty: any need
    min_age: int
    max_age: int
    annual_cost: float  # £ per place per year
    capacity_by_need: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Options:
    max_travel_km: float | None = 40.0  # None: no limit
    transport_cost_per_km: float = 400.0
    honour_preferences: bool = True
    budget: float | None = None  # £ per year for the sum of annual costs
    time_limit_s: float = 10.0


@dataclass(frozen=True, slots=True)
class Instance:
    children: Sequence[Child]
    provisions: Sequence[Provision]
    options: Options = Options()


class WhyNot(StrEnum):
    FULL = "full"
    TAKEN_BY_PREFERENCE = "taken_by_preference"
    HIGHER_TOTAL_COST = "higher_total_cost"
    PARENTAL_PREFERENCE = "parental_preference"


class UnplacedReason(StrEnum):
    NO_SUITABLE_PROVISION = "no_suitable_provision"
    BEYOND_TRAVEL_LIMIT = "beyond_travel_limit"
    CAPACITY = "capacity"


class RefusalGround(StrEnum):
    UNKNOWN_PROVISION = "unknown_provision"
    UNSUITABLE = "unsuitable"
    BEYOND_TRAVEL_LIMIT = "beyond_travel_limit"
    CAPACITY = "capacity"
    BUDGET = "budget"
    NOT_CONSIDERED = "not_considered"


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"


@dataclass(frozen=True, slots=True)
class Alternative:
    provision_id: str
    distance_km: float
    why_not: WhyNot


@dataclass(frozen=True, slots=True)
class Assignment:
    child_id: str
    provision_id: str
    distance_km: float
    annual_cost: float
    transport_cost: float
    preference_honoured: bool
    explanation: str
    nearer_alternatives: tuple[Alternative, ...]


@dataclass(frozen=True, slots=True)
class Unplaced:
    child_id: str
    reason: UnplacedReason
    detail: str


@dataclass(frozen=True, slots=True)
class RefusedPreference:
    child_id: str
    provision_id: str
    reason: RefusalGround


@dataclass(frozen=True, slots=True)
class Totals:
    children: int
    placed: int
    unplaced: int
    preferences_requested: int
    preferences_honoured: int
    annual_cost: float
    transport_cost: float
    total_cost: float
    distance_km: float
    budget: float | None
    overspend: float


@dataclass(frozen=True, slots=True)
class SolverInfo:
    engine: str
    seconds: float
    gap: float
    time_limit_reached: bool


@dataclass(frozen=True, slots=True)
class Proposal:
    status: Status
    assignments: tuple[Assignment, ...]
    unplaced: tuple[Unplaced, ...]
    preferences_not_honoured: tuple[RefusedPreference, ...]
    totals: Totals
    solver: SolverInfo
