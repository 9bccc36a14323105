"""the next review meeting of a plan, scheduled before it is held (reg 20(3), (4); reg 21)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduled_review_meetings",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("attends_school", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("invitations_sent_on", sa.Date(), nullable=True),
        sa.Column("advice_circulated_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "invitations_sent_on IS NULL OR invitations_sent_on <= meeting_on",
            name=op.f("ck_scheduled_review_meetings_invitations_before_meeting"),
        ),
        sa.CheckConstraint(
            "advice_circulated_on IS NULL OR advice_circulated_on <= meeting_on",
            name=op.f("ck_scheduled_review_meetings_advice_before_meeting"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_scheduled_review_meetings_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_scheduled_review_meetings")),
    )


def downgrade() -> None:
    op.drop_table("scheduled_review_meetings")
