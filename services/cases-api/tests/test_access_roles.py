"""What parents, schools, service clients and admins see and may do, and mass assignment."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from access_world import REASON, World, build_world
from cases_factories import child_body, guardian_body, request_body
from fastapi.testclient import TestClient
from plans_helpers import add_version
from sqlalchemy.orm import Session

from cases_api.core.time import today

Auth = Any


@pytest.fixture
def world(client: TestClient, session: Session, auth: Auth) -> World:
    return build_world(client, session, auth)


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_a_parent_sees_only_children_linked_and_verified(
    client: TestClient, world: World, auth: Auth
) -> None:
    mine = world.las["855"].ids["child_id"]
    parent = world.callers["parent-855"]
    assert _ids(client.get("/v1/children", headers=parent)) == [mine]
    officer = world.callers["officer-855"]
    unverified = client.post("/v1/children", json=child_body(), headers=officer).json()["id"]
    link = {"guardian_id": world.las["855"].ids["guardian_id"], "relationship_to_child": "father"}
    linked = client.post(f"/v1/children/{unverified}/guardians", json=link, headers=officer)
    assert linked.status_code == 201
    assert client.get(f"/v1/children/{unverified}", headers=parent).status_code == 404
    assert _ids(client.get("/v1/children", headers=parent)) == [mine]
    stranger = auth("parent", guardian_external_id="nobody-at-all")
    assert _ids(client.get("/v1/children", headers=stranger)) == []


def test_a_parent_follows_the_clock_and_reads_plan_versions(
    client: TestClient, world: World
) -> None:
    ids = world.las["855"].ids
    parent = world.callers["parent-855"]
    request = client.get(f"/v1/assessment-requests/{ids['request_id']}", headers=parent)
    assert request.status_code == 200
    assert request.json()["clock"]["final_plan_due"]
    versions = client.get(f"/v1/plans/{ids['plan_id']}/versions", headers=parent)
    assert [v["number"] for v in versions.json()["items"]] == [1, 2]
    assert client.get(f"/v1/plans/{ids['plan_id']}/versions/2", headers=parent).status_code == 200


def test_a_parent_starts_a_request_for_their_child_and_nothing_more(
    client: TestClient, world: World, session: Session
) -> None:
    officer = world.callers["officer-855"]
    ids = world.las["855"].ids
    withdrawn = client.post(
        f"/v1/assessment-requests/{ids['request_id']}/transitions",
        json={"to_state": "withdrawn", "occurred_on": "2025-03-01"},
        headers=officer,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    parent = world.callers["parent-855"]
    on = today().isoformat()
    body = request_body(ids["child_id"], received_on=on)
    for refused, field in [
        ({"assigned_officer": "officer-7"}, "assigned_officer"),
        ({"source": "school"}, "source"),
        ({"received_on": (today() - timedelta(days=30)).isoformat()}, "received_on"),
        ({"submitted_by_urn": world.las["855"].urn}, "submitted_by_urn"),
    ]:
        response = client.post("/v1/assessment-requests", json=body | refused, headers=parent)
        assert response.status_code == 403, (field, response.text)
        assert response.json()["fields"] == [field]
    foreign = request_body(world.las["856"].ids["child_id"], received_on=on)
    assert client.post("/v1/assessment-requests", json=foreign, headers=parent).status_code == 422
    created = client.post("/v1/assessment-requests", json=body, headers=parent)
    assert created.status_code == 201, created.text
    assert created.json()["state"] == "received"
    assert created.json()["assigned_officer"] is None


def _add_social_care(client: TestClient, world: World) -> None:
    """Version 3 of LA 855's plan: an amendment notice adding section D (social care needs)."""
    ids = world.las["855"].ids
    officer = world.callers["officer-855"]
    plan = client.get(f"/v1/plans/{ids['plan_id']}", headers=officer).json()
    sections = client.get(f"/v1/plans/{ids['plan_id']}/versions/2", headers=officer).json()
    changed = sections["sections"] | {
        "d": [{"id": "D9", "description": "Respite care at weekends."}]
    }
    notice = add_version(client, officer, plan, "amendment_notice", "2026-06-01", sections=changed)
    assert notice.status_code == 201, notice.text


def test_schools_do_not_see_family_details_or_social_care_sections(
    client: TestClient, world: World
) -> None:
    _add_social_care(client, world)
    ids = world.las["855"].ids
    school = world.callers["school-855"]
    child = client.get(f"/v1/children/{ids['child_id']}", headers=school).json()
    assert (child["ethnicity"], child["home_postcode"], child["home_location"]) == (None,) * 3
    assert child["upn"] is not None
    officer_view = client.get(
        f"/v1/children/{ids['child_id']}", headers=world.callers["officer-855"]
    )
    assert officer_view.json()["home_postcode"] is not None
    listed = client.get("/v1/children", headers=school).json()["items"]
    assert [c["home_postcode"] for c in listed] == [None]
    officer = world.callers["officer-855"]
    version = client.get(f"/v1/plans/{ids['plan_id']}/versions/3", headers=officer).json()
    assert version["sections"]["d"]
    assert version["withheld_sections"] == []
    seen = client.get(f"/v1/plans/{ids['plan_id']}/versions/3", headers=school).json()
    assert seen["sections"]["d"] == seen["sections"]["h1"] == seen["sections"]["h2"] == []
    assert seen["withheld_sections"] == ["D", "G", "H1", "H2", "J", "K"]
    assert seen["sections"]["f"] == version["sections"]["f"]


