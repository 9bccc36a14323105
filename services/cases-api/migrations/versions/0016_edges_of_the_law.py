"""the law at its edges: review meeting logistics (reg 20/21), tribunal orders (regs 44/45),
plans moving to another LA (reg 15), commissioning body changes (reg 16), reassessments (reg 27)

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEW_CHECKS = {
    "invitations_before_meeting": "invitations_sent_on IS NULL OR invitations_sent_on <= meeting_on",
    "advice_before_meeting": "advice_circulated_on IS NULL OR advice_circulated_on <= meeting_on",
    "report_after_meeting": "report_sent_on IS NULL OR report_sent_on >= meeting_on",
}


def upgrade() -> None:
    with op.batch_alter_table("annual_reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attends_school", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("invitations_sent_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("advice_circulated_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("report_sent_on", sa.Date(), nullable=True))
        for name, condition in REVIEW_CHECKS.items():
            batch_op.create_check_constraint(batch_op.f(f"ck_annual_reviews_{name}"), condition)


def downgrade() -> None:
    with op.batch_alter_table("annual_reviews", schema=None) as batch_op:
        for name in REVIEW_CHECKS:
            batch_op.drop_constraint(batch_op.f(f"ck_annual_reviews_{name}"), type_="check")
        batch_op.drop_column("report_sent_on")
        batch_op.drop_column("advice_circulated_on")
        batch_op.drop_column("invitations_sent_on")
        batch_op.drop_column("attends_school")
