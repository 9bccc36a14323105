"""Purging what is due: everything about the child goes, a tombstone and an audit event stay;
nothing under legal hold is touched; a dry run changes nothing."""

import uuid
from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from plans_helpers import make_child
from privacy_helpers import audit_rows, born_on, child_with_records
from rounds_world import open_round
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from cases_api.children.models import Child, Guardian
from cases_api.core.db import Base
from cases_api.privacy.models import DisposalTombstone
from cases_api.privacy.purge import purge_due

AS_OF = date(2026, 6, 15)


@pytest.fixture
def sessions(connection: Connection) -> Callable[[], Session]:
    """Sessions committing into the test's rolled-back transaction, as the CLI's would."""
    return lambda: Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


def _rows_naming(session: Session, child_id: object) -> dict[str, int]:
    counts = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.name == "child_id" and table.name not in (
                "audit_events",
                "disposal_tombstones",
            ):
                counts[table.name] = session.scalar(
                    sa.select(sa.func.count()).select_from(table).where(column == child_id)
                )
    return {name: count for name, count in counts.items() if count}


def test_purge_removes_everything_about_the_child_and_leaves_a_tombstone(
    client: TestClient, session: Session, officer: dict[str, str], sessions: Callable[[], Session]
) -> None:
    world = child_with_records(client, session, officer)
    child_id = world.child.id
    client.post(f"/v1/children/{child_id}/subject-access-exports", json={}, headers=officer)
    round_ = open_round(client, officer)
    entry = {"child_id": str(child_id), "suitable_kinds": ["special_school"]}
    added = client.post(f"/v1/rounds/{round_['id']}/children", json=entry, headers=officer)
    assert added.status_code == 201, added.text
    born_on(session, world.child, date(1995, 6, 15))
    kept_id = make_child(session).id  # young: not due
    assert set(_rows_naming(session, child_id)) >= {
        "assessment_requests",
        "plans",
        "placements",
        "subject_access_exports",
        "round_children",
        "child_guardians",
    }

    (result,) = purge_due(sessions, as_of=AS_OF, purged_by="cli:records-team", dry_run=False)
    assert (result.child_id, result.rule, result.purged) == (child_id, "ehcp_record", True)

    session.expire_all()
    assert _rows_naming(session, child_id) == {}
    assert session.get(Child, child_id) is None
    assert session.get(Guardian, uuid.UUID(world.guardian_id)) is None
    for table in ("plan_versions", "annual_reviews", "assessment_request_transitions"):
        left = session.scalar(sa.select(sa.func.count()).select_from(Base.metadata.tables[table]))
        assert left == 0, table
    tombstone = session.get(DisposalTombstone, child_id)
    assert tombstone is not None
    assert (tombstone.rule, tombstone.due_on, tombstone.purged_by) == (
        "ehcp_record",
        date(2026, 6, 15),
        "cli:records-team",
    )
    (event,) = audit_rows(session, child_id=child_id, action="purge")
    assert (event.subject, event.role, event.outcome) == ("cli:records-team", "system", 200)
    assert event.reason == "retention rule ehcp_record: due on 2026-06-15"
    assert session.get(Child, kept_id) is not None


def test_a_legal_hold_blocks_the_purge(
    client: TestClient, session: Session, officer: dict[str, str], sessions: Callable[[], Session]
) -> None:
    world = child_with_records(client, session, officer)
    child_id = world.child.id
    born_on(session, world.child, date(1990, 1, 1))
    hold = client.post(
        f"/v1/children/{world.child.id}/legal-hold", json={"reason": "inquiry"}, headers=officer
    )
    assert hold.status_code == 201
    (result,) = purge_due(sessions, as_of=AS_OF, purged_by="cli:test", dry_run=False)
    assert (result.purged, result.skipped_because) == (False, "legal hold")
    session.expire_all()
    assert "plans" in _rows_naming(session, child_id)
    assert session.get(DisposalTombstone, child_id) is None


def test_a_dry_run_lists_and_changes_nothing(
    session: Session, sessions: Callable[[], Session]
) -> None:
    child = make_child(session)
    child_id = child.id
    born_on(session, child, date(2000, 1, 1))
    (result,) = purge_due(sessions, as_of=AS_OF, purged_by="cli:test", dry_run=True)
    assert (result.child_id, result.rule, result.purged) == (child_id, "send_record", False)
    session.expire_all()
    assert session.get(Child, child_id) is not None
    assert session.get(DisposalTombstone, child_id) is None
    assert purge_due(sessions, as_of=date(2024, 12, 31), purged_by="cli:test", dry_run=True) == []