def test_schools_see_no_changes_to_withheld_sections(client: TestClient, world: World) -> None:
    _add_social_care(client, world)
    ids = world.las["855"].ids
    officer = world.callers["officer-855"]
    path = f"/v1/plans/{ids['plan_id']}/versions/2/diff/3"
    assert [s["section"] for s in client.get(path, headers=officer).json()["sections"]] == ["D"]
    hidden = client.get(path, headers=world.callers["school-855"]).json()
    assert hidden["sections"] == []
    assert hidden["change_count"] == 0


def test_a_school_sees_children_it_submitted_a_request_for(
    client: TestClient, world: World, auth: Auth
) -> None:
    officer = world.callers["officer-855"]
    other_school = auth("school", school_urns=[987654]) | REASON
    child = client.post("/v1/children", json=child_body(), headers=officer).json()["id"]
    assert client.get(f"/v1/children/{child}", headers=other_school).status_code == 404
    body = request_body(child, source="school", submitted_by_urn=987654)
    assert client.post("/v1/assessment-requests", json=body, headers=officer).status_code == 201
    assert client.get(f"/v1/children/{child}", headers=other_school).status_code == 200
    assert len(_ids(client.get("/v1/assessment-requests", headers=other_school))) == 1


def test_a_school_starts_a_request_only_from_its_own_establishments(
    client: TestClient, world: World
) -> None:
    officer = world.callers["officer-855"]
    records = world.las["855"]
    school = world.callers["school-855"]
    pupil = client.post(
        "/v1/children", json=child_body(current_school_urn=records.urn), headers=officer
    ).json()["id"]
    body = request_body(pupil, source="school", received_on=today().isoformat())
    elsewhere = client.post(
        "/v1/assessment-requests", json=body | {"submitted_by_urn": 999999}, headers=school
    )
    assert elsewhere.status_code == 403
    created = client.post("/v1/assessment-requests", json=body, headers=school)
    assert created.status_code == 201, created.text
    assert created.json()["submitted_by_urn"] == records.urn


def test_a_school_sees_children_placed_or_consulted_there(client: TestClient, world: World) -> None:
    officer = world.callers["officer-855"]
    records = world.las["855"]
    moved = client.post("/v1/children", json=child_body(), headers=officer).json()["id"]
    school = world.callers["school-855"]
    assert client.get(f"/v1/children/{moved}", headers=school).status_code == 404
    placement = {
        "child_id": moved,
        "provision_id": records.ids["provision_id"],
        "starts_on": "2026-09-01",
    }
    assert client.post("/v1/placements", json=placement, headers=officer).status_code == 201
    assert client.get(f"/v1/children/{moved}", headers=school).status_code == 200
    consultations = client.get("/v1/consultations", headers=school).json()["items"]
    assert [c["id"] for c in consultations] == [records.ids["consultation_id"]]


def test_visible_but_forbidden_actions_are_403(client: TestClient, world: World) -> None:
    ids = world.las["855"].ids
    for caller in ("parent-855", "school-855", "service-855"):
        headers = world.callers[caller]
        transition = client.post(
            f"/v1/assessment-requests/{ids['request_id']}/transitions",
            json={"to_state": "withdrawn", "occurred_on": "2025-03-01"},
            headers=headers,
        )
        assert transition.status_code == 403, caller
    parent_answer = client.post(
        f"/v1/consultations/{ids['consultation_id']}/answer",
        json={"answer": "agreed"},
        headers=world.callers["parent-855"],
    )
    assert parent_answer.status_code == 403


def test_officers_set_la_codes_only_to_their_own(client: TestClient, world: World) -> None:
    officer = world.callers["officer-855"]
    response = client.post("/v1/children", json=child_body(la_code="856"), headers=officer)
    assert response.status_code == 403
    guardian = client.post("/v1/guardians", json=guardian_body(), headers=officer)
    assert guardian.status_code == 201


def test_admins_configure_and_audit_but_see_no_childs_records(
    client: TestClient, world: World
) -> None:
    admin = world.callers["admin"]
    child_id = world.las["855"].ids["child_id"]
    for path in ("/v1/children", f"/v1/children/{child_id}", "/v1/plans", "/v1/rounds"):
        response = client.get(path, headers=admin)
        assert response.status_code == 403, path
        assert "configure the service" in response.json()["detail"]
    created = client.post("/v1/children", json=child_body(la_code="856"), headers=admin)
    assert created.status_code == 403
    export = client.post(f"/v1/children/{child_id}/subject-access-exports", json={}, headers=admin)
    assert export.status_code == 403
    assert client.get("/v1/provisions", headers=admin).status_code == 200
    assert client.get("/v1/audit-events", headers=admin).status_code == 200
    assert client.get("/v1/retention/due", headers=admin).status_code == 200


def test_unknown_body_fields_are_refused(client: TestClient, world: World) -> None:
    parent = world.callers["parent-855"]
    body = request_body(world.las["855"].ids["child_id"], received_on=today().isoformat())
    for privileged in (
        {"state": "decided_to_assess"},
        {"la_code": "856"},
        {"id": str(uuid.uuid4())},
    ):
        response = client.post("/v1/assessment-requests", json=body | privileged, headers=parent)
        assert response.status_code == 422, privileged
