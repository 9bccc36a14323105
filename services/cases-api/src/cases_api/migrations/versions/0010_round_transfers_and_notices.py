"""rounds: the phase transfer each child makes; the amendment notice each decision sent

Revision ID: 0010
Revises: 0009_idempotent_etag
Create Date: 2026-12-01 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009_idempotent_etag"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round_children", schema=None) as batch_op:
        batch_op.add_column(sa.Column("transfer", sa.String(length=20), nullable=True))
    with op.batch_alter_table("round_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("notice_version", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_round_decisions_plan_id_plans"),
            "plans",
            ["plan_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("round_decisions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_round_decisions_plan_id_plans"), type_="foreignkey")
        batch_op.drop_column("notice_version")
        batch_op.drop_column("plan_id")
    with op.batch_alter_table("round_children", schema=None) as batch_op:
        batch_op.drop_column("transfer")
