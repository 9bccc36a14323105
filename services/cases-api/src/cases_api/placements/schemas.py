"""Request and response bodies of placements."""

import uuid
from datetime import date, datetime
from typing import Self

from pydantic import Field, model_validator

from cases_api.core.etag import etag_for
from cases_api.core.references import ChildReference, ProvisionReference
from cases_api.core.schemas import CaseDate, InputModel, OutputModel, Pence
from cases_api.placements.models import Placement, PlacementStatus
from send_contracts.problems import FieldRuleError


class PlacementCreate(InputModel):
    """Take a place for a child; refused with 409 when the provision has none free."""

    child_id: ChildReference
    provision_id: ProvisionReference
    starts_on: CaseDate
    ends_on: CaseDate | None = Field(default=None, description="A planned end, if known.")
    annual_cost_pence: Pence | None = Field(
        default=None, description="Defaults to the provision's annual cost per place."
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise FieldRuleError("ends_on", "ends_on is before starts_on")
        return self


class PlacementEnd(InputModel):
    """End the placement; its place is freed."""

    ended_on: CaseDate


class PlacementRead(OutputModel):
    id: uuid.UUID
    child_id: uuid.UUID
    provision_id: uuid.UUID
    provision_name: str
    status: PlacementStatus
    starts_on: date
    ends_on: date | None
    annual_cost_pence: int | None = Field(
        description="Null for a school reading another setting's placement."
    )
    etag: str
    created_at: datetime
    updated_at: datetime


def present_placement(placement: Placement) -> PlacementRead:
    """The API view of a placement."""
    return PlacementRead(
        id=placement.id,
        child_id=placement.child_id,
        provision_id=placement.provision_id,
        provision_name=placement.provision.name,
        status=placement.status,
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        annual_cost_pence=placement.annual_cost_pence,
        etag=etag_for(placement.version),
        created_at=placement.created_at,
        updated_at=placement.updated_at,
    )
