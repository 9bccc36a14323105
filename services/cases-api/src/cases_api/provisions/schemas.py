"""Request and response bodies of the provisions directory."""

import uuid
from datetime import date, datetime
from typing import Self

from pydantic import Field, model_validator

from cases_api.core.etag import etag_for
from cases_api.core.schemas import (
    Age,
    InputModel,
    LaCode,
    Location,
    OutputModel,
    Pence,
    Places,
    Postcode,
    Urn,
)
from cases_api.provisions.models import Establishment, EstablishmentStatus, Phase, Provision
from send_contracts import NeedCode, ProvisionKind
from send_contracts.matching import MAX_POUNDS_PER_YEAR
from send_contracts.problems import FieldRuleError

MAX_ANNUAL_COST_PENCE = round(MAX_POUNDS_PER_YEAR * 100)


def _check_age_range(low: int | None, high: int | None, *, upper: str) -> None:
    if low is not None and high is not None and low >= high:
        raise FieldRuleError(
            upper,
            "the age range is empty: pupils leave (the upper age) after the age they start at",
        )


STATUTORY_LOW = (
    "The statutory low age as GIAS gives it: the age pupils start at (4 for a 4–11 primary)."
)
STATUTORY_HIGH = (
    "The statutory high age as GIAS gives it: the age pupils leave at (11 for a 4–11 primary). "
    "The setting admits school-year ages from the low age to one below this (a 4–11 primary "
    "admits 4..10, Reception to Year 6)."
)


class EstablishmentCreate(InputModel):
    urn: Urn
    name: str = Field(min_length=1, max_length=200, examples=["Castle Rock High School"])
    la_code: LaCode
    establishment_type: str = Field(
        min_length=1, max_length=100, examples=["Community special school"]
    )
    phase: Phase
    statutory_low_age: Age
    statutory_high_age: Age
    postcode: Postcode
    location: Location
    status: EstablishmentStatus = EstablishmentStatus.OPEN

    @model_validator(mode="after")
    def _ages(self) -> Self:
        _check_age_range(
            self.statutory_low_age, self.statutory_high_age, upper="statutory_high_age"
        )
        return self


class EstablishmentUpdate(InputModel):
    """Only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    establishment_type: str | None = Field(default=None, min_length=1, max_length=100)
    phase: Phase | None = None
    statutory_low_age: Age | None = None
    statutory_high_age: Age | None = None
    postcode: Postcode | None = None
    location: Location | None = None
    status: EstablishmentStatus | None = None


class EstablishmentRead(OutputModel):
    urn: int
    name: str
    la_code: str
    establishment_type: str
    phase: Phase
    statutory_low_age: int
    statutory_high_age: int
    postcode: str
    location: Location
    status: EstablishmentStatus
    etag: str = Field(description="Send it back as If-Match to update this record.")
    created_at: datetime
    updated_at: datetime


class ProvisionCosts(InputModel):
    """What a place costs a year: place funding plus top-up, or the provider's fee."""

    place_funding_pence: Pence = Field(default=0, examples=[1_000_000])
    top_up_pence: Pence = Field(default=0, examples=[1_250_000])
    fee_pence: Pence | None = Field(
        default=None, description="Independent and non-maintained providers' annual fee."
    )

    @model_validator(mode="after")
    def _within_matching(self) -> Self:
        # Each part is within the cap on its own; their sum is what matching is sent.
        if self.place_funding_pence + self.top_up_pence > MAX_ANNUAL_COST_PENCE:
            raise FieldRuleError(
                "top_up_pence",
                f"place funding plus top-up is over {MAX_ANNUAL_COST_PENCE} pence a year",
            )
        return self


class ProvisionCreate(InputModel):
    establishment_urn: Urn
    name: str = Field(min_length=1, max_length=200, examples=["Castle Rock ASD Resource Base"])
    kind: ProvisionKind
    designated_needs: list[NeedCode] = Field(
        default_factory=list,
        max_length=12,
        description="SEN2 need codes; empty means any need.",
        examples=[["ASD", "SLCN"]],
    )
    min_age: Age = Field(description=STATUTORY_LOW, examples=[4])
    max_age: Age = Field(description=STATUTORY_HIGH, examples=[11])
    places_total: Places = Field(examples=[12])
    places_taken: Places = Field(examples=[10])
    costs: ProvisionCosts
    figures_as_of: date = Field(description="The date the places and costs hold from.")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        check_provision_rules(
            kind=self.kind,
            min_age=self.min_age,
            max_age=self.max_age,
            places_total=self.places_total,
            places_taken=self.places_taken,
            fee_pence=self.costs.fee_pence,
            designated_needs=self.designated_needs,
        )
        return self


