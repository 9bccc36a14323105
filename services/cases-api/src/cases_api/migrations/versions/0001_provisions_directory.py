"""provisions directory

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29 12:46:51.878894
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "establishments",
        sa.Column("urn", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("la_code", sa.String(length=3), nullable=False),
        sa.Column("establishment_type", sa.String(length=100), nullable=False),
        sa.Column(
            "phase",
            sa.Enum(
                "nursery",
                "primary",
                "middle_deemed_primary",
                "secondary",
                "middle_deemed_secondary",
                "sixteen_plus",
                "all_through",
                "not_applicable",
                name="phase",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("statutory_low_age", sa.Integer(), nullable=False),
        sa.Column("statutory_high_age", sa.Integer(), nullable=False),
        sa.Column("postcode", sa.String(length=8), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "closed",
                "proposed_to_open",
                "open_proposed_to_close",
                name="establishment_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "latitude BETWEEN -90 AND 90", name=op.f("ck_establishments_latitude_range")
        ),
        sa.CheckConstraint(
            "longitude BETWEEN -180 AND 180", name=op.f("ck_establishments_longitude_range")
        ),
        sa.CheckConstraint(
            "statutory_low_age <= statutory_high_age", name=op.f("ck_establishments_age_range")
        ),
        sa.PrimaryKeyConstraint("urn", name=op.f("pk_establishments")),
    )
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_establishments_la_code"), ["la_code"], unique=False)

    op.create_table(
        "provisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("establishment_urn", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "mainstream",
                "resource_base",
                "special_school",
                "independent",
                "alternative",
                "early_years",
                "post16",
                name="provision_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("min_age", sa.Integer(), nullable=False),
        sa.Column("max_age", sa.Integer(), nullable=False),
        sa.Column("places_total", sa.Integer(), nullable=False),
        sa.Column("places_taken", sa.Integer(), nullable=False),
        sa.Column("place_funding_pence", sa.BigInteger(), nullable=False),
        sa.Column("top_up_pence", sa.BigInteger(), nullable=False),
        sa.Column("fee_pence", sa.BigInteger(), nullable=True),
        sa.Column("figures_as_of", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("min_age <= max_age", name=op.f("ck_provisions_age_range")),
        sa.CheckConstraint(
            "place_funding_pence >= 0 AND top_up_pence >= 0 AND (fee_pence IS NULL OR fee_pence >= 0)",
            name=op.f("ck_provisions_costs_non_negative"),
        ),
        sa.CheckConstraint(
            "places_taken <= places_total", name=op.f("ck_provisions_places_within_total")
        ),
        sa.CheckConstraint(
            "places_taken >= 0", name=op.f("ck_provisions_places_taken_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["establishment_urn"],
            ["establishments.urn"],
            name=op.f("fk_provisions_establishment_urn_establishments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provisions")),
    )
    with op.batch_alter_table("provisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provisions_establishment_urn"), ["establishment_urn"], unique=False
        )

    op.create_table(
        "provision_needs",
        sa.Column("provision_id", sa.Uuid(), nullable=False),
        sa.Column(
            "need",
            sa.Enum(
                "SPLD",
                "MLD",
                "SLD",
                "PMLD",
                "SEMH",
                "SLCN",
                "HI",
                "VI",
                "MSI",
                "PD",
                "ASD",
                "OTH",
                name="need_code",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["provisions.id"],
            name=op.f("fk_provision_needs_provision_id_provisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("provision_id", "need", name=op.f("pk_provision_needs")),
    )


def downgrade() -> None:
    op.drop_table("provision_needs")
    with op.batch_alter_table("provisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provisions_establishment_urn"))

    op.drop_table("provisions")
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_establishments_la_code"))

    op.drop_table("establishments")
