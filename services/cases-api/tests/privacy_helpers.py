"""Test helpers for the audit, exports and retention: a child with something in every domain."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from cases_factories import (
    child_body,
    establishment_body,
    guardian_body,
    provision_body,
    request_body,
)
from fastapi.testclient import TestClient
from plans_helpers import final_plan
from sqlalchemy.orm import Session

from cases_api.audit.models import AuditEvent
from cases_api.children.models import Child


@dataclass
class World:
    child: Child
    guardian_id: str
    request_id: str
    plan_id: str
    placement_id: str


def child_with_records(
    client: TestClient, session: Session, headers: dict[str, str], **guardian: Any
) -> World:
    """A child in LA 855 with a verified guardian, a request, a final plan and a placement."""
    made = client.post("/v1/children", json=child_body(), headers=headers)
    assert made.status_code == 201, made.text
    child = session.get(Child, uuid.UUID(made.json()["id"]))
    assert child is not None
    created = client.post("/v1/guardians", json=guardian_body(**guardian), headers=headers)
    guardian_id = created.json()["id"]
    link = {"guardian_id": guardian_id, "relationship_to_child": "mother"}
    assert client.post(f"/v1/children/{child.id}/guardians", json=link, headers=headers).is_success
    request = client.post(
        "/v1/assessment-requests", json=request_body(str(child.id)), headers=headers
    )
    assert request.status_code == 201, request.text
    plan = final_plan(client, headers, child)
    urn = client.post("/v1/establishments", json=establishment_body(), headers=headers).json()[
        "urn"
    ]
    provision = client.post("/v1/provisions", json=provision_body(urn), headers=headers).json()
    placement = client.post(
        "/v1/placements",
        json={
            "child_id": str(child.id),
            "provision_id": provision["id"],
            "starts_on": "2026-09-03",
        },
        headers=headers,
    )
    assert placement.status_code == 201, placement.text
    return World(
        child=child,
        guardian_id=guardian_id,
        request_id=request.json()["id"],
        plan_id=plan["id"],
        placement_id=placement.json()["id"],
    )


def born_on(session: Session, child: Child, day: date) -> None:
    """Move a child's date of birth (records are made young, then aged for retention)."""
    session.execute(sa.update(Child).where(Child.id == child.id).values(date_of_birth=day))
    session.commit()


def audit_rows(session: Session, **where: Any) -> list[AuditEvent]:
    """Audit events matching every column given, oldest first."""
    query = sa.select(AuditEvent).filter_by(**where).order_by(AuditEvent.occurred_at)
    return list(session.scalars(query))
