"""The audit trail: exact rows for reads, writes and exports; reasons where they are required."""

import uuid
from collections.abc import Callable
from typing import Any

from cases_factories import child_body
from fastapi.testclient import TestClient
from privacy_helpers import audit_rows
from sqlalchemy.orm import Session

from cases_api.audit.models import AuditAction

Auth = Callable[..., dict[str, str]]


def _columns(event: object) -> dict[str, object]:
    names = (
        "subject",
        "role",
        "la_code",
        "school_urns",
        "action",
        "resource_type",
        "resource_id",
        "child_id",
        "operation_id",
        "method",
        "path",
        "request_id",
        "outcome",
        "reason",
    )
    return {name: getattr(event, name) for name in names}


def test_a_write_and_a_read_are_recorded_exactly(
    client: TestClient, session: Session, auth: Auth
) -> None:
    officer = auth("officer", subject="officer-ann") | {"X-Request-ID": "req-create"}
    created = client.post("/v1/children", json=child_body(), headers=officer)
    assert created.status_code == 201, created.text
    child_id = uuid.UUID(created.json()["id"])
    reader = auth("school", subject="school-bob", school_urns=(120001,)) | {
        "X-Request-ID": "req-read",
        "X-Access-Reason": "  annual review prep ",
    }
    client.get(f"/v1/children/{child_id}", headers=reader)

    write, read = audit_rows(session, child_id=child_id)
    assert _columns(write) == {
        "subject": "officer-ann",
        "role": "officer",
        "la_code": "855",
        "school_urns": [],
        "action": AuditAction.WRITE,
        "resource_type": "children",
        "resource_id": str(child_id),
        "child_id": child_id,
        "operation_id": "createChild",
        "method": "POST",
        "path": "/v1/children",
        "request_id": "req-create",
        "outcome": 201,
        "reason": "testing",
    }
    assert _columns(read) | {"outcome": None} == {
        "subject": "school-bob",
        "role": "school",
        "la_code": None,
        "school_urns": [120001],
        "action": AuditAction.READ,
        "resource_type": "children",
        "resource_id": str(child_id),
        "child_id": child_id,
        "operation_id": "getChild",
        "method": "GET",
        "path": f"/v1/children/{child_id}",
        "request_id": "req-read",
        "outcome": None,
        "reason": "annual review prep",
    }


