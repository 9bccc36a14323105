"""corrections of requests' dates; the comment waiver lives on the plan's versions only

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "request_corrections"
MESSAGE = f"{TABLE} is append-only"
# A request's waiver, carried to the drafts of the plans made from it (and back on downgrade).
DRAFTS_OF_WAIVED = (
    "UPDATE plan_versions SET comments_waived = true WHERE kind = 'draft' AND plan_id IN "
    "(SELECT id FROM plans WHERE assessment_request_id IN "
    "(SELECT id FROM assessment_requests WHERE comments_waived))"
)
REQUESTS_OF_WAIVED = (
    "UPDATE assessment_requests SET comments_waived = true WHERE id IN "
    "(SELECT plans.assessment_request_id FROM plans JOIN plan_versions "
    "ON plan_versions.plan_id = plans.id WHERE plan_versions.comments_waived)"
)


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Date(), nullable=False),
        sa.Column("new_value", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("corrected_by", sa.String(length=200), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "new_value <> old_value", name=op.f("ck_request_corrections_changes_the_date")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assessment_requests.id"],
            name=op.f("fk_request_corrections_request_id_assessment_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_corrections")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_request_corrections_request_id"), ["request_id"])
    _forbid_updates()
    op.execute(DRAFTS_OF_WAIVED)
    with op.batch_alter_table("assessment_requests", schema=None) as batch_op:
        batch_op.drop_column("comments_waived")


def _forbid_updates() -> None:
    # Corrections are never changed; they go (by cascade) only with the request, on disposal.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()"
        )
        return
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )


def downgrade() -> None:
    with op.batch_alter_table("assessment_requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("comments_waived", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("assessment_requests", schema=None) as batch_op:
        batch_op.alter_column("comments_waived", server_default=None)
    op.execute(REQUESTS_OF_WAIVED)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP FUNCTION {TABLE}_append_only()")
    else:
        op.execute(f"DROP TRIGGER {TABLE}_no_update")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_corrections_request_id"))
    op.drop_table(TABLE)
