"""Subject access exports: everything held, redactions marked by an officer, release, HTML."""

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient
from privacy_helpers import audit_rows, child_with_records
from rounds_world import open_round
from sqlalchemy.orm import Session

Auth = Callable[..., dict[str, str]]
REDACTED = "[redacted: third-party information]"


def _exports(child_id: object) -> str:
    return f"/v1/children/{child_id}/subject-access-exports"


def test_an_export_holds_everything_about_the_child_and_the_parent(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    world = child_with_records(client, session, officer)
    request_path = f"/v1/assessment-requests/{world.request_id}"
    etag = client.get(request_path, headers=officer).headers["ETag"]
    correction = {"field": "received_on", "new_value": "2025-01-07", "reason": "typo"}
    corrected = client.post(
        f"{request_path}/corrections", json=correction, headers=officer | {"If-Match": etag}
    )
    assert corrected.status_code == 201, corrected.text
    round_id = open_round(client, officer)["id"]
    entry = {"child_id": str(world.child.id), "suitable_kinds": ["special_school"]}
    assert client.post(f"/v1/rounds/{round_id}/children", json=entry, headers=officer).is_success
    meeting = {"meeting_on": "2027-03-01"}
    scheduled = client.post(
        f"/v1/plans/{world.plan_id}/scheduled-review", json=meeting, headers=officer
    )
    assert scheduled.status_code == 201, scheduled.text
    response = client.post(
        _exports(world.child.id),
        json={"requesting_guardian_id": world.guardian_id},
        headers=officer,
    )
    assert response.status_code == 201, response.text
    export = response.json()
    assert response.headers["Location"] == f"{_exports(world.child.id)}/{export['id']}"
    content = export["content"]
    assert content["child"]["id"] == str(world.child.id)
    assert content["guardians"][0]["guardian"]["email"] == "sara@example.org"
    (request,) = content["assessment_requests"]
    assert request["id"] == world.request_id
    assert request["clock"]["received_on"] == "2025-01-07"
    assert request["transitions"] is not None
    ((field, old, new),) = [
        (c["field"], c["old_value"], c["new_value"]) for c in request["corrections"]
    ]
    assert (field, old, new) == ("received_on", "2025-01-06", "2025-01-07")
    (plan,) = content["plans"]
    assert plan["id"] == world.plan_id
    assert [version["kind"] for version in plan["versions"]] == ["draft", "final"]
    assert plan["scheduled_review"]["meeting_on"] == "2027-03-01"
    assert [placement["id"] for placement in content["placements"]] == [world.placement_id]
    assert content["requesting_parent"]["id"] == world.guardian_id
    assert [entry["round_id"] for entry in content["round_entries"]] == [round_id]
    assert content["consultations"] == content["round_decisions"] == []
    paths = {item["path"] for item in export["items"]}
    assert "/guardians/0/guardian/email" in paths
    assert "/plans/0/versions/1/kind" in paths
    assert export["status"] == "draft"
    assert not any(item["redacted"] for item in export["items"])


def test_marked_items_are_withheld_and_the_release_freezes_the_export(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    world = child_with_records(client, session, officer)
    export = client.post(_exports(world.child.id), json={}, headers=officer).json()
    url = f"{_exports(world.child.id)}/{export['id']}"

    unknown = client.post(f"{url}/redactions", json={"mark": ["/nothing/here"]}, headers=officer)
    assert unknown.status_code == 422
    marked = client.post(
        f"{url}/redactions",
        json={"mark": ["/guardians/0/guardian/phone", "/guardians/0/guardian", "/plans/0/id"]},
        headers=officer,
    )
    assert marked.status_code == 200, marked.text
    unmarked = client.post(f"{url}/redactions", json={"unmark": ["/plans/0/id"]}, headers=officer)
    body = unmarked.json()
    assert body["redacted_paths"] == ["/guardians/0/guardian", "/guardians/0/guardian/phone"]
    assert body["content"]["guardians"][0]["guardian"] == REDACTED
    assert body["content"]["plans"][0]["id"] == world.plan_id
    flagged = {item["path"] for item in body["items"] if item["redacted"]}
    assert "/guardians/0/guardian/email" in flagged
    assert "/guardians/0/relationship_to_child" not in flagged

    released = client.post(f"{url}/release", headers=officer)
    assert released.status_code == 200
    assert released.json()["status"] == "released"
    assert released.json()["released_by"] == "test-officer"
    assert client.post(f"{url}/release", headers=officer).status_code == 409
    again = client.post(f"{url}/redactions", json={"mark": ["/child/id"]}, headers=officer)
    assert again.status_code == 409
    assert client.get(url, headers=officer).json()["content"] == body["content"]


def test_the_document_escapes_everything_and_shows_redactions(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    world = child_with_records(
        client, session, officer, display_name="<script>alert('x')</script> & Co"
    )
    export = client.post(_exports(world.child.id), json={}, headers=officer).json()
    url = f"{_exports(world.child.id)}/{export['id']}"
    client.post(
        f"{url}/redactions", json={"mark": ["/guardians/0/guardian/email"]}, headers=officer
    )

    document = client.get(f"{url}/document", headers=officer)
    assert document.status_code == 200
    assert document.headers["content-type"].startswith("text/html")
    html = document.text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in html
    assert REDACTED in html
    assert "sara@example.org" not in html
    assert "Draft — not released" in html
    assert str(world.child.id) in html


def test_exports_are_audited_as_exports_with_their_reason(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    world = child_with_records(client, session, officer)
    reason = officer | {"X-Access-Reason": "SAR ref 2026/17"}
    export = client.post(_exports(world.child.id), json={}, headers=reason).json()
    url = f"{_exports(world.child.id)}/{export['id']}"
    client.get(f"{url}/document", headers=reason)
    client.post(f"{url}/release", headers=reason)
    events = audit_rows(session, child_id=world.child.id, reason="SAR ref 2026/17")
    assert [
        (e.operation_id, e.action, e.resource_type, e.resource_id, e.outcome) for e in events
    ] == [
        ("createSubjectAccessExport", "export", "subject-access-exports", export["id"], 201),
        ("getSubjectAccessExportDocument", "export", "subject-access-exports", export["id"], 200),
        ("releaseSubjectAccessExport", "export", "subject-access-exports", export["id"], 200),
    ]
    bare = {"Authorization": officer["Authorization"]}
    assert client.post(_exports(world.child.id), json={}, headers=bare).status_code == 422


def test_only_officers_of_the_childs_la_export(
    client: TestClient, session: Session, officer: dict[str, str], auth: Auth
) -> None:
    world = child_with_records(client, session, officer)
    url = _exports(world.child.id)
    # Another LA's child is answered as if absent; parents and admins may not export at all.
    assert client.post(url, json={}, headers=auth("officer", la_code="856")).status_code == 404
    assert client.post(url, json={}, headers=auth("parent")).status_code == 403
    assert client.post(url, json={}, headers=auth("admin")).status_code == 403
    assert client.post(_exports(uuid.uuid4()), json={}, headers=officer).status_code == 404
    stranger = {"requesting_guardian_id": str(uuid.uuid4())}
    assert client.post(url, json=stranger, headers=officer).status_code == 422
    other_child = child_with_records(client, session, officer)
    export = client.post(url, json={}, headers=officer).json()
    wrong = f"{_exports(other_child.child.id)}/{export['id']}"
    assert client.get(wrong, headers=officer).status_code == 404
