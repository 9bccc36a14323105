"""the decision notice's sending date, advice requests' receipt and missed appointments, and the
day the head teacher was asked for advice around a closure

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "assessment_requests": ["decision_notice_sent_on"],
    "advice_requests": ["request_received_on", "appointment_missed_on"],
    "clock_exceptions": ["advice_requested_on"],
}


def upgrade() -> None:
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.add_column(sa.Column(name, sa.Date(), nullable=True))


def downgrade() -> None:
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in reversed(names):
                batch.drop_column(name)
