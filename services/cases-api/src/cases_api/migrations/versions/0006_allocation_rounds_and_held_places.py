"""allocation rounds and held places

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 13:30:10.130844
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "allocation_rounds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("la_code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "closed",
                name="round_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("budget_pence", sa.BigInteger(), nullable=True),
        sa.Column("max_travel_km", sa.Double(), nullable=True),
        sa.Column("transport_cost_per_km_pence", sa.BigInteger(), nullable=False),
        sa.Column("honour_preferences", sa.Boolean(), nullable=False),
        sa.Column("time_limit_s", sa.Double(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "budget_pence IS NULL OR budget_pence >= 0",
            name=op.f("ck_allocation_rounds_budget_positive"),
        ),
        sa.CheckConstraint(
            "time_limit_s > 0 AND time_limit_s <= 300",
            name=op.f("ck_allocation_rounds_time_limit_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_rounds")),
    )
    with op.batch_alter_table("allocation_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocation_rounds_la_code"), ["la_code"], unique=False)

    op.create_table(
        "round_children",
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("suitable_kinds", sa.JSON(), nullable=False),
        sa.Column("requested_provision_ids", sa.JSON(), nullable=False),
        sa.Column("age_at_entry", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_round_children_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["allocation_rounds.id"],
            name=op.f("fk_round_children_round_id_allocation_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "child_id", name=op.f("pk_round_children")),
    )
    op.create_table(
        "round_proposals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["allocation_rounds.id"],
            name=op.f("fk_round_proposals_round_id_allocation_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_proposals")),
        sa.UniqueConstraint("round_id", "number", name=op.f("uq_round_proposals_round_id_number")),
    )
    with op.batch_alter_table("round_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_proposals_round_id"), ["round_id"], unique=False)

    op.create_table(
        "round_decisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("proposal_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "accepted",
                "rejected",
                "overridden",
                name="decision_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("provision_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_round_decisions_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["round_proposals.id"],
            name=op.f("fk_round_decisions_proposal_id_round_proposals"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["provisions.id"],
            name=op.f("fk_round_decisions_provision_id_provisions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["allocation_rounds.id"],
            name=op.f("fk_round_decisions_round_id_allocation_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_decisions")),
    )
    with op.batch_alter_table("round_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_decisions_round_id"), ["round_id"], unique=False)
        batch_op.create_index(
            "uq_round_decisions_current",
            ["round_id", "child_id"],
            unique=True,
            sqlite_where=sa.text("current"),
            postgresql_where=sa.text("current"),
        )

    op.create_table(
        "consultations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=True),
        sa.Column("decision_id", sa.Uuid(), nullable=True),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("provision_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "agreed",
                "declined",
                "withdrawn",
                name="consultation_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answer_reason", sa.String(length=2000), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("placement_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_consultations_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["round_decisions.id"],
            name=op.f("fk_consultations_decision_id_round_decisions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placements.id"],
            name=op.f("fk_consultations_placement_id_placements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["provisions.id"],
            name=op.f("fk_consultations_provision_id_provisions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["allocation_rounds.id"],
            name=op.f("fk_consultations_round_id_allocation_rounds"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultations_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_consultations_provision_id"), ["provision_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_consultations_round_id"), ["round_id"], unique=False)

    with op.batch_alter_table("provisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("places_held", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.drop_constraint(op.f("ck_provisions_places_within_total"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_provisions_places_within_total"),
            "places_taken + places_held <= places_total",
        )
        batch_op.create_check_constraint(
            op.f("ck_provisions_places_held_non_negative"), "places_held >= 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("provisions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_provisions_places_held_non_negative"), type_="check")
        batch_op.drop_constraint(op.f("ck_provisions_places_within_total"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_provisions_places_within_total"), "places_taken <= places_total"
        )
        batch_op.drop_column("places_held")

    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_round_id"))
        batch_op.drop_index(batch_op.f("ix_consultations_provision_id"))
        batch_op.drop_index(batch_op.f("ix_consultations_child_id"))

    op.drop_table("consultations")
    with op.batch_alter_table("round_decisions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_round_decisions_current",
            sqlite_where=sa.text("current"),
            postgresql_where=sa.text("current"),
        )
        batch_op.drop_index(batch_op.f("ix_round_decisions_round_id"))

    op.drop_table("round_decisions")
    with op.batch_alter_table("round_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_proposals_round_id"))

    op.drop_table("round_proposals")
    op.drop_table("round_children")
    with op.batch_alter_table("allocation_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_rounds_la_code"))

    op.drop_table("allocation_rounds")
