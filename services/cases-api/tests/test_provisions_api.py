"""The provisions directory over HTTP: create, read, update with ETags, and validation."""

from collections.abc import Callable
from typing import Any

import pytest
from cases_factories import establishment_body, provision_body
from fastapi.testclient import TestClient

Auth = Callable[..., dict[str, str]]


def _create_establishment(client: TestClient, headers: dict[str, str], **overrides: Any) -> int:
    response = client.post(
        "/v1/establishments", json=establishment_body(**overrides), headers=headers
    )
    assert response.status_code == 201, response.text
    return int(response.json()["urn"])


def _create_provision(
    client: TestClient, headers: dict[str, str], urn: int, **overrides: Any
) -> dict[str, Any]:
    response = client.post("/v1/provisions", json=provision_body(urn, **overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_create_and_read_a_provision(client: TestClient, officer: dict[str, str]) -> None:
    urn = _create_establishment(client, officer)
    created = _create_provision(client, officer, urn)
    assert created["free_places"] == 2
    assert created["costs"]["annual_cost_pence"] == 1_850_000
    assert created["designated_needs"] == ["ASD", "SLCN"]
    assert created["establishment"]["postcode"] == "LE11 3TU"

    read = client.get(f"/v1/provisions/{created['id']}", headers=officer)
    assert read.status_code == 200
    assert read.json() == created
    assert read.headers["ETag"] == created["etag"]


def test_an_independent_providers_fee_is_the_annual_cost(
    client: TestClient, officer: dict[str, str]
) -> None:
    urn = _create_establishment(client, officer)
    created = _create_provision(
        client,
        officer,
        urn,
        kind="independent",
        costs={"fee_pence": 6_500_000},
    )
    assert created["costs"]["annual_cost_pence"] == 6_500_000


def test_create_answers_with_location_and_etag(client: TestClient, officer: dict[str, str]) -> None:
    urn = _create_establishment(client, officer)
    response = client.post("/v1/provisions", json=provision_body(urn), headers=officer)
    assert response.headers["Location"] == f"/v1/provisions/{response.json()['id']}"
    assert response.headers["ETag"] == '"v1"'


def test_a_duplicate_urn_is_a_conflict(client: TestClient, officer: dict[str, str]) -> None:
    urn = _create_establishment(client, officer)
    response = client.post("/v1/establishments", json=establishment_body(urn=urn), headers=officer)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("overrides", "location"),
    [
        ({"designated_needs": ["ASD", "XYZ"]}, "body.designated_needs.1"),
        ({"places_total": -1}, "body.places_total"),
        ({"places_total": 5, "places_taken": 6}, "body.places_taken"),
        ({"min_age": 16, "max_age": 11}, "body.max_age"),
        ({"kind": "castle"}, "body.kind"),
        ({"kind": "independent"}, "body.costs.fee_pence"),
        ({"costs": {"top_up_pence": -5}}, "body.costs.top_up_pence"),
        ({"surprise": True}, "body.surprise"),
    ],
)
def test_invalid_provisions_are_refused_and_nothing_is_written(
    client: TestClient,
    officer: dict[str, str],
    overrides: dict[str, Any],
    location: str,
) -> None:
    urn = _create_establishment(client, officer)
    response = client.post("/v1/provisions", json=provision_body(urn, **overrides), headers=officer)
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["status"] == 422
    assert location in [error["location"] for error in problem["errors"]]
    listed = client.get("/v1/provisions", params={"establishment_urn": urn}, headers=officer)
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"location": {"lat": 91, "lon": 0}},
        {"location": {"lat": 52, "lon": -181}},
        {"statutory_low_age": 12, "statutory_high_age": 11},
        {"postcode": "NOT A POSTCODE"},
        {"la_code": "85"},
        {"urn": 12},
    ],
)
def test_invalid_establishments_are_refused(
    client: TestClient, officer: dict[str, str], overrides: dict[str, Any]
) -> None:
    body = establishment_body(**overrides)
    response = client.post("/v1/establishments", json=body, headers=officer)
    assert response.status_code == 422
    assert client.get(f"/v1/establishments/{body['urn']}", headers=officer).status_code in (
        404,
        422,
    )


