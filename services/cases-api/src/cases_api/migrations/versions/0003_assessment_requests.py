"""assessment requests, clock exceptions, disputes; guardian link verification

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 13:00:02.436037
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The final states of a request, written out: a migration must not change with the code.
OPEN_STATES = (
    "state NOT IN ('decided_not_to_issue', 'final_issued', 'refused_to_assess', 'withdrawn')"
)


def upgrade() -> None:
    op.create_table(
        "assessment_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("la_code", sa.String(length=3), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "parent",
                "school",
                "health",
                "social_care",
                "other",
                name="request_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "received",
                "decided_to_assess",
                "refused_to_assess",
                "advice_requested",
                "decided_to_issue",
                "decided_not_to_issue",
                "draft_issued",
                "final_issued",
                "withdrawn",
                name="request_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("assigned_officer", sa.String(length=200), nullable=True),
        sa.Column("comments_waived", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_assessment_requests_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_requests")),
    )
    with op.batch_alter_table("assessment_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_requests_assigned_officer"),
            ["assigned_officer"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_requests_child_id"), ["child_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_requests_la_code"), ["la_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_requests_received_on"), ["received_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_requests_state"), ["state"], unique=False)
        batch_op.create_index(
            "uq_assessment_requests_open_per_child",
            ["child_id"],
            unique=True,
            sqlite_where=sa.text(OPEN_STATES),
            postgresql_where=sa.text(OPEN_STATES),
        )

    op.create_table(
        "advice_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column(
            "advice",
            sa.Enum(
                "education",
                "health",
                "social_care",
                "educational_psychologist",
                name="advice_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "received_on IS NULL OR received_on >= requested_on",
            name=op.f("ck_advice_requests_received_after_requested"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assessment_requests.id"],
            name=op.f("fk_advice_requests_request_id_assessment_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advice_requests")),
        sa.UniqueConstraint(
            "request_id", "advice", name=op.f("uq_advice_requests_request_id_advice")
        ),
    )
    with op.batch_alter_table("advice_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advice_requests_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "assessment_request_transitions",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column(
            "to_state",
            sa.Enum(
                "received",
                "decided_to_assess",
                "refused_to_assess",
                "advice_requested",
                "decided_to_issue",
                "decided_not_to_issue",
                "draft_issued",
                "final_issued",
                "withdrawn",
                name="to_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_state",
            sa.Enum(
                "received",
                "decided_to_assess",
                "refused_to_assess",
                "advice_requested",
                "decided_to_issue",
                "decided_not_to_issue",
                "draft_issued",
                "final_issued",
                "withdrawn",
                name="from_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assessment_requests.id"],
            name=op.f("fk_assessment_request_transitions_request_id_assessment_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "request_id", "to_state", name=op.f("pk_assessment_request_transitions")
        ),
    )
    op.create_table(
        "clock_exceptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column(
            "ground",
            sa.Enum(
                "setting_closed",
                "exceptional_personal_circumstances",
                "absent_from_area",
                name="exception_ground",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_clock_exceptions_period_in_order")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assessment_requests.id"],
            name=op.f("fk_clock_exceptions_request_id_assessment_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_exceptions")),
    )
    with op.batch_alter_table("clock_exceptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clock_exceptions_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "dispute_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("assessment_request_id", sa.Uuid(), nullable=True),
        sa.Column("plan_id", sa.Uuid(), nullable=True),
        sa.Column(
            "stage",
            sa.Enum(
                "request",
                "assessment",
                "plan",
                name="dispute_stage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "mediation",
                "tribunal",
                name="dispute_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "appeal_ground",
            sa.Enum(
                "refusal_to_assess",
                "refusal_to_issue",
                "section_b",
                "section_f",
                "section_i",
                "cease_to_maintain",
                name="appeal_ground",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("certificate_on", sa.Date(), nullable=True),
        sa.Column("hearing_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "agreed",
                "not_agreed",
                "upheld",
                "partly_upheld",
                "dismissed",
                "conceded",
                "withdrawn",
                name="dispute_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(stage = 'plan') = (plan_id IS NOT NULL)",
            name=op.f("ck_dispute_events_plan_stage_names_a_plan"),
        ),
        sa.CheckConstraint(
            "stage = 'plan' OR assessment_request_id IS NOT NULL",
            name=op.f("ck_dispute_events_request_stages_name_a_request"),
        ),
        sa.CheckConstraint(
            "closed_on IS NULL OR closed_on >= opened_on",
            name=op.f("ck_dispute_events_closed_after_opened"),
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR closed_on IS NOT NULL",
            name=op.f("ck_dispute_events_outcome_when_closed"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_request_id"],
            ["assessment_requests.id"],
            name=op.f("fk_dispute_events_assessment_request_id_assessment_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_dispute_events_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_events")),
    )
    with op.batch_alter_table("dispute_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispute_events_assessment_request_id"),
            ["assessment_request_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_dispute_events_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_events_plan_id"), ["plan_id"], unique=False)

    with op.batch_alter_table("child_guardians", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("verified_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("child_guardians", schema=None) as batch_op:
        batch_op.drop_column("verified_by")
        batch_op.drop_column("verified_at")

    with op.batch_alter_table("dispute_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispute_events_plan_id"))
        batch_op.drop_index(batch_op.f("ix_dispute_events_child_id"))
        batch_op.drop_index(batch_op.f("ix_dispute_events_assessment_request_id"))

    op.drop_table("dispute_events")
    with op.batch_alter_table("clock_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clock_exceptions_request_id"))

    op.drop_table("clock_exceptions")
    op.drop_table("assessment_request_transitions")
    with op.batch_alter_table("advice_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advice_requests_request_id"))

    op.drop_table("advice_requests")
    with op.batch_alter_table("assessment_requests", schema=None) as batch_op:
        batch_op.drop_index("uq_assessment_requests_open_per_child")
        batch_op.drop_index(batch_op.f("ix_assessment_requests_state"))
        batch_op.drop_index(batch_op.f("ix_assessment_requests_received_on"))
        batch_op.drop_index(batch_op.f("ix_assessment_requests_la_code"))
        batch_op.drop_index(batch_op.f("ix_assessment_requests_child_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_requests_assigned_officer"))

    op.drop_table("assessment_requests")
