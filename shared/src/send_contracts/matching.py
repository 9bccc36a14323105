"""Wire models of the matching service, contract v1 (`POST /v1/proposals`).

Requests forbid unknown fields so typos never pass silently; every range the contract states is
checked here, so the service never sees an impossible request.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator, model_validator

from send_contracts.codes import NeedCode, ProvisionKind
from send_contracts.problem import FieldRuleError

MAX_TIME_LIMIT_S = 300.0
# Far above any real fee, low enough that costs in pence stay exact in the solver's int64 flows.
MAX_POUNDS_PER_YEAR = 10_000_000.0
# Upper bounds on every number and list, published in the schema so that absurd input is a 422
# rather than an overflow in the solver's int64 arrays. Each is far beyond any real case: the
# benchmarks go to 100,000 children and about 18,000 provisions; England's largest schools have
# a few thousand pupils; the whole country's high-needs budget is about £11bn a year.
MAX_CHILDREN = 200_000
MAX_PROVISIONS = 100_000
MAX_CAPACITY = 100_000
MAX_TRAVEL_KM = 1_000.0  # further than Land's End to John o' Groats by road
MAX_TRANSPORT_POUNDS_PER_KM = 100_000.0  # per year per km; the default is 400
MAX_BUDGET_POUNDS = 1_000_000_000_000.0
MAX_PREFERENCES = 20
MAX_AGE = 25  # school-year ages: 0 to 25, the end of EHC plans' age range

_STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)
Identifier = Annotated[str, Field(min_length=1, max_length=64)]
# Numbers in requests are strict: JSON `false` or "12" is a 422, as the schema says, not a
# silently coerced 0 or 12 (schemathesis found `"budget": false` accepted as a budget of £0).
Number = Annotated[float, Strict()]
Integer = Annotated[int, Strict()]
Km = Annotated[float, Strict(), Field(gt=0, le=MAX_TRAVEL_KM)]
Capacity = Annotated[int, Strict(), Field(ge=0, le=MAX_CAPACITY)]


class Location(BaseModel):
    model_config = _STRICT

    lat: Number = Field(ge=-90, le=90, description="Latitude, WGS84 degrees.")
    lon: Number = Field(ge=-180, le=180, description="Longitude, WGS84 degrees.")


class ChildIn(BaseModel):
    """A child who needs a placement, as the EHC needs assessment describes them."""

    model_config = _STRICT

    id: Identifier = Field(description="Unique within the request.")
    location: Location
    age: Integer = Field(ge=0, le=MAX_AGE, description="Age at the start of the placement.")
    primary_need: NeedCode
    suitable_kinds: list[ProvisionKind] = Field(
        min_length=1,
        max_length=len(ProvisionKind),
        description="Kinds of provision the assessment found suitable.",
    )
    preferences: list[Identifier] = Field(
        default_factory=list,
        max_length=MAX_PREFERENCES,
        description="Provision ids the family asked for (s38), in order.",
    )
    max_travel_km: Km | None = Field(
        default=None, description="Overrides `options.max_travel_km` for this child."
    )


class ProvisionIn(BaseModel):
    """A provision with places free in this round."""

    model_config = _STRICT

    id: Identifier = Field(description="Unique within the request.")
    name: str = Field(min_length=1, max_length=200)
    kind: ProvisionKind
    location: Location
    capacity: Capacity = Field(description="Places free for this round.")
    capacity_by_need: dict[NeedCode, Capacity] | None = Field(
        default=None, description="Optional per-need caps inside `capacity`."
    )
    designated_needs: list[NeedCode] = Field(
        max_length=len(NeedCode), description="Empty list: any need."
    )
    min_age: Integer = Field(ge=0, le=MAX_AGE)
    max_age: Integer = Field(ge=0, le=MAX_AGE)
    annual_cost: Number = Field(
        ge=0,
        le=MAX_POUNDS_PER_YEAR,
        description="£ per place per year (place funding + top-up, or the fee).",
    )

    @model_validator(mode="after")
    def _ages_in_order(self) -> Self:
        if self.min_age > self.max_age:
            raise FieldRuleError("max_age", "min_age must not exceed max_age")
        return self


class ProposalOptions(BaseModel):
    model_config = _STRICT

    max_travel_km: Km | None = Field(default=40.0, description="null: no limit.")
    transport_cost_per_km: Number = Field(
        default=400.0,
        ge=0,
        le=MAX_TRANSPORT_POUNDS_PER_KM,
        description="£ per year per km of one-way distance.",
    )
    preferences: Literal["priority", "ignore"] = "priority"
    budget: Number | None = Field(
        default=None,
        ge=0,
        le=MAX_BUDGET_POUNDS,
        description="£ per year for the sum of annual costs; null: none.",
    )
    time_limit_s: Number = Field(
        default=10.0, gt=0, le=MAX_TIME_LIMIT_S, description="Hard ceiling on solve time."
    )


class ProposalRequest(BaseModel):
    model_config = _STRICT

    children: list[ChildIn] = Field(max_length=MAX_CHILDREN)
    provisions: list[ProvisionIn] = Field(max_length=MAX_PROVISIONS)
    options: ProposalOptions = Field(default_factory=ProposalOptions)

    @field_validator("children")
    @classmethod
    def _unique_child_ids(cls, children: list[ChildIn]) -> list[ChildIn]:
        _reject_duplicates([c.id for c in children], "child")
        return children

    @field_validator("provisions")
    @classmethod
    def _unique_provision_ids(cls, provisions: list[ProvisionIn]) -> list[ProvisionIn]:
        _reject_duplicates([p.id for p in provisions], "provision")
        return provisions


def _reject_duplicates(ids: list[str], what: str) -> None:
    counts = Counter(ids)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate {what} ids: {', '.join(duplicates[:10])}")


class ProposalStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"


class WhyNot(StrEnum):
    """Why a nearer admissible provision was not used."""

    FULL = "full"
    TAKEN_BY_PREFERENCE = "taken_by_preference"
    HIGHER_TOTAL_COST = "higher_total_cost"
    PARENTAL_PREFERENCE = "parental_preference"  # the family's named school was honoured instead


class UnplacedReason(StrEnum):
    NO_SUITABLE_PROVISION = "no_suitable_provision"
    BEYOND_TRAVEL_LIMIT = "beyond_travel_limit"
    CAPACITY = "capacity"


class RefusalReason(StrEnum):
    """Ground for not naming the family's first preference (CFA 2014 s39(4))."""

    UNKNOWN_PROVISION = "unknown_provision"
    UNSUITABLE = "unsuitable"
    BEYOND_TRAVEL_LIMIT = "beyond_travel_limit"
    CAPACITY = "capacity"
    BUDGET = "budget"
    NOT_CONSIDERED = "not_considered"


class NearerAlternative(BaseModel):
    provision_id: str
    distance_km: float
    why_not: WhyNot


class AssignmentOut(BaseModel):
    child_id: str
    provision_id: str
    distance_km: float = Field(description="Great-circle km, rounded to the metre.")
    annual_cost: float
    transport_cost: float = Field(description="£ per year, from the unrounded distance.")
    preference_honoured: bool
    explanation: str
    nearer_alternatives: list[NearerAlternative]


class UnplacedOut(BaseModel):
    child_id: str
    reason: UnplacedReason
    detail: str


class PreferenceNotHonoured(BaseModel):
    child_id: str
    provision_id: str = Field(description="The child's first preference.")
    reason: RefusalReason


class ProposalTotals(BaseModel):
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


class SolverInfo(BaseModel):
    engine: str
    seconds: float
    gap: float = Field(ge=0, description="Proven relative gap; 0 when optimal.")
    time_limit_reached: bool


class ProposalResponse(BaseModel):
    status: ProposalStatus
    assignments: list[AssignmentOut]
    unplaced: list[UnplacedOut]
    preferences_not_honoured: list[PreferenceNotHonoured]
    totals: ProposalTotals
    solver: SolverInfo
