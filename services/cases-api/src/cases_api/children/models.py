"""Children, their needs, and guardians, as stored."""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, lazyload, mapped_column, relationship

from cases_api.core.db import Base, UTCDateTime
from cases_api.core.time import utcnow
from cases_api.provisions.models import enum_column
from send_contracts import NeedCode


class Sex(StrEnum):
    """SEN2 / school census sex codes."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class SenStatus(StrEnum):
    """School census SEN provision: EHC plan, SEN support, none."""

    EHC_PLAN = "E"
    SEN_SUPPORT = "K"
    NONE = "N"


class Child(Base):
    __tablename__ = "children"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    la_code: Mapped[str] = mapped_column(sa.String(3), index=True)
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
    date_of_birth: Mapped[date] = mapped_column(index=True)
    sex: Mapped[Sex] = mapped_column(enum_column(Sex, "sex"))
    ethnicity: Mapped[str | None] = mapped_column(sa.String(4))
    upn: Mapped[str | None] = mapped_column(sa.String(13), unique=True)
    uln: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    home_postcode: Mapped[str] = mapped_column(sa.String(8))
    home_latitude: Mapped[float | None]
    home_longitude: Mapped[float | None]
    current_school_urn: Mapped[int | None] = mapped_column(index=True)
    # The school the child last left and the day the change was recorded: the school keeps
    # access for the grace period after it (`access.ties`).
    previous_school_urn: Mapped[int | None] = mapped_column(index=True)
    left_previous_school_on: Mapped[date | None]
    # A court order or a risk of harm: the home postcode and location go to officers only.
    do_not_disclose: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    sen_status: Mapped[SenStatus] = mapped_column(enum_column(SenStatus, "sen_status"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    need_rows: Mapped[list["ChildNeed"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ChildNeed.rank"
    )
    guardian_links: Mapped[list["ChildGuardian"]] = relationship(
        back_populates="child", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        sa.CheckConstraint(
            "(home_latitude IS NULL) = (home_longitude IS NULL)", name="home_location_complete"
        ),
        sa.CheckConstraint("home_latitude BETWEEN -90 AND 90", name="home_latitude_range"),
        sa.CheckConstraint("home_longitude BETWEEN -180 AND 180", name="home_longitude_range"),
    )

    @property
    def needs(self) -> list[NeedCode]:
        """Needs in rank order; the first is the primary need."""
        return [row.need for row in self.need_rows]


class ChildNeed(Base):
    """A need of a child, ranked (1 = primary), as SEN2 module 5c records it."""

    __tablename__ = "child_needs"

    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(primary_key=True)
    need: Mapped[NeedCode] = mapped_column(enum_column(NeedCode, "need_code"))

    __table_args__ = (
        sa.UniqueConstraint("child_id", "need"),
        sa.CheckConstraint("rank >= 1", name="rank_positive"),
    )


class Guardian(Base):
    """A parent or carer with a portal account; `external_id` is the token's `guardian_external_id`."""

    __tablename__ = "guardians"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    external_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(320))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    # A court order or a risk of harm: email and phone go to officers only.
    do_not_disclose: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ChildGuardian(Base):
    """A guardian's link to a child; only verified links give a parent access."""

    __tablename__ = "child_guardians"

    child_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("children.id", ondelete="CASCADE"), primary_key=True
    )
    guardian_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("guardians.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relationship_to_child: Mapped[str] = mapped_column(sa.String(50))
    verified: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    child: Mapped[Child] = relationship(back_populates="guardian_links")
    guardian: Mapped[Guardian] = relationship(lazy="joined")


# For reads that present the child alone: its guardian links (with their guardians) are loaded
# only if something touches them, not in one more query on every read.
UNLINKED_CHILD = lazyload(Child.guardian_links)
