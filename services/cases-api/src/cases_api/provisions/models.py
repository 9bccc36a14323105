"""Establishments (GIAS) and their provisions, as stored."""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.statutory import AdmittedAges, admitted_ages
from send_contracts import NeedCode, ProvisionKind


class Phase(StrEnum):
    """GIAS `PhaseOfEducation`, in snake case."""

    NURSERY = "nursery"
    PRIMARY = "primary"
    MIDDLE_DEEMED_PRIMARY = "middle_deemed_primary"
    SECONDARY = "secondary"
    MIDDLE_DEEMED_SECONDARY = "middle_deemed_secondary"
    SIXTEEN_PLUS = "sixteen_plus"
    ALL_THROUGH = "all_through"
    NOT_APPLICABLE = "not_applicable"


class EstablishmentStatus(StrEnum):
    """GIAS `EstablishmentStatus`."""

    OPEN = "open"
    CLOSED = "closed"
    PROPOSED_TO_OPEN = "proposed_to_open"
    OPEN_PROPOSED_TO_CLOSE = "open_proposed_to_close"


def enum_column(enum: type[StrEnum], name: str) -> sa.Enum:
    """A portable enum: VARCHAR plus a CHECK constraint, storing the values."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Establishment(Base):
    __tablename__ = "establishments"

    urn: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(200))
    la_code: Mapped[str] = mapped_column(sa.String(3), index=True)
    establishment_type: Mapped[str] = mapped_column(sa.String(100))
    phase: Mapped[Phase] = mapped_column(enum_column(Phase, "phase"))
    statutory_low_age: Mapped[int]
    statutory_high_age: Mapped[int]
    postcode: Mapped[str] = mapped_column(sa.String(8))
    latitude: Mapped[float]
    longitude: Mapped[float]
    status: Mapped[EstablishmentStatus] = mapped_column(
        enum_column(EstablishmentStatus, "establishment_status")
    )
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    provisions: Mapped[list["Provision"]] = relationship(back_populates="establishment")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint("statutory_low_age <= statutory_high_age", name="age_range"),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )


class Provision(Base):
    __tablename__ = "provisions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    establishment_urn: Mapped[int] = mapped_column(
        sa.ForeignKey("establishments.urn", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[ProvisionKind] = mapped_column(enum_column(ProvisionKind, "provision_kind"))
    # Statutory ages as GIAS gives them: the age pupils start at and the age they leave at.
    min_age: Mapped[int]
    max_age: Mapped[int]
    places_total: Mapped[int]
    places_taken: Mapped[int]
    # Promised in an allocation round and awaiting the school's answer: not free, not yet taken.
    places_held: Mapped[int] = mapped_column(default=0, server_default="0")
    place_funding_pence: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    top_up_pence: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    fee_pence: Mapped[int | None] = mapped_column(sa.BigInteger)
    figures_as_of: Mapped[date]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    establishment: Mapped[Establishment] = relationship(back_populates="provisions", lazy="joined")
    need_rows: Mapped[list["ProvisionNeed"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProvisionNeed.need"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint("min_age <= max_age", name="age_range"),
        sa.CheckConstraint("places_taken >= 0", name="places_taken_non_negative"),
        sa.CheckConstraint("places_held >= 0", name="places_held_non_negative"),
        sa.CheckConstraint(
            "places_taken + places_held <= places_total", name="places_within_total"
        ),
        sa.CheckConstraint(
            "place_funding_pence >= 0 AND top_up_pence >= 0 AND (fee_pence IS NULL OR fee_pence >= 0)",
            name="costs_non_negative",
        ),
    )

    @property
    def free_places(self) -> int:
        return self.places_total - self.places_taken - self.places_held

    @property
    def annual_cost_pence(self) -> int:
        """The provider's fee where there is one, else place funding plus top-up."""
        if self.fee_pence is not None:
            return self.fee_pence
        return self.place_funding_pence + self.top_up_pence

    @property
    def admits(self) -> AdmittedAges:
        """The school-year ages the provision admits (matching contract 1.1)."""
        return admitted_ages(statutory_low_age=self.min_age, statutory_high_age=self.max_age)

    @property
    def designated_needs(self) -> list[NeedCode]:
        return [row.need for row in self.need_rows]


class ProvisionNeed(Base):
    """A need a provision is designated for. None at all means any need (typical of mainstream)."""

    __tablename__ = "provision_needs"

    provision_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("provisions.id", ondelete="CASCADE"), primary_key=True
    )
    need: Mapped[NeedCode] = mapped_column(enum_column(NeedCode, "need_code"), primary_key=True)
