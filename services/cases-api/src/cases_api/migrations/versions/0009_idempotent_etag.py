"""idempotency keys keep the first response's ETag, so a replay carries it too

Revision ID: 0009_idempotent_etag
Revises: 0008_access
Create Date: 2026-12-01 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_idempotent_etag"
down_revision: str | None = "0008_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("etag", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("etag")
