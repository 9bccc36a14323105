"""EHC plans with their versions, annual reviews, placements

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 12:59:12.697325
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_CEASED = "ceased_on IS NULL"
ACTIVE = "status = 'active'"


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("assessment_request_id", sa.Uuid(), nullable=True),
        sa.Column("latest_version_number", sa.Integer(), nullable=False),
        sa.Column(
            "latest_kind",
            sa.Enum(
                "draft",
                "final",
                "amendment_notice",
                "reissue",
                name="plan_version_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("made_on", sa.Date(), nullable=True),
        sa.Column("named_provision_id", sa.Uuid(), nullable=True),
        sa.Column(
            "named_setting_code",
            sa.Enum(
                "EHE",
                "EYP",
                "NEET",
                "OLA",
                "OPA",
                "OTH",
                name="setting_code",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("named_setting_from", sa.Date(), nullable=True),
        sa.Column("last_review_meeting_on", sa.Date(), nullable=True),
        sa.Column("next_review_due", sa.Date(), nullable=True),
        sa.Column("ceased_on", sa.Date(), nullable=True),
        sa.Column("cease_reason", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("cease_reason BETWEEN 1 AND 9", name=op.f("ck_plans_cease_reason_sen2")),
        sa.CheckConstraint(
            "latest_version_number >= 1", name=op.f("ck_plans_latest_version_positive")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_request_id"],
            ["assessment_requests.id"],
            name=op.f("fk_plans_assessment_request_id_assessment_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_plans_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plans_assessment_request_id"), ["assessment_request_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plans_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plans_next_review_due"), ["next_review_due"], unique=False
        )
        batch_op.create_index(
            "uq_plans_child_not_ceased",
            ["child_id"],
            unique=True,
            sqlite_where=sa.text(NOT_CEASED),
            postgresql_where=sa.text(NOT_CEASED),
        )

    op.create_table(
        "annual_reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("previous_meeting_on", sa.Date(), nullable=True),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("decision_notified_on", sa.Date(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "maintain",
                "amend",
                "cease",
                name="review_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("cease_reason", sa.Integer(), nullable=True),
        sa.Column("amendment_notice_on", sa.Date(), nullable=True),
        sa.Column("amended_plan_issued_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(cease_reason IS NULL) = (outcome IS NULL OR outcome <> 'cease')",
            name=op.f("ck_annual_reviews_cease_reason_only_when_ceasing"),
        ),
        sa.CheckConstraint(
            "(outcome IS NULL) = (decision_notified_on IS NULL)",
            name=op.f("ck_annual_reviews_outcome_with_decision_date"),
        ),
        sa.CheckConstraint(
            "cease_reason BETWEEN 1 AND 9", name=op.f("ck_annual_reviews_cease_reason_sen2")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_annual_reviews_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_reviews")),
    )
    with op.batch_alter_table("annual_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_annual_reviews_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "placements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("provision_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "ended",
                name="placement_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("annual_cost_pence", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("annual_cost_pence >= 0", name=op.f("ck_placements_cost_non_negative")),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_placements_dates_in_order")
        ),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_placements_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["provisions.id"],
            name=op.f("fk_placements_provision_id_provisions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
    )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placements_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_placements_provision_id"), ["provision_id"], unique=False
        )
        batch_op.create_index(
            "uq_placements_active_child_provision",
            ["child_id", "provision_id"],
            unique=True,
            sqlite_where=sa.text(ACTIVE),
            postgresql_where=sa.text(ACTIVE),
        )

    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "draft",
                "final",
                "amendment_notice",
                "reissue",
                name="plan_version_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("comments_waived", sa.Boolean(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_plan_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_versions_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_plan_versions_plan_id_number")),
    )


def downgrade() -> None:
    op.drop_table("plan_versions")
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_index("uq_placements_active_child_provision")
        batch_op.drop_index(batch_op.f("ix_placements_provision_id"))
        batch_op.drop_index(batch_op.f("ix_placements_child_id"))

    op.drop_table("placements")
    with op.batch_alter_table("annual_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annual_reviews_plan_id"))

    op.drop_table("annual_reviews")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("uq_plans_child_not_ceased")
        batch_op.drop_index(batch_op.f("ix_plans_next_review_due"))
        batch_op.drop_index(batch_op.f("ix_plans_child_id"))
        batch_op.drop_index(batch_op.f("ix_plans_assessment_request_id"))

    op.drop_table("plans")
