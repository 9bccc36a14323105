"""indexes for the 20-week compliance aggregate: issued plans by day, requests by LA and receipt

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # basis=issued: the plans issued in a period, straight from the transitions.
    op.create_index(
        "ix_assessment_request_transitions_to_state_occurred_on",
        "assessment_request_transitions",
        ["to_state", "occurred_on", "request_id"],
    )
    # basis=received, and every LA-wide read by receipt: one LA's requests in a date range.
    op.create_index(
        "ix_assessment_requests_la_code_received_on",
        "assessment_requests",
        ["la_code", "received_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_assessment_requests_la_code_received_on", table_name="assessment_requests")
    op.drop_index(
        "ix_assessment_request_transitions_to_state_occurred_on",
        table_name="assessment_request_transitions",
    )
