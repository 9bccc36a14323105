"""Children and guardians over HTTP: create, read, ETag updates, validation, guardian links."""

from collections.abc import Callable
from typing import Any

import pytest
from cases_factories import child_body, guardian_body, upn_for
from fastapi.testclient import TestClient

from cases_api.children.identifiers import upn_check_letter, validate_upn

Auth = Callable[..., dict[str, str]]


def _create_child(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post("/v1/children", json=child_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_create_and_read_a_child(client: TestClient, officer: dict[str, str]) -> None:
    created = _create_child(client, officer, needs=["SEMH", "ASD", "SLCN"])
    assert created["needs"] == ["SEMH", "ASD", "SLCN"]
    assert created["primary_need"] == "SEMH"
    assert created["home_postcode"] == "LE11 3TU"
    assert created["home_location"] == {"lat": 52.772, "lon": -1.206}
    read = client.get(f"/v1/children/{created['id']}", headers=officer)
    assert read.status_code == 200
    assert read.json() == created
    assert read.headers["ETag"] == created["etag"] == '"v1"'


def test_home_location_is_optional(client: TestClient, officer: dict[str, str]) -> None:
    created = _create_child(client, officer, home_location=None, needs=[])
    assert created["home_location"] is None
    assert created["primary_need"] is None


def test_the_dfe_check_letter_is_verified() -> None:
    assert upn_check_letter("801200005001") == "B"
    assert validate_upn("b801200005001") == "B801200005001"
    with pytest.raises(ValueError, match="check letter should be B"):
        validate_upn("A801200005001")


@pytest.mark.parametrize(
    ("overrides", "location"),
    [
        ({"needs": ["ASD", "XYZ"]}, "body.needs.1"),
        ({"needs": ["ASD", "SLCN", "ASD"]}, "body.needs"),
        ({"upn": "A801200005001"}, "body.upn"),
        ({"upn": "B80120000500"}, "body.upn"),
        ({"upn": "1801200005001"}, "body.upn"),
        ({"uln": "123456789"}, "body.uln"),
        ({"uln": "12345678AB"}, "body.uln"),
        ({"date_of_birth": "2999-01-01"}, "body.date_of_birth"),
        ({"sex": "X"}, "body.sex"),
        ({"la_code": "85"}, "body.la_code"),
        ({"home_location": {"lat": 91, "lon": 0}}, "body.home_location.lat"),
        ({"nickname": "Ami"}, "body.nickname"),
    ],
)
def test_invalid_children_are_refused(
    client: TestClient, officer: dict[str, str], overrides: dict[str, Any], location: str
) -> None:
    response = client.post("/v1/children", json=child_body(**overrides), headers=officer)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert location in [error["location"] for error in response.json()["errors"]]


def test_a_upn_belongs_to_one_child(client: TestClient, officer: dict[str, str]) -> None:
    upn = upn_for(999_001)
    _create_child(client, officer, upn=upn)
    response = client.post("/v1/children", json=child_body(upn=upn), headers=officer)
    assert response.status_code == 409


def test_update_needs_if_match_and_moves_the_etag(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = _create_child(client, officer)
    path = f"/v1/children/{created['id']}"
    assert client.patch(path, json={"needs": ["SLCN"]}, headers=officer).status_code == 428
    response = client.patch(
        path, json={"needs": ["SLCN", "ASD"]}, headers=officer | {"If-Match": created["etag"]}
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["needs"] == ["SLCN", "ASD"]
    assert updated["primary_need"] == "SLCN"
    assert updated["etag"] != created["etag"]
    assert response.headers["ETag"] == updated["etag"]
    stale = client.patch(
        path, json={"given_name": "Late"}, headers=officer | {"If-Match": created["etag"]}
    )
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == updated["etag"]
    assert client.get(path, headers=officer).json()["given_name"] == "Amira"


def test_update_clears_optional_fields_but_not_required_ones(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = _create_child(client, officer, current_school_urn=120001)
    path = f"/v1/children/{created['id']}"
    headers = officer | {"If-Match": created["etag"]}
    refused = client.patch(path, json={"family_name": None}, headers=headers)
    assert refused.status_code == 422
    response = client.patch(
        path, json={"current_school_urn": None, "home_location": None}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["current_school_urn"] is None
    assert response.json()["home_location"] is None


def test_duplicate_needs_in_an_update_are_refused(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = _create_child(client, officer)
    response = client.patch(
        f"/v1/children/{created['id']}",
        json={"needs": ["HI", "HI"]},
        headers=officer | {"If-Match": created["etag"]},
    )
    assert response.status_code == 422


def test_officers_write_only_in_their_own_la(client: TestClient, auth: Auth) -> None:
    response = client.post("/v1/children", json=child_body(la_code="931"), headers=auth("officer"))
    assert response.status_code == 403
    assert client.post("/v1/children", json=child_body(), headers=auth("parent")).status_code == 403
    created = client.post(
        "/v1/children", json=child_body(la_code="931"), headers=auth("officer", la_code="931")
    )
    assert created.status_code == 201
    # Admins configure the service and read the audit trail; they record no children.
    assert client.post("/v1/children", json=child_body(), headers=auth("admin")).status_code == 403


def test_guardians_are_linked_then_verified_by_an_officer(
    client: TestClient, officer: dict[str, str]
) -> None:
    child = _create_child(client, officer)
    created = client.post("/v1/guardians", json=guardian_body(), headers=officer)
    assert created.status_code == 201, created.text
    guardian = created.json()
    assert client.get(f"/v1/guardians/{guardian['id']}", headers=officer).json() == guardian

    links_path = f"/v1/children/{child['id']}/guardians"
    link = client.post(
        links_path,
        json={"guardian_id": guardian["id"], "relationship_to_child": "mother"},
        headers=officer,
    )
    assert link.status_code == 201, link.text
    assert link.json()["verified"] is False
    again = client.post(
        links_path,
        json={"guardian_id": guardian["id"], "relationship_to_child": "mother"},
        headers=officer,
    )
    assert again.status_code == 409

    verified = client.post(f"{links_path}/{guardian['id']}/verification", headers=officer)
    assert verified.status_code == 200
    assert verified.json()["verified"] is True
    assert verified.json()["verified_by"] == "test-officer"

    listed = client.get(links_path, headers=officer).json()
    assert listed["next_cursor"] is None
    assert [(item["guardian"]["id"], item["verified"]) for item in listed["items"]] == [
        (guardian["id"], True)
    ]


def test_guardian_problems(client: TestClient, officer: dict[str, str], auth: Auth) -> None:
    body = guardian_body()
    assert client.post("/v1/guardians", json=body, headers=officer).status_code == 201
    assert client.post("/v1/guardians", json=body, headers=officer).status_code == 409
    child = _create_child(client, officer)
    unknown = client.post(
        f"/v1/children/{child['id']}/guardians",
        json={"guardian_id": "00000000-0000-0000-0000-000000000000", "relationship_to_child": "x"},
        headers=officer,
    )
    assert unknown.status_code == 422
    not_linked = client.post(
        f"/v1/children/{child['id']}/guardians/00000000-0000-0000-0000-000000000000/verification",
        headers=officer,
    )
    assert not_linked.status_code == 404
    assert (
        client.post("/v1/guardians", json=guardian_body(), headers=auth("parent")).status_code
        == 403
    )


def test_a_retried_create_with_the_same_key_makes_one_child(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = child_body(family_name="Once")
    headers = officer | {"Idempotency-Key": "child-5b1d2f90"}
    first = client.post("/v1/children", json=body, headers=headers)
    again = client.post("/v1/children", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    listed = client.get("/v1/children", params={"name_contains": "Once"}, headers=officer)
    assert len(listed.json()["items"]) == 1
