"""idempotency keys belong to the whole principal (issuer, subject, role, LA, schools, guardian),
not to the token's subject alone; the keys stored per subject are dropped (kept 24 hours anyway,
and a per-subject key could replay one principal's response to another)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "idempotency_keys"


def _create(owner: str, length: int) -> None:
    op.create_table(
        TABLE,
        sa.Column(owner, sa.String(length=length), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.JSON(), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("etag", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(owner, "key", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_keys_created_at"), ["created_at"], unique=False
        )


def _drop() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_created_at"))
    op.drop_table(TABLE)


def upgrade() -> None:
    _drop()
    _create("principal_key", 64)


def downgrade() -> None:
    _drop()
    _create("subject", 200)