def test_a_provision_at_an_unknown_establishment_is_refused(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = client.post("/v1/provisions", json=provision_body(999_999), headers=officer)
    assert response.status_code == 422
    assert "not in the directory" in response.json()["detail"]


def test_update_needs_if_match(client: TestClient, officer: dict[str, str]) -> None:
    urn = _create_establishment(client, officer)
    created = _create_provision(client, officer, urn)
    response = client.patch(
        f"/v1/provisions/{created['id']}", json={"places_taken": 11}, headers=officer
    )
    assert response.status_code == 428
    assert response.headers["content-type"] == "application/problem+json"


def test_update_with_the_current_etag_succeeds_and_moves_the_etag(
    client: TestClient, officer: dict[str, str]
) -> None:
    urn = _create_establishment(client, officer)
    created = _create_provision(client, officer, urn)
    response = client.patch(
        f"/v1/provisions/{created['id']}",
        json={"places_taken": 12, "designated_needs": ["ASD"]},
        headers=officer | {"If-Match": created["etag"]},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["free_places"] == 0
    assert updated["designated_needs"] == ["ASD"]
    assert updated["etag"] != created["etag"]
    assert response.headers["ETag"] == updated["etag"]


def test_only_needs_changing_still_moves_the_etag(
    client: TestClient, officer: dict[str, str]
) -> None:
    urn = _create_establishment(client, officer)
    created = _create_provision(client, officer, urn)
    response = client.patch(
        f"/v1/provisions/{created['id']}",
        json={"designated_needs": ["SEMH"]},
        headers=officer | {"If-Match": created["etag"]},
    )
    assert response.json()["etag"] != created["etag"]


def test_a_stale_etag_is_refused_and_nothing_changes(
    client: TestClient, officer: dict[str, str]
) -> None:
    urn = _create_establishment(client, officer)
    created = _create_provision(client, officer, urn)
    path = f"/v1/provisions/{created['id']}"
    first = client.patch(
        path, json={"places_taken": 11}, headers=officer | {"If-Match": created["etag"]}
    )
    assert first.status_code == 200
    stale = client.patch(
        path, json={"places_taken": 0}, headers=officer | {"If-Match": created["etag"]}
    )
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == first.json()["etag"]
    assert client.get(path, headers=officer).json()["places_taken"] == 11


@pytest.mark.parametrize(
    "changes",
    [
        {"places_taken": 13},
        {"places_total": 9},
        {"min_age": 17},
        {"designated_needs": ["ASD", "ASD"]},
        {"name": None},
        {"places_total": -1},
    ],
)
def test_an_update_that_breaks_a_rule_is_refused_and_changes_nothing(
    client: TestClient, officer: dict[str, str], changes: dict[str, Any]
) -> None:
    urn = _create_establishment(client, officer)
    created = _create_provision(client, officer, urn)
    path = f"/v1/provisions/{created['id']}"
    response = client.patch(path, json=changes, headers=officer | {"If-Match": created["etag"]})
    assert response.status_code == 422
    assert client.get(path, headers=officer).json() == created


def test_establishment_update_needs_the_current_etag(
    client: TestClient, officer: dict[str, str]
) -> None:
    urn = _create_establishment(client, officer)
    path = f"/v1/establishments/{urn}"
    etag = client.get(path, headers=officer).headers["ETag"]
    assert client.patch(path, json={"name": "Renamed"}, headers=officer).status_code == 428
    response = client.patch(path, json={"name": "Renamed"}, headers=officer | {"If-Match": etag})
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    again = client.patch(path, json={"name": "Again"}, headers=officer | {"If-Match": etag})
    assert again.status_code == 412


def test_reading_a_missing_record_is_a_404_problem(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = client.get("/v1/provisions/00000000-0000-0000-0000-000000000000", headers=officer)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("role", ["parent", "school", "service"])
def test_only_officers_and_admins_write(
    client: TestClient, officer: dict[str, str], auth: Auth, role: str
) -> None:
    urn = _create_establishment(client, officer)
    headers = auth(role)
    response = client.post("/v1/provisions", json=provision_body(urn), headers=headers)
    assert response.status_code == 403
    assert client.get("/v1/provisions", headers=headers).status_code == 200


def test_admins_write_only_their_own_las_directory(client: TestClient, auth: Auth) -> None:
    admin = auth("admin", la_code="931")
    urn = _create_establishment(client, admin, la_code="931")
    refused = client.post(
        "/v1/establishments", json=establishment_body(la_code="855"), headers=admin
    )
    assert refused.status_code == 403
    assert "only your own LA's records (LA 855)" in refused.json()["detail"]
    renamed = client.patch(
        f"/v1/establishments/{urn}",
        json={"name": "Renamed by its own LA"},
        headers=auth("admin", la_code="855") | {"If-Match": '"1"'},
    )
    assert renamed.status_code == 403


def test_officers_write_only_in_their_own_la(client: TestClient, auth: Auth) -> None:
    response = client.post(
        "/v1/establishments", json=establishment_body(la_code="931"), headers=auth("officer")
    )
    assert response.status_code == 403
