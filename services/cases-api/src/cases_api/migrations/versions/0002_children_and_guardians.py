"""children and guardians

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 12:55:17.952802
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "children",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("la_code", sa.String(length=3), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "F", "M", "U", name="sex", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("ethnicity", sa.String(length=4), nullable=True),
        sa.Column("upn", sa.String(length=13), nullable=True),
        sa.Column("uln", sa.String(length=10), nullable=True),
        sa.Column("home_postcode", sa.String(length=8), nullable=False),
        sa.Column("home_latitude", sa.Double(), nullable=True),
        sa.Column("home_longitude", sa.Double(), nullable=True),
        sa.Column("current_school_urn", sa.Integer(), nullable=True),
        sa.Column(
            "sen_status",
            sa.Enum(
                "E",
                "K",
                "N",
                name="sen_status",
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
            "(home_latitude IS NULL) = (home_longitude IS NULL)",
            name=op.f("ck_children_home_location_complete"),
        ),
        sa.CheckConstraint(
            "home_latitude BETWEEN -90 AND 90", name=op.f("ck_children_home_latitude_range")
        ),
        sa.CheckConstraint(
            "home_longitude BETWEEN -180 AND 180", name=op.f("ck_children_home_longitude_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_children")),
        sa.UniqueConstraint("uln", name=op.f("uq_children_uln")),
        sa.UniqueConstraint("upn", name=op.f("uq_children_upn")),
    )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_children_current_school_urn"), ["current_school_urn"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_children_date_of_birth"), ["date_of_birth"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_children_la_code"), ["la_code"], unique=False)

    op.create_table(
        "guardians",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardians")),
        sa.UniqueConstraint("external_id", name=op.f("uq_guardians_external_id")),
    )
    op.create_table(
        "child_guardians",
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("guardian_id", sa.Uuid(), nullable=False),
        sa.Column("relationship_to_child", sa.String(length=50), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_child_guardians_child_id_children"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["guardian_id"],
            ["guardians.id"],
            name=op.f("fk_child_guardians_guardian_id_guardians"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("child_id", "guardian_id", name=op.f("pk_child_guardians")),
    )
    with op.batch_alter_table("child_guardians", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_child_guardians_guardian_id"), ["guardian_id"], unique=False
        )

    op.create_table(
        "child_needs",
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
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
        sa.CheckConstraint("rank >= 1", name=op.f("ck_child_needs_rank_positive")),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_child_needs_child_id_children"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("child_id", "rank", name=op.f("pk_child_needs")),
        sa.UniqueConstraint("child_id", "need", name=op.f("uq_child_needs_child_id_need")),
    )


def downgrade() -> None:
    op.drop_table("child_needs")
    with op.batch_alter_table("child_guardians", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_guardians_guardian_id"))

    op.drop_table("child_guardians")
    op.drop_table("guardians")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_children_la_code"))
        batch_op.drop_index(batch_op.f("ix_children_date_of_birth"))
        batch_op.drop_index(batch_op.f("ix_children_current_school_urn"))

    op.drop_table("children")