def test_a_read_of_nothing_is_recorded_with_its_404(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    missing = uuid.uuid4()
    assert client.get(f"/v1/children/{missing}", headers=officer).status_code == 404
    (event,) = audit_rows(session, child_id=missing)
    assert (event.operation_id, event.action, event.outcome) == ("getChild", "read", 404)


def test_a_refused_write_is_recorded_and_the_change_is_not(
    client: TestClient, session: Session, auth: Auth
) -> None:
    other_la = auth("officer", la_code="856", subject="officer-856")
    response = client.post("/v1/children", json=child_body(), headers=other_la)
    assert response.status_code == 403
    (event,) = audit_rows(session, subject="officer-856")
    assert (event.operation_id, event.outcome, event.resource_id) == ("createChild", 403, None)


def test_a_record_reached_through_another_names_its_child(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    child_id = client.post("/v1/children", json=child_body(), headers=officer).json()["id"]
    body = {"child_id": child_id, "source": "parent", "received_on": "2025-01-06"}
    request_id = client.post("/v1/assessment-requests", json=body, headers=officer).json()["id"]
    client.get(f"/v1/assessment-requests/{request_id}", headers=officer)
    events = audit_rows(session, resource_id=request_id)
    assert [(e.operation_id, str(e.child_id)) for e in events] == [
        ("receiveAssessmentRequest", child_id),
        ("getAssessmentRequest", child_id),
    ]


def test_bulk_lists_of_children_need_a_reason(
    client: TestClient, session: Session, auth: Auth
) -> None:
    bare = {"Authorization": auth("officer", subject="no-reason")["Authorization"]}
    refused = client.get("/v1/children", headers=bare)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["location"] == "header.x-access-reason"
    blank = client.get("/v1/children", headers=bare | {"X-Access-Reason": "   "})
    assert blank.status_code == 422
    # One child's record needs no reason.
    assert client.get(f"/v1/children/{uuid.uuid4()}", headers=bare).status_code == 404
    listed = client.get("/v1/children", headers=bare | {"X-Access-Reason": "caseload check"})
    assert listed.status_code == 200
    events = audit_rows(session, subject="no-reason")
    assert [(e.operation_id, e.outcome, e.reason) for e in events] == [
        ("listChildren", 422, None),
        ("listChildren", 422, None),
        ("getChild", 404, None),
        ("listChildren", 200, "caseload check"),
    ]


def test_the_reason_header_is_documented_and_says_where_it_is_required(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()

    def reason_header(path: str, method: str) -> dict[str, Any] | None:
        parameters = document["paths"][path][method].get("parameters", [])
        found = [p for p in parameters if p["name"] == "X-Access-Reason"]
        return dict(found[0]) if found else None

    export = reason_header("/v1/children/{child_id}/subject-access-exports", "post")
    assert export is not None
    assert export["required"] is True
    assert export["schema"]["minLength"] == 1
    assert "required on subject access exports" in export["description"]
    bulk = reason_header("/v1/children", "get")
    assert bulk is not None
    assert bulk["required"] is False
    assert "required from officers on lists of children" in (bulk["description"])
    assert "unless narrowed by `name_contains`" in bulk["description"]
    # One child's record, and a round's decisions (ordinary officer work), need none.
    assert reason_header("/v1/children/{child_id}", "get") is None
    assert reason_header("/v1/rounds/{round_id}/decisions", "post") is None


def test_nothing_in_the_api_changes_or_deletes_the_audit_trail(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    audit_paths = {path: ops for path, ops in document["paths"].items() if "audit" in path}
    assert audit_paths == {"/v1/audit-events": audit_paths["/v1/audit-events"]}
    assert set(audit_paths["/v1/audit-events"]) == {"get"}
    for method in ("put", "patch", "delete", "post"):
        response = client.request(method, "/v1/audit-events")
        assert response.status_code == 405


def test_admins_query_the_trail_by_child_subject_resource_action_and_time(
    client: TestClient, auth: Auth
) -> None:
    officer = auth("officer", subject="officer-q")
    admin = auth("admin", subject="admin-q")
    first = client.post("/v1/children", json=child_body(), headers=officer).json()["id"]
    second = client.post("/v1/children", json=child_body(), headers=officer).json()["id"]
    for child_id in (first, second, first):
        client.get(f"/v1/children/{child_id}", headers=officer)

    def ids(**params: str) -> list[tuple[str, str]]:
        response = client.get("/v1/audit-events", params=params, headers=admin)
        assert response.status_code == 200, response.text
        return [(e["operation_id"], e["child_id"]) for e in response.json()["items"]]

    assert ids(child_id=first, action="read") == [("getChild", first), ("getChild", first)]
    assert ids(subject="officer-q", action="write") == [
        ("createChild", second),
        ("createChild", first),
    ]
    assert (
        ids(resource_type="children", subject="officer-q", occurred_to="2000-01-01T00:00:00Z") == []
    )
    assert len(ids(subject="officer-q", occurred_from="2000-01-01T00:00:00Z")) == 5

    page = client.get(
        "/v1/audit-events", params={"subject": "officer-q", "limit": 2}, headers=admin
    )
    seen = [e["id"] for e in page.json()["items"]]
    while page.json()["next_cursor"]:
        page = client.get(
            "/v1/audit-events",
            params={"subject": "officer-q", "limit": 2, "cursor": page.json()["next_cursor"]},
            headers=admin,
        )
        seen += [e["id"] for e in page.json()["items"]]
    assert len(seen) == len(set(seen)) == 5

    assert client.get("/v1/audit-events", headers=officer).status_code == 403
    naive = client.get(
        "/v1/audit-events", params={"occurred_from": "2026-01-01T00:00:00"}, headers=admin
    )
    assert naive.status_code == 422


def test_a_replayed_create_is_recorded_with_the_answer_given(
    client: TestClient, session: Session, auth: Auth
) -> None:
    officer = auth("officer", subject="officer-retry") | {"Idempotency-Key": "create-once"}
    first = client.post("/v1/children", json=child_body(upn=None), headers=officer)
    again = client.post("/v1/children", json=child_body(upn=None), headers=officer)
    assert again.headers["Idempotent-Replayed"] == "true"
    events = audit_rows(session, subject="officer-retry")
    assert [(e.operation_id, e.outcome, e.resource_id) for e in events] == [
        ("createChild", 201, first.json()["id"]),
        ("createChild", 201, first.json()["id"]),  # answered from the stored response
    ]


def test_a_long_reason_is_kept_to_500_characters(
    client: TestClient, session: Session, auth: Auth
) -> None:
    headers = auth("officer", subject="officer-wordy") | {"X-Access-Reason": "x" * 600}
    assert client.get("/v1/children", headers=headers).status_code == 200
    (event,) = audit_rows(session, subject="officer-wordy")
    assert event.reason == "x" * 500


def test_admins_read_only_their_own_las_part_of_the_trail(client: TestClient, auth: Auth) -> None:
    """What the LA's staff did, and what anyone did to one of its children (another LA's refused
    probe included); nothing of another LA's."""
    own_officer = auth("officer", la_code="855", subject="officer-855-a")
    other_officer = auth("officer", la_code="856", subject="officer-856-a")
    own_child = client.post("/v1/children", json=child_body(), headers=own_officer).json()["id"]
    other_child = client.post(
        "/v1/children", json=child_body(la_code="856"), headers=other_officer
    ).json()["id"]
    probe = client.get(f"/v1/children/{own_child}", headers=other_officer)
    assert probe.status_code == 404

    def trail(admin: dict[str, str]) -> list[tuple[str, str | None, int]]:
        response = client.get("/v1/audit-events", params={"limit": 500}, headers=admin)
        assert response.status_code == 200, response.text
        return [(e["subject"], e["child_id"], e["outcome"]) for e in response.json()["items"]]

    own = trail(auth("admin", la_code="855", subject="admin-855"))
    assert ("officer-855-a", own_child, 201) in own
    assert ("officer-856-a", own_child, 404) in own  # the probe of LA 855's child
    assert all(child != other_child for _, child, _ in own)
    assert ("officer-856-a", other_child, 201) not in own
    other = trail(auth("admin", la_code="856", subject="admin-856"))
    assert ("officer-856-a", other_child, 201) in other
    # Its own officer's probe is its staff's work; LA 855's own work on its child is not there.
    assert [row for row in other if row[0] == "officer-855-a"] == []
