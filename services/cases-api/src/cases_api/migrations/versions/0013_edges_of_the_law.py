"""the law at its edges: review meeting logistics (reg 20/21), tribunal orders (regs 44/45),
plans moving to another LA (reg 15), commissioning body changes (reg 16), reassessments (reg 27)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEW_CHECKS = {
    "invitations_before_meeting": "invitations_sent_on IS NULL OR invitations_sent_on <= meeting_on",
    "advice_before_meeting": "advice_circulated_on IS NULL OR advice_circulated_on <= meeting_on",
    "report_after_meeting": "report_sent_on IS NULL OR report_sent_on >= meeting_on",
}


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


ORDER_KINDS = (
    "assess",
    "make_plan",
    "reconsider",
    "amend_content",
    "name_school",
    "amend_content_and_school",
    "continue_to_maintain",
    "continue_and_amend",
)
COMPLIANCE_STEPS = (
    "notify_assessment",
    "assessment_decision",
    "final_plan",
    "draft_plan",
    "reconsidered",
    "amended_plan",
    "continue_to_maintain",
)


def upgrade() -> None:
    _review_logistics()
    _tribunal_orders()
    _la_transfers()
    _commissioning_changes()
    _reassessment_requests()


def _review_logistics() -> None:
    with op.batch_alter_table("annual_reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attends_school", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("invitations_sent_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("advice_circulated_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("report_sent_on", sa.Date(), nullable=True))
        for name, condition in REVIEW_CHECKS.items():
            batch_op.create_check_constraint(batch_op.f(f"ck_annual_reviews_{name}"), condition)


def _tribunal_orders() -> None:
    op.create_table(
        "tribunal_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dispute_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("kind", _enum("tribunal_order_kind", *ORDER_KINDS), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("unopposed", sa.Boolean(), nullable=False),
        sa.Column("no_plan_decided", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_tribunal_orders_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["dispute_events.id"],
            name=op.f("fk_tribunal_orders_dispute_id_dispute_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tribunal_orders")),
    )
    with op.batch_alter_table("tribunal_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tribunal_orders_child_id"), ["child_id"])
        batch_op.create_index(batch_op.f("ix_tribunal_orders_dispute_id"), ["dispute_id"])
    op.create_table(
        "tribunal_order_steps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("step", _enum("compliance_step", *COMPLIANCE_STEPS), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["tribunal_orders.id"],
            name=op.f("fk_tribunal_order_steps_order_id_tribunal_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tribunal_order_steps")),
        sa.UniqueConstraint("order_id", "step", name=op.f("uq_tribunal_order_steps_order_id_step")),
    )


def _child_and_plan_keys(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f(f"fk_{table}_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f(f"fk_{table}_plan_id_plans"), ondelete="CASCADE"
        ),
    ]


def _record_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _la_transfers() -> None:
    op.create_table(
        "la_transfers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("old_la_code", sa.String(length=3), nullable=False),
        sa.Column("new_la_code", sa.String(length=3), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.Column("old_la_aware_on", sa.Date(), nullable=False),
        sa.Column("plan_last_reviewed_on", sa.Date(), nullable=False),
        sa.Column("transferred_on", sa.Date(), nullable=True),
        sa.Column("family_notified_on", sa.Date(), nullable=True),
        *_record_columns(),
        sa.CheckConstraint(
            "old_la_code <> new_la_code", name=op.f("ck_la_transfers_between_two_las")
        ),
        sa.CheckConstraint(
            "family_notified_on IS NULL OR (transferred_on IS NOT NULL "
            "AND family_notified_on >= transferred_on)",
            name=op.f("ck_la_transfers_family_told_after_transfer"),
        ),
        *_child_and_plan_keys("la_transfers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_la_transfers")),
    )
    with op.batch_alter_table("la_transfers", schema=None) as batch_op:
        for column in ("child_id", "plan_id", "old_la_code", "new_la_code"):
            batch_op.create_index(batch_op.f(f"ix_la_transfers_{column}"), [column])


def _commissioning_changes() -> None:
    op.create_table(
        "commissioning_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("old_body", sa.String(length=200), nullable=False),
        sa.Column("new_body", sa.String(length=200), nullable=False),
        sa.Column("new_body_aware_on", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        *_record_columns(),
        sa.CheckConstraint(
            "answered_on IS NULL OR answered_on >= new_body_aware_on",
            name=op.f("ck_commissioning_changes_answered_after"),
        ),
        *_child_and_plan_keys("commissioning_changes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commissioning_changes")),
    )
    with op.batch_alter_table("commissioning_changes", schema=None) as batch_op:
        for column in ("child_id", "plan_id"):
            batch_op.create_index(batch_op.f(f"ix_commissioning_changes_{column}"), [column])


def _reassessment_requests() -> None:
    op.create_table(
        "reassessment_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("last_assessed_on", sa.Date(), nullable=True),
        sa.Column("decision_notified_on", sa.Date(), nullable=True),
        sa.Column("reassessing", sa.Boolean(), nullable=True),
        *_record_columns(),
        sa.CheckConstraint(
            "(decision_notified_on IS NULL) = (reassessing IS NULL)",
            name=op.f("ck_reassessment_requests_decision_with_date"),
        ),
        sa.CheckConstraint(
            "decision_notified_on IS NULL OR decision_notified_on >= received_on",
            name=op.f("ck_reassessment_requests_decided_after_request"),
        ),
        *_child_and_plan_keys("reassessment_requests"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reassessment_requests")),
    )
    with op.batch_alter_table("reassessment_requests", schema=None) as batch_op:
        for column in ("child_id", "plan_id"):
            batch_op.create_index(batch_op.f(f"ix_reassessment_requests_{column}"), [column])


def downgrade() -> None:
    with op.batch_alter_table("reassessment_requests", schema=None) as batch_op:
        for column in ("child_id", "plan_id"):
            batch_op.drop_index(batch_op.f(f"ix_reassessment_requests_{column}"))
    op.drop_table("reassessment_requests")
    with op.batch_alter_table("commissioning_changes", schema=None) as batch_op:
        for column in ("child_id", "plan_id"):
            batch_op.drop_index(batch_op.f(f"ix_commissioning_changes_{column}"))
    op.drop_table("commissioning_changes")
    with op.batch_alter_table("la_transfers", schema=None) as batch_op:
        for column in ("child_id", "plan_id", "old_la_code", "new_la_code"):
            batch_op.drop_index(batch_op.f(f"ix_la_transfers_{column}"))
    op.drop_table("la_transfers")
    op.drop_table("tribunal_order_steps")
    with op.batch_alter_table("tribunal_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tribunal_orders_dispute_id"))
        batch_op.drop_index(batch_op.f("ix_tribunal_orders_child_id"))
    op.drop_table("tribunal_orders")
    with op.batch_alter_table("annual_reviews", schema=None) as batch_op:
        for name in REVIEW_CHECKS:
            batch_op.drop_constraint(batch_op.f(f"ck_annual_reviews_{name}"), type_="check")
        batch_op.drop_column("report_sent_on")
        batch_op.drop_column("advice_circulated_on")
        batch_op.drop_column("invitations_sent_on")
        batch_op.drop_column("attends_school")
