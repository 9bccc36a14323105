"""Purging what is due: everything about the child goes, a tombstone and an audit event stay;
nothing under legal hold is touched; a dry run changes nothing."""

import json
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from cases_factories import child_body
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from plans_helpers import make_child
from privacy_helpers import audit_rows, born_on, child_with_records
from rounds_world import open_round
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from cases_api.children.models import Child, Guardian
from cases_api.core.db import Base
from cases_api.idempotency.models import IdempotencyKey
from cases_api.privacy import scrub
from cases_api.privacy.models import DisposalTombstone
from cases_api.privacy.purge import purge_due
from cases_api.privacy.scrub import PURGED
from cases_api.rounds.models import RoundProposal

AS_OF = date(2026, 6, 15)
NEEDLE = "5d0f8a52-3b7e-4c1a-9e2d-7a6b1c0d9e8f"
OTHER = "0b9c3d4e-1f2a-4b5c-8d6e-9f0a1b2c3d4e"


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
    request_path = f"/v1/assessment-requests/{world.request_id}"
    etag = client.get(request_path, headers=officer).headers["ETag"]
    correction = {"field": "received_on", "new_value": "2025-01-07", "reason": "typo"}
    corrected = client.post(
        f"{request_path}/corrections", json=correction, headers=officer | {"If-Match": etag}
    )
    assert corrected.status_code == 201, corrected.text
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
    for table in (
        "plan_versions",
        "annual_reviews",
        "assessment_request_transitions",
        "request_corrections",
    ):
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


def _proposal_about(*child_ids: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A stored request and response, shaped as the matching contract's, naming these children."""
    children = [
        {"id": child_id, "age": 11, "primary_need": "ASD", "preferences": ["p1"]}
        for child_id in child_ids
    ]
    assignments = [
        {
            "child_id": child_id,
            "provision_id": "p1",
            "explanation": f"{child_id} is placed at their first preference.",
            "nearer_alternatives": [],
        }
        for child_id in child_ids
    ]
    request = {"children": children, "provisions": [{"id": "p1", "capacity": 2}]}
    response = {
        "status": "optimal",
        "assignments": assignments,
        "unplaced": [],
        "preferences_not_honoured": [],
        "totals": {"children": len(child_ids), "placed": len(child_ids)},
    }
    return request, response


def test_the_purge_takes_the_child_out_of_proposals_and_replayable_responses(
    client: TestClient, session: Session, officer: dict[str, str], sessions: Callable[[], Session]
) -> None:
    """Documents naming the child without a foreign key (a round's stored proposals, a
    response kept for an idempotent replay) lose the child and keep everyone else."""
    made = {}
    for label in ("due", "kept"):
        headers = officer | {"Idempotency-Key": f"child-{label}-4c1e"}
        response = client.post("/v1/children", json=child_body(), headers=headers)
        assert response.status_code == 201, response.text
        made[label] = response.json()["id"]
    due = session.get(Child, uuid.UUID(made["due"]))
    assert due is not None
    born_on(session, due, date(1990, 1, 1))
    round_ = open_round(client, officer)
    request, response = _proposal_about(made["due"], made["kept"])
    session.add(
        RoundProposal(
            round_id=uuid.UUID(round_["id"]),
            number=1,
            request=request,
            response=response,
            requested_by="officer",
        )
    )
    session.flush()

    (result,) = purge_due(sessions, as_of=AS_OF, purged_by="cli:test", dry_run=False)
    assert (result.child_id, result.purged) == (due.id, True)

    session.expire_all()
    proposal = session.scalars(sa.select(RoundProposal)).one()
    expected_request, expected_response = _proposal_about(made["kept"])
    assert proposal.request == expected_request
    assert proposal.response["assignments"] == expected_response["assignments"]
    assert made["due"] not in json.dumps([proposal.request, proposal.response])
    keys = session.scalars(sa.select(IdempotencyKey.key)).all()
    assert keys == ["child-kept-4c1e"]


@given(
    document=st.recursive(
        st.none() | st.integers() | st.text(max_size=8) | st.sampled_from([NEEDLE, OTHER]),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_scrubbing_leaves_no_mention_and_keeps_what_names_only_others(document: Any) -> None:
    scrubbed = scrub.without(document, NEEDLE)
    assert not scrub.mentions(scrubbed, NEEDLE)
    assert scrub.mentions(scrubbed, OTHER) or not _mentions_apart(document, NEEDLE, OTHER)
    assert scrub.without(scrubbed, NEEDLE) == scrubbed


def _mentions_apart(value: Any, needle: str, other: str) -> bool:
    """Whether `other` appears somewhere no enclosing list entry also names `needle`."""
    if isinstance(value, dict):
        return any(_mentions_apart(item, needle, other) for item in value.values())
    if isinstance(value, list):
        return any(
            _mentions_apart(item, needle, other)
            for item in value
            if not (isinstance(item, dict | list) and scrub.mentions(item, needle))
            and item != needle
        )
    return isinstance(value, str) and other in value


def test_a_text_naming_the_child_keeps_the_rest() -> None:
    assert scrub.without({"note": f"moved {NEEDLE} up"}, NEEDLE) == {"note": f"moved {PURGED} up"}
    assert scrub.without([NEEDLE, OTHER, 3], NEEDLE) == [OTHER, 3]
