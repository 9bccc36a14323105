"""What a school reads of the records it may see: what teaching the child needs.

Plan sections A, B, C, E, F and I (not D, G, H1, H2, J, K) in versions and diffs; the cost of
its own placements, not another setting's; no mediation or tribunal records. Parents and
officers read all of it.
"""

from typing import Any

import pytest
from access_world import REASON, World, build_world
from cases_factories import establishment_body, provision_body
from fastapi.testclient import TestClient
from plans_helpers import add_version
from privacy_helpers import audit_rows
from sqlalchemy.orm import Session

Auth = Any
SEEN = ("a", "b", "c", "e", "f", "i")
WITHHELD = ("d", "g", "h1", "h2", "j", "k")


@pytest.fixture
def world(client: TestClient, session: Session, auth: Auth) -> World:
    return build_world(client, session, auth)


def _service_line(item_id: str, what: str) -> dict[str, Any]:
    return {"id": item_id, "what": what, "delivered_by": "the LA", "frequency": "weekly"}


@pytest.fixture
def plan_path(client: TestClient, world: World) -> str:
    """LA 855's plan with version 3: an amendment notice touching every section."""
    ids = world.las["855"].ids
    officer = world.callers["officer-855"]
    path = f"/v1/plans/{ids['plan_id']}"
    plan = client.get(path, headers=officer).json()
    sections = client.get(f"{path}/versions/2", headers=officer).json()["sections"]
    changed = sections | {
        "c": [{"id": "C1", "description": "Sleep difficulties, now managed."}],
        "d": [{"id": "D9", "description": "Respite care at weekends."}],
        "f": [line | {"hours_per_week": 3} for line in sections["f"]],
        "g": [_service_line("G1", "Occupational therapy review")],
        "h1": [_service_line("H11", "Short breaks")],
        "h2": [_service_line("H21", "Family support worker")],
        "j": [
            {
                "id": "J1",
                "kind": "direct_payment",
                "amount_pence": 240_000,
                "covers": "Short breaks",
            }
        ],
    }
    notice = add_version(client, officer, plan, "amendment_notice", "2026-06-01", sections=changed)
    assert notice.status_code == 201, notice.text
    return path


def test_a_school_reads_plan_sections_a_to_f_and_i_only(
    client: TestClient, world: World, plan_path: str
) -> None:
    full = client.get(f"{plan_path}/versions/3", headers=world.callers["officer-855"]).json()
    assert all(full["sections"][name] for name in WITHHELD)
    assert full["withheld_sections"] == []
    seen = client.get(f"{plan_path}/versions/3", headers=world.callers["school-855"]).json()
    assert seen["withheld_sections"] == ["D", "G", "H1", "H2", "J", "K"]
    assert [seen["sections"][name] for name in WITHHELD] == [[]] * len(WITHHELD)
    assert {name: seen["sections"][name] for name in SEEN} == {
        name: full["sections"][name] for name in SEEN
    }
    assert seen["sections"]["i"] is not None
    family = client.get(f"{plan_path}/versions/3", headers=world.callers["parent-855"]).json()
    assert family["sections"] == full["sections"]
    assert family["withheld_sections"] == []


def test_a_school_sees_changes_only_in_the_sections_it_reads(
    client: TestClient, world: World, plan_path: str
) -> None:
    path = f"{plan_path}/versions/2/diff/3"
    officer = client.get(path, headers=world.callers["officer-855"]).json()
    assert [s["section"] for s in officer["sections"]] == ["C", "D", "F", "G", "H1", "H2", "J"]
    school = client.get(path, headers=world.callers["school-855"]).json()
    assert [s["section"] for s in school["sections"]] == ["C", "F"]
    assert school["change_count"] == sum(len(s["changes"]) for s in school["sections"])
    assert "Short breaks" not in str(school)


def test_a_school_sees_its_own_placements_cost_not_another_settings(
    client: TestClient, world: World
) -> None:
    ids = world.las["855"].ids
    officer = world.callers["officer-855"]
    elsewhere = client.post(
        "/v1/establishments", json=establishment_body(la_code="855"), headers=officer
    ).json()
    provision = client.post(
        "/v1/provisions",
        json=provision_body(elsewhere["urn"], places_taken=0),
        headers=officer,
    ).json()
    body = {
        "child_id": ids["child_id"],
        "provision_id": provision["id"],
        "starts_on": "2026-09-01",
        "annual_cost_pence": 4_200_000,
    }
    other = client.post("/v1/placements", json=body, headers=officer)
    assert other.status_code == 201, other.text

    def costs(caller: str) -> dict[str, int | None]:
        headers = world.callers[caller]
        listed = client.get("/v1/placements", params={"child_id": ids["child_id"]}, headers=headers)
        assert listed.status_code == 200, listed.text
        return {item["id"]: item["annual_cost_pence"] for item in listed.json()["items"]}

    own_id, other_id = ids["placement_id"], other.json()["id"]
    assert costs("officer-855")[other_id] == 4_200_000
    assert costs("parent-855")[other_id] == 4_200_000
    school = costs("school-855")
    assert school[other_id] is None
    assert school[own_id] == costs("officer-855")[own_id] > 0
    read = client.get(f"/v1/placements/{other_id}", headers=world.callers["school-855"])
    assert read.status_code == 200
    assert (read.json()["annual_cost_pence"], read.json()["starts_on"]) == (None, "2026-09-01")


def test_a_school_reads_no_mediation_or_tribunal_records(
    client: TestClient, world: World, session: Session
) -> None:
    ids = world.las["855"].ids
    school = world.callers["school-855"] | REASON
    read = client.get(f"/v1/dispute-events/{ids['dispute_id']}", headers=school)
    assert read.status_code == 403
    assert read.json()["detail"] == "Schools do not read mediation and tribunal records."
    listed = client.get("/v1/dispute-events", params={"child_id": ids["child_id"]}, headers=school)
    assert listed.status_code == 403
    family = client.get(
        f"/v1/dispute-events/{ids['dispute_id']}", headers=world.callers["parent-855"]
    )
    assert family.status_code == 200
    refused = audit_rows(session, operation_id="getDisputeEvent", role="school")
    assert [(e.resource_id, e.outcome) for e in refused] == [(ids["dispute_id"], 403)]
