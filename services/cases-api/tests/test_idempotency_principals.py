"""Idempotency-Key replays belong to the whole principal, and only after the route has authorised
the caller again. Generated from the OpenAPI document: every operation that takes an
Idempotency-Key is tried (a new creating POST without a body here fails the test).

For each: LA 855's caller makes the request with a key; the same caller repeating it gets the
first response back; an officer of LA 856 with the same `sub`, and a parent and a school of
LA 855 with that `sub` too, sending the same key and body are new requests, processed under
their own authority (never `Idempotent-Replayed`, never the first response)."""

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from access_world import REASON, World, build_world
from cases_factories import (
    child_body,
    establishment_body,
    guardian_body,
    plan_body,
    plan_version_body,
    provision_body,
    request_body,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rounds_world import matching_process
from sqlalchemy.orm import Session

from cases_api.audit.models import AuditEvent
from cases_api.children.models import Child, ChildGuardian
from cases_api.matching_client import MatchingClient
from cases_api.settings import Settings

Auth = Callable[..., dict[str, str]]
SHARED_SUB = "reused-subject"


@pytest.fixture(scope="module")
def matching_url() -> Iterator[str]:
    yield from matching_process()


@pytest.fixture
def world(
    app: FastAPI,
    client: TestClient,
    session: Session,
    auth: Auth,
    matching_url: str,
    tmp_path: Path,
) -> Iterator[World]:
    original = app.state.matching_client
    app.state.matching_client = MatchingClient(
        Settings(data_dir=tmp_path, matching_url=matching_url)
    )
    try:
        yield build_world(client, session, auth)
    finally:
        app.state.matching_client.close()
        app.state.matching_client = original


def _idempotent_operations(client: TestClient) -> list[tuple[str, str, str]]:
    document = client.get("/openapi.json").json()
    return [
        (method.upper(), path, operation["operationId"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if any(p["name"].lower() == "idempotency-key" for p in operation.get("parameters", []))
    ]


def _requests(client: TestClient, world: World, auth: Auth) -> dict[str, tuple[str, Any, str]]:
    """Per operation: (path, body, which kind of LA 855 caller makes it first)."""
    ids = world.las["855"].ids
    urn = world.las["855"].urn
    child = ids["child_id"]
    # A second child of LA 855, for what can be done once per child.
    other = client.post(
        "/v1/children", json=child_body(la_code="855"), headers=world.callers["officer-855"]
    ).json()["id"]
    draft = client.post(
        "/v1/plans", json=plan_body(other), headers=world.callers["officer-855"]
    ).json()["id"]
    third = client.post(
        "/v1/children", json=child_body(la_code="855"), headers=world.callers["officer-855"]
    ).json()["id"]
    guardian = client.post(
        "/v1/guardians", json=guardian_body(), headers=world.callers["officer-855"]
    ).json()["id"]
    plan = ids["plan_id"]
    round_ = ids["round_id"]
    appeal = {
        "stage": "plan",
        "kind": "tribunal",
        "appeal_ground": "section_i",
        "plan_id": plan,
        "child_id": child,
        "opened_on": "2025-07-01",
    }
    tribunal = client.post(
        "/v1/dispute-events", json=appeal, headers=world.callers["officer-855"]
    ).json()["id"]
    request = ids["request_id"]
    return {
        "createEstablishment": ("/v1/establishments", establishment_body(la_code="855"), "officer"),
        "createProvision": ("/v1/provisions", provision_body(urn), "officer"),
        "createChild": ("/v1/children", child_body(la_code="855"), "officer"),
        "createGuardian": ("/v1/guardians", guardian_body(), "officer"),
        "linkGuardian": (
            f"/v1/children/{child}/guardians",
            {"guardian_id": guardian, "relationship_to_child": "aunt"},
            "officer",
        ),
        "receiveAssessmentRequest": (
            "/v1/assessment-requests",
            request_body(other, received_on="2025-01-06"),
            "officer",
        ),
        "correctAssessmentRequestDate": (
            f"/v1/assessment-requests/{request}/corrections",
            {"field": "received_on", "new_value": "2025-01-07", "reason": "A typo."},
            "officer",
        ),
        "addAdviceRequest": (
            f"/v1/assessment-requests/{request}/advice",
            {"advice": "health", "requested_on": "2025-02-13"},
            "officer",
        ),
        "addClockException": (
            f"/v1/assessment-requests/{request}/exceptions",
            {
                "ground": "exceptional_personal_circumstances",
                "starts_on": "2025-03-01",
                "ends_on": "2025-03-10",
            },
            "officer",
        ),
        "recordDisputeEvent": (
            "/v1/dispute-events",
            {
                "stage": "plan",
                "kind": "tribunal",
                "appeal_ground": "section_i",
                "plan_id": plan,
                "child_id": child,
                "opened_on": "2026-05-20",
            },
            "officer",
        ),
        "createPlan": ("/v1/plans", plan_body(third, issued_on="2026-06-01"), "officer"),
        "addPlanVersion": (
            f"/v1/plans/{plan}/versions",
            plan_version_body("amendment_notice", "2026-06-01"),
            "officer",
        ),
        "issueAmendedPlan": (
            f"/v1/plans/{plan}/amended-plan",
            {"issued_on": "2026-06-20"},
            "officer",
        ),
        "submitFamilyViews": (
            f"/v1/plans/{draft}/family-views",
            {"views": "She likes trains."},
            "officer",
        ),
        "commentOnDraft": (
            f"/v1/plans/{draft}/draft-comments",
            {"comments": "Section F should say weekly."},
            "officer",
        ),
        "recordReview": (f"/v1/plans/{plan}/reviews", {"meeting_on": "2026-06-01"}, "officer"),
        "scheduleReviewMeeting": (
            f"/v1/plans/{plan}/scheduled-review",
            {"meeting_on": "2027-01-15"},
            "officer",
        ),
        "createPlacement": (
            "/v1/placements",
            {"child_id": other, "provision_id": ids["provision_id"], "starts_on": "2026-09-01"},
            "officer",
        ),
        "createRound": ("/v1/rounds", {"name": "Later", "entry_date": "2028-09-01"}, "officer"),
        "addRoundChild": (
            f"/v1/rounds/{round_}/children",
            {"child_id": other, "suitable_kinds": ["resource_base"]},
            "officer",
        ),
        "requestProposal": (f"/v1/rounds/{round_}/proposals", None, "officer"),
        "decideChild": (
            f"/v1/rounds/{round_}/decisions",
            {"child_id": child, "decision": "accepted"},
            "officer",
        ),
        "answerConsultation": (
            f"/v1/consultations/{ids['consultation_id']}/answer",
            {"answer": "declined", "reason": "No place for this need."},
            "school",
        ),
        "recordTribunalOrder": (
            f"/v1/dispute-events/{tribunal}/tribunal-orders",
            {"kind": "assess", "started_on": "2025-08-01"},
            "officer",
        ),
        "recordLaTransfer": (
            f"/v1/plans/{plan}/la-transfers",
            {"new_la_code": "999", "moved_on": "2026-07-01", "old_la_aware_on": "2026-06-01"},
            "officer",
        ),
        "recordCommissioningChange": (
            f"/v1/plans/{plan}/commissioning-changes",
            {"old_body": "NHS A", "new_body": "NHS B", "new_body_aware_on": "2026-06-01"},
            "officer",
        ),
        "recordReassessmentRequest": (
            f"/v1/plans/{plan}/reassessment-requests",
            {"received_on": "2026-06-01"},
            "officer",
        ),
        "createSubjectAccessExport": (
            f"/v1/children/{child}/subject-access-exports",
            {"requesting_guardian_id": ids["guardian_id"]},
            "officer",
        ),
    }


def _caller(world: World, auth: Auth, kind: str, la: str = "855") -> dict[str, str]:
    """A caller of this kind, with the shared subject."""
    records = world.las[la]
    claims: dict[str, Any] = {"subject": SHARED_SUB}
    if kind in ("officer", "admin"):
        claims["la_code"] = la
    if kind == "school":
        claims["school_urns"] = [records.urn]
    if kind == "parent":
        claims["guardian_external_id"] = records.parent_id
    return auth(kind, **claims) | REASON


def _etag_before(client: TestClient, world: World, operation_id: str) -> str:
    """The current ETag of the record a versioned creating POST changes."""
    ids = world.las["855"].ids
    read = {
        "correctAssessmentRequestDate": f"/v1/assessment-requests/{ids['request_id']}",
        "addPlanVersion": f"/v1/plans/{ids['plan_id']}",
        "issueAmendedPlan": f"/v1/plans/{ids['plan_id']}",
    }.get(operation_id)
    if read is None:
        return '"1"'
    return str(client.get(read, headers=world.callers["officer-855"]).headers["ETag"])


def _send(
    client: TestClient,
    method: str,
    path: str,
    body: Any,
    headers: dict[str, str],
    key: str,
    etag: str = '"1"',
) -> Any:
    return client.request(
        method, path, json=body, headers=headers | {"Idempotency-Key": key, "If-Match": etag}
    )


def test_replays_never_cross_principals_on_any_creating_post(
    client: TestClient, world: World, auth: Auth
) -> None:
    operations = _idempotent_operations(client)
    assert len(operations) >= 20
    requests = _requests(client, world, auth)
    missing = sorted({op for _, _, op in operations} - set(requests))
    assert not missing, f"add a request for {missing}"
    failures = []
    for method, _, operation_id in operations:
        path, body, kind = requests[operation_id]
        key = f"key-{uuid.uuid4()}"
        etag = _etag_before(client, world, operation_id)
        first = _send(client, method, path, body, _caller(world, auth, kind), key, etag)
        if first.status_code not in (200, 201):
            failures.append(f"{operation_id}: the first request failed {first.text[:200]}")
            continue
        again = _send(client, method, path, body, _caller(world, auth, kind), key, etag)
        if again.headers.get("Idempotent-Replayed") != "true" or again.json() != first.json():
            failures.append(f"{operation_id}: no replay for the same caller: {again.text[:200]}")
        others = {
            "officer of LA 856": _caller(world, auth, "officer", "856"),
            "parent": _caller(world, auth, "parent"),
            "school": _caller(world, auth, "school"),
            "officer of LA 855": _caller(world, auth, "officer"),
        }
        others.pop(f"{kind} of LA 855" if kind == "officer" else kind, None)
        for name, headers in others.items():
            other = _send(client, method, path, body, headers, key, etag)
            if other.headers.get("Idempotent-Replayed") or (
                other.status_code < 300 and other.json() == first.json()
            ):
                failures.append(f"{operation_id}: {name} got the first response replayed")
    assert not failures, "\n".join(failures)


def test_a_replay_to_an_officer_whose_child_has_moved_la_is_refused(
    client: TestClient, session: Session, world: World, auth: Auth
) -> None:
    ids = world.las["855"].ids
    officer = _caller(world, auth, "officer")
    path = f"/v1/children/{ids['child_id']}/subject-access-exports"
    first = _send(client, "POST", path, {}, officer, "export-key-1")
    assert first.status_code == 201, first.text
    session.execute(
        sa.update(Child).where(Child.id == uuid.UUID(ids["child_id"])).values(la_code="856")
    )
    session.commit()
    again = _send(client, "POST", path, {}, officer, "export-key-1")
    assert again.status_code == 404
    assert "Idempotent-Replayed" not in again.headers
    assert "date_of_birth" not in again.text
    refused = session.scalars(
        sa.select(AuditEvent.outcome).where(AuditEvent.path == path, AuditEvent.outcome == 404)
    ).all()
    assert refused == [404]


def test_a_replay_to_a_parent_whose_link_is_no_longer_verified_is_refused(
    client: TestClient, session: Session, world: World, auth: Auth
) -> None:
    officer = world.callers["officer-855"]
    parent = _caller(world, auth, "parent")
    child = client.post("/v1/children", json=child_body(), headers=officer).json()
    guardian = world.las["855"].ids["guardian_id"]
    link = {"guardian_id": guardian, "relationship_to_child": "mother"}
    assert client.post(f"/v1/children/{child['id']}/guardians", json=link, headers=officer)
    verify = f"/v1/children/{child['id']}/guardians/{guardian}/verification"
    assert client.post(verify, headers=officer).status_code in (200, 201)
    body = request_body(child["id"], source="parent", received_on=str(_today()))
    body.pop("assigned_officer", None)
    first = _send(client, "POST", "/v1/assessment-requests", body, parent, "parent-key-1")
    assert first.status_code == 201, first.text
    session.execute(
        sa.update(ChildGuardian)
        .where(ChildGuardian.child_id == uuid.UUID(child["id"]))
        .values(verified=False)
    )
    session.commit()
    again = _send(client, "POST", "/v1/assessment-requests", body, parent, "parent-key-1")
    assert again.status_code == 422
    assert "not a known child" in again.text
    assert "Idempotent-Replayed" not in again.headers


def _today() -> Any:
    from cases_api.core.time import today

    return today()


def test_the_principal_key_differs_in_every_part() -> None:
    from cases_api.auth.principal import Principal, Role

    base = Principal(subject="s", role=Role.OFFICER, la_code="855", issuer="https://idp")
    variants = [
        Principal(subject="s", role=Role.OFFICER, la_code="856", issuer="https://idp"),
        Principal(subject="s", role=Role.SERVICE, la_code="855", issuer="https://idp"),
        Principal(subject="s", role=Role.OFFICER, la_code="855", issuer="https://other"),
        Principal(subject="t", role=Role.OFFICER, la_code="855", issuer="https://idp"),
        Principal(subject="s", role=Role.SCHOOL, school_urns=(1,), issuer="https://idp"),
        Principal(subject="s", role=Role.PARENT, guardian_external_id="g", issuer="https://idp"),
    ]
    keys = {base.identity_key, *(variant.identity_key for variant in variants)}
    assert len(keys) == len(variants) + 1
    same = Principal(subject="s", role=Role.OFFICER, la_code="855", issuer="https://idp")
    assert same.identity_key == base.identity_key
