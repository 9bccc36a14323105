"""do-not-disclose flags on children and guardians; the school a child left, and when

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("children") as batch:
        batch.add_column(sa.Column("previous_school_urn", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("left_previous_school_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("do_not_disclose", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.create_index(
            batch.f("ix_children_previous_school_urn"), ["previous_school_urn"], unique=False
        )
    with op.batch_alter_table("guardians") as batch:
        batch.add_column(
            sa.Column("do_not_disclose", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("guardians") as batch:
        batch.drop_column("do_not_disclose")
    with op.batch_alter_table("children") as batch:
        batch.drop_index(batch.f("ix_children_previous_school_urn"))
        batch.drop_column("do_not_disclose")
        batch.drop_column("left_previous_school_on")
        batch.drop_column("previous_school_urn")