class ProvisionUpdate(InputModel):
    """Only the fields sent are changed; the result must still be consistent."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    designated_needs: list[NeedCode] | None = Field(default=None, max_length=12)
    min_age: Age | None = Field(default=None, description=STATUTORY_LOW)
    max_age: Age | None = Field(default=None, description=STATUTORY_HIGH)
    places_total: Places | None = None
    places_taken: Places | None = None
    costs: ProvisionCosts | None = None
    figures_as_of: date | None = None


class EstablishmentSummary(OutputModel):
    urn: int
    name: str
    la_code: str
    phase: Phase
    postcode: str
    location: Location


class ProvisionCostsRead(OutputModel):
    place_funding_pence: int
    top_up_pence: int
    fee_pence: int | None
    annual_cost_pence: int = Field(description="Fee if set, else place funding plus top-up.")


class AdmittedAgesRead(OutputModel):
    """The school-year ages (age on the 31 August before entry) the provision admits."""

    from_age: int
    to_age: int
    year_groups: str = Field(examples=["Reception to Year 6"])


class ProvisionRead(OutputModel):
    id: uuid.UUID
    name: str
    kind: ProvisionKind
    designated_needs: list[NeedCode]
    min_age: int = Field(description=STATUTORY_LOW)
    max_age: int = Field(description=STATUTORY_HIGH)
    admits: AdmittedAgesRead
    places_total: int
    places_taken: int
    places_held: int = Field(
        description="Promised in an allocation round, awaiting the school's answer."
    )
    free_places: int = Field(description="places_total - places_taken - places_held.")
    costs: ProvisionCostsRead
    figures_as_of: date
    establishment: EstablishmentSummary
    distance_km: float | None = Field(
        default=None, description="From the point given in the list query, if any."
    )
    etag: str
    created_at: datetime
    updated_at: datetime


def check_provision_rules(
    *,
    kind: ProvisionKind,
    min_age: int,
    max_age: int,
    places_total: int,
    places_taken: int,
    places_held: int = 0,
    fee_pence: int | None,
    designated_needs: list[NeedCode],
) -> None:
    """The rules a provision must satisfy as a whole; ValueError names the first one broken."""
    _check_age_range(min_age, max_age, upper="max_age")
    if places_taken + places_held > places_total:
        if places_held:
            raise FieldRuleError(
                "places_taken",
                f"places_taken plus the {places_held} places held in allocation rounds "
                "would be above places_total",
            )
        raise FieldRuleError("places_taken", "places_taken is above places_total")
    if kind is ProvisionKind.INDEPENDENT and fee_pence is None:
        raise FieldRuleError(
            "costs.fee_pence",
            "an independent provision needs costs.fee_pence (the LA pays the fee)",
        )
    if len(set(designated_needs)) != len(designated_needs):
        raise FieldRuleError("designated_needs", "designated_needs lists a need twice")


def present_establishment(establishment: Establishment) -> EstablishmentRead:
    """The API view of an establishment."""
    return EstablishmentRead.model_validate(
        {
            **_columns(establishment),
            "location": Location(lat=establishment.latitude, lon=establishment.longitude),
            "etag": etag_for(establishment.version),
        }
    )


def present_provision(provision: Provision, *, distance_km: float | None = None) -> ProvisionRead:
    """The API view of a provision, with derived figures."""
    establishment = provision.establishment
    return ProvisionRead.model_validate(
        {
            **_columns(provision),
            "designated_needs": provision.designated_needs,
            "free_places": provision.free_places,
            "admits": AdmittedAgesRead(
                from_age=provision.admits.low,
                to_age=provision.admits.high,
                year_groups=provision.admits.name,
            ),
            "costs": ProvisionCostsRead(
                place_funding_pence=provision.place_funding_pence,
                top_up_pence=provision.top_up_pence,
                fee_pence=provision.fee_pence,
                annual_cost_pence=provision.annual_cost_pence,
            ),
            "establishment": EstablishmentSummary(
                urn=establishment.urn,
                name=establishment.name,
                la_code=establishment.la_code,
                phase=establishment.phase,
                postcode=establishment.postcode,
                location=Location(lat=establishment.latitude, lon=establishment.longitude),
            ),
            "distance_km": round(distance_km, 3) if distance_km is not None else None,
            "etag": etag_for(provision.version),
        }
    )


def _columns(row: Establishment | Provision) -> dict[str, object]:
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}
