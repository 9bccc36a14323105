"""audit trail (append-only), subject access exports, legal holds, disposal tombstones

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 13:49:06.056629
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Tables nothing may change or delete, whatever the client: the database refuses it.
APPEND_ONLY = ("audit_events", "disposal_tombstones")


revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("la_code", sa.String(length=3), nullable=True),
        sa.Column("school_urns", sa.JSON(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "read",
                "write",
                "export",
                "purge",
                name="audit_action",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("resource_type", sa.String(length=60), nullable=False),
        sa.Column("resource_id", sa.String(length=200), nullable=True),
        sa.Column("child_id", sa.Uuid(), nullable=True),
        sa.Column("operation_id", sa.String(length=100), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("outcome", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_events_resource_type"), ["resource_type"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_events_subject"), ["subject"], unique=False)

    op.create_table(
        "disposal_tombstones",
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("purged_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("child_id", name=op.f("pk_disposal_tombstones")),
    )
    op.create_table(
        "legal_holds",
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("placed_by", sa.String(length=200), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_legal_holds_child_id_children"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("child_id", name=op.f("pk_legal_holds")),
    )
    op.create_table(
        "subject_access_exports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("requesting_guardian_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "released",
                name="export_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("redacted_paths", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(length=200), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_subject_access_exports_child_id_children"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requesting_guardian_id"],
            ["guardians.id"],
            name=op.f("fk_subject_access_exports_requesting_guardian_id_guardians"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_access_exports")),
    )
    with op.batch_alter_table("subject_access_exports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subject_access_exports_child_id"), ["child_id"], unique=False
        )
    for table in APPEND_ONLY:
        _forbid_changes(table)


def _forbid_changes(table: str) -> None:
    message = f"{table} is append-only"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def _allow_changes(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute(f"DROP FUNCTION {table}_append_only()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER {table}_no_{event}")


def downgrade() -> None:
    for table in APPEND_ONLY:
        _allow_changes(table)
    with op.batch_alter_table("subject_access_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_access_exports_child_id"))

    op.drop_table("subject_access_exports")
    op.drop_table("legal_holds")
    op.drop_table("disposal_tombstones")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_subject"))
        batch_op.drop_index(batch_op.f("ix_audit_events_resource_type"))
        batch_op.drop_index(batch_op.f("ix_audit_events_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_child_id"))

    op.drop_table("audit_events")
