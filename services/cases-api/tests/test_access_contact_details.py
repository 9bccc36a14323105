"""Guardians' and children's contact details per role, and the do-not-disclose flag.

A parent sees its own account in full and, of the other guardians, only the verified ones'
names; a school the verified guardians without identity-provider ids or who verified them; a
flagged guardian's email and phone, and a flagged child's home postcode and location, reach
only the LA's officers, on every route and in subject access exports.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from access_world import REASON, World, build_world
from cases_factories import guardian_body
from fastapi.testclient import TestClient
from privacy_helpers import audit_rows
from sqlalchemy.orm import Session

Auth = Any


@dataclass
class Family:
    child: str
    mother: str  # parent-855's own account (verified)
    father: str  # another verified guardian, with email and phone
    claimant: str  # someone claiming to be a guardian, not verified


@pytest.fixture
def world(client: TestClient, session: Session, auth: Auth) -> World:
    return build_world(client, session, auth)


@pytest.fixture
def family(client: TestClient, world: World) -> Family:
    officer = world.callers["officer-855"]
    ids = world.las["855"].ids
    child = ids["child_id"]

    def guardian(name: str, verify: bool) -> str:
        body = guardian_body(display_name=name, email=f"{name}@example.org", phone="07700 900123")
        made = client.post("/v1/guardians", json=body, headers=officer)
        assert made.status_code == 201, made.text
        link = {"guardian_id": made.json()["id"], "relationship_to_child": name}
        linked = client.post(f"/v1/children/{child}/guardians", json=link, headers=officer)
        assert linked.status_code == 201, linked.text
        if verify:
            path = f"/v1/children/{child}/guardians/{made.json()['id']}/verification"
            assert client.post(path, headers=officer).status_code == 200
        return str(made.json()["id"])

    return Family(
        child=child,
        mother=ids["guardian_id"],
        father=guardian("father", verify=True),
        claimant=guardian("claimant", verify=False),
    )


def _links(client: TestClient, family: Family, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get(f"/v1/children/{family.child}/guardians", headers=headers)
    assert response.status_code == 200, response.text
    return {link["guardian"]["id"]: link for link in response.json()["items"]}


def _flag(client: TestClient, path: str, headers: dict[str, str], flag: bool) -> Any:
    # As the caller would: read the record, then change it with its ETag (one who may not read
    # it is refused before its If-Match is looked at).
    etag = client.get(path, headers=headers).headers.get("ETag", '"v0"')
    return client.put(
        f"{path}/contact-restriction",
        json={"do_not_disclose": flag},
        headers=headers | {"If-Match": etag},
    )


def test_a_parent_sees_its_own_account_and_only_the_names_of_other_verified_guardians(
    client: TestClient, world: World, family: Family
) -> None:
    seen = _links(client, family, world.callers["parent-855"])
    assert set(seen) == {family.mother, family.father}  # the unverified claimant not at all
    own = seen[family.mother]["guardian"]
    assert (own["external_id"], own["email"]) == ("parent-855", "sara@example.org")
    father = seen[family.father]
    assert father["guardian"]["display_name"] == "father"
    assert father["relationship_to_child"] == "father"
    assert father["verified"] is True
    hidden = ("external_id", "email", "phone", "do_not_disclose")
    assert [father["guardian"][name] for name in hidden] == [None] * 4
    assert (father["verified_by"], father["verified_at"]) == (None, None)
    assert seen[family.mother]["verified_by"] is None  # an officer's identity is not theirs
    path = f"/v1/guardians/{family.father}"
    assert client.get(path, headers=world.callers["parent-855"]).status_code == 404


def test_officers_see_every_guardian_in_full(
    client: TestClient, world: World, family: Family
) -> None:
    seen = _links(client, family, world.callers["officer-855"])
    assert set(seen) == {family.mother, family.father, family.claimant}
    claimant = seen[family.claimant]
    assert claimant["verified"] is False
    assert claimant["guardian"]["email"] == "claimant@example.org"
    assert claimant["guardian"]["external_id"].startswith("guardian-")
    assert seen[family.father]["verified_by"] is not None
    assert seen[family.father]["guardian"]["do_not_disclose"] is False


def test_a_school_sees_verified_guardians_contact_without_identity_provider_ids(
    client: TestClient, world: World, family: Family
) -> None:
    school = world.callers["school-855"]
    seen = _links(client, family, school)
    assert set(seen) == {family.mother, family.father}
    father = seen[family.father]
    assert (father["guardian"]["email"], father["guardian"]["phone"]) == (
        "father@example.org",
        "07700 900123",
    )
    assert (father["guardian"]["external_id"], father["verified_by"]) == (None, None)
    read = client.get(f"/v1/guardians/{family.father}", headers=school)
    assert read.status_code == 200
    assert (read.json()["email"], read.json()["external_id"]) == ("father@example.org", None)
    assert client.get(f"/v1/guardians/{family.claimant}", headers=school).status_code == 404


def test_a_flagged_guardians_contact_details_reach_only_officers(
    client: TestClient, session: Session, world: World, family: Family
) -> None:
    officer = world.callers["officer-855"]
    path = f"/v1/guardians/{family.father}"
    flagged = _flag(client, path, officer, True)
    assert flagged.status_code == 200, flagged.text
    assert flagged.json()["do_not_disclose"] is True
    assert flagged.json()["email"] == "father@example.org"  # officers see both

    school = world.callers["school-855"]
    for read in (
        client.get(path, headers=school).json(),
        _links(client, family, school)[family.father]["guardian"],
    ):
        assert (read["email"], read["phone"], read["do_not_disclose"]) == (None, None, None)
        assert read["display_name"] == "father"
    service = _links(client, family, world.callers["service-855"])[family.father]["guardian"]
    assert (service["email"], service["phone"]) == (None, None)
    officer_view = _links(client, family, officer)[family.father]["guardian"]
    assert (officer_view["email"], officer_view["do_not_disclose"]) == ("father@example.org", True)

    events = audit_rows(session, operation_id="restrictGuardianContact")
    assert [(e.action, e.resource_id, e.outcome) for e in events] == [("write", family.father, 200)]

    assert _flag(client, path, officer, False).json()["do_not_disclose"] is False
    assert client.get(path, headers=school).json()["email"] == "father@example.org"


def test_only_the_las_officers_set_or_clear_a_flag(
    client: TestClient, world: World, family: Family
) -> None:
    for caller in ("parent-855", "school-855", "service-855", "admin"):
        headers = world.callers[caller]
        assert _flag(client, f"/v1/guardians/{family.father}", headers, True).status_code == 403
        assert _flag(client, f"/v1/children/{family.child}", headers, True).status_code == 403
    other_la = world.callers["officer-856"]
    assert _flag(client, f"/v1/children/{family.child}", other_la, True).status_code == 404
    assert _flag(client, f"/v1/guardians/{family.father}", other_la, True).status_code == 404
    bad = client.put(
        f"/v1/children/{family.child}/contact-restriction",
        json={"do_not_disclose": "yes"},
        headers=world.callers["officer-855"],
    )
    assert bad.status_code == 422
    officer_view = client.get(f"/v1/children/{family.child}", headers=world.callers["officer-855"])
    assert officer_view.json()["do_not_disclose"] is False


def test_a_flagged_childs_home_postcode_and_location_reach_only_officers(
    client: TestClient, world: World, family: Family
) -> None:
    officer = world.callers["officer-855"]
    child_path = f"/v1/children/{family.child}"
    before = client.get(child_path, headers=world.callers["parent-855"]).json()
    assert before["home_postcode"] == "LE11 3TU"
    flagged = _flag(client, child_path, officer, True)
    assert flagged.status_code == 200, flagged.text
    assert (flagged.json()["do_not_disclose"], flagged.json()["home_postcode"]) == (
        True,
        "LE11 3TU",
    )
    for caller in ("parent-855", "service-855", "school-855"):
        headers = world.callers[caller]
        read = client.get(child_path, headers=headers).json()
        listed = client.get("/v1/children", headers=headers).json()["items"]
        for seen in (read, *[item for item in listed if item["id"] == family.child]):
            assert (seen["home_postcode"], seen["home_location"], seen["do_not_disclose"]) == (
                None,
                None,
                None,
            ), caller
            assert seen["given_name"] == "Amira"
    listed = client.get("/v1/children", headers=officer).json()["items"]
    mine = next(item for item in listed if item["id"] == family.child)
    assert (mine["home_postcode"], mine["do_not_disclose"]) == ("LE11 3TU", True)
    # The ETag moved: the record as others see it changed.
    assert flagged.json()["etag"] != before["etag"]


def _export(client: TestClient, world: World, family: Family, **body: Any) -> dict[str, Any]:
    officer = world.callers["officer-855"] | REASON
    made = client.post(
        f"/v1/children/{family.child}/subject-access-exports", json=body, headers=officer
    )
    assert made.status_code == 201, made.text
    return dict(made.json()["content"])


def test_an_export_for_a_parent_holds_only_their_own_and_others_verified_names(
    client: TestClient, world: World, family: Family
) -> None:
    officer = world.callers["officer-855"]
    assert _flag(client, f"/v1/guardians/{family.father}", officer, True).status_code == 200
    assert _flag(client, f"/v1/children/{family.child}", officer, True).status_code == 200
    content = _export(client, world, family, requesting_guardian_id=family.mother)
    text = str(content)
    assert "father@example.org" not in text
    assert "claimant" not in text
    assert "07700 900123" not in text
    assert "do_not_disclose" not in text
    child = content["child"]
    assert (child["home_postcode"], child["home_latitude"], child["home_longitude"]) == (
        None,
        None,
        None,
    )
    guardians = {g["guardian"]["display_name"]: g for g in content["guardians"]}
    assert set(guardians) == {"Sara Khan", "father"}
    assert guardians["father"] == {
        "relationship_to_child": "father",
        "verified": True,
        "guardian": {"display_name": "father"},
    }
    assert guardians["Sara Khan"]["guardian"]["email"] == "sara@example.org"
    assert content["requesting_parent"]["email"] == "sara@example.org"


def test_an_export_for_the_child_keeps_their_address_but_not_a_flagged_guardians_contact(
    client: TestClient, world: World, family: Family
) -> None:
    officer = world.callers["officer-855"]
    assert _flag(client, f"/v1/guardians/{family.father}", officer, True).status_code == 200
    assert _flag(client, f"/v1/children/{family.child}", officer, True).status_code == 200
    content = _export(client, world, family)
    assert content["child"]["home_postcode"] == "LE11 3TU"
    guardians = {g["guardian"]["display_name"]: g["guardian"] for g in content["guardians"]}
    assert set(guardians) == {"Sara Khan", "father", "claimant"}
    assert (guardians["father"]["email"], guardians["father"]["phone"]) == (None, None)
    assert guardians["claimant"]["email"] == "claimant@example.org"
    assert "do_not_disclose" not in str(content)


def test_a_parent_is_not_told_the_other_parents_identity_provider_subject(
    client: TestClient, world: World, family: Family, auth: Auth
) -> None:
    officer = world.callers["officer-855"]
    father_id = client.get(f"/v1/guardians/{family.father}", headers=officer).json()["external_id"]
    father = auth("parent", guardian_external_id=father_id, subject="idp-father-sub")
    plan = world.las["855"].ids["plan_id"]
    views = {"views": "He loves the swings."}
    sent = client.post(f"/v1/plans/{plan}/family-views", json=views, headers=father)
    assert sent.status_code == 201, sent.text
    mine = {"views": "She loves trains."}
    mother = world.callers["parent-855"]
    assert (
        client.post(f"/v1/plans/{plan}/family-views", json=mine, headers=mother).status_code == 201
    )
    path = f"/v1/plans/{plan}/family-submissions"

    def senders(headers: dict[str, str]) -> list[tuple[str, str | None]]:
        listed = client.get(path, headers=headers)
        assert listed.status_code == 200, listed.text
        return [(s["content"]["views"], s["submitted_by"]) for s in listed.json()["items"]]

    assert senders(mother) == [("He loves the swings.", None), ("She loves trains.", "test-parent")]
    assert senders(officer) == [
        ("He loves the swings.", "idp-father-sub"),
        ("She loves trains.", "test-parent"),
    ]
