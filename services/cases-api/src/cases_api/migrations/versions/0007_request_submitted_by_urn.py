"""requests for assessment remember the school that submitted them

Revision ID: 0007_access
Revises: 0007
Create Date: 2026-11-29 13:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_access"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessment_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_by_urn", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_assessment_requests_submitted_by_urn"),
            ["submitted_by_urn"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_requests_submitted_by_urn"))
        batch_op.drop_column("submitted_by_urn")
