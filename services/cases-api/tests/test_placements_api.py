"""Placements over HTTP: taking places up to the total and no further, ending frees the place,
and the provision's figures and ETag move with each."""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from cases_factories import establishment_body, provision_body
from fastapi.testclient import TestClient
from plans_helpers import make_child
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases_api.placements.models import Placement, PlacementStatus

Auth = Callable[..., dict[str, str]]


def _provision(
    client: TestClient, headers: dict[str, str], *, total: int, taken: int
) -> dict[str, Any]:
    urn = client.post("/v1/establishments", json=establishment_body(), headers=headers).json()[
        "urn"
    ]
    response = client.post(
        "/v1/provisions",
        json=provision_body(urn, places_total=total, places_taken=taken),
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _place(
    client: TestClient, headers: dict[str, str], child_id: Any, provision_id: str, **extra: Any
) -> Any:
    body = {
        "child_id": str(child_id),
        "provision_id": provision_id,
        "starts_on": "2026-09-03",
    } | extra
    return client.post("/v1/placements", json=body, headers=headers)


def test_places_are_taken_up_to_the_total_and_no_further(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    provision = _provision(client, officer, total=12, taken=10)
    first = _place(client, officer, make_child(session).id, provision["id"])
    assert first.status_code == 201, first.text
    placement = first.json()
    assert first.headers["Location"] == f"/v1/placements/{placement['id']}"
    assert placement["status"] == "active"
    assert placement["annual_cost_pence"] == 1_850_000
    assert placement["provision_name"] == "Castle Rock ASD Resource Base"
    assert _place(client, officer, make_child(session).id, provision["id"]).status_code == 201

    refused = _place(client, officer, make_child(session).id, provision["id"])
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"] == "/problems/no-free-place"
    assert problem["title"] == "No free place"
    assert "all 12 places are taken" in problem["detail"]

    after = client.get(f"/v1/provisions/{provision['id']}", headers=officer)
    assert (after.json()["places_taken"], after.json()["free_places"]) == (12, 0)
    assert after.headers["ETag"] == '"v3"'  # each place taken moved the version


def test_ending_a_placement_frees_its_place(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    provision = _provision(client, officer, total=1, taken=0)
    placement = _place(client, officer, make_child(session).id, provision["id"]).json()
    waiting = make_child(session)
    assert _place(client, officer, waiting.id, provision["id"]).status_code == 409

    url = f"/v1/placements/{placement['id']}/end"
    assert client.post(url, json={"ended_on": "2027-07-20"}, headers=officer).status_code == 428
    with_etag = officer | {"If-Match": placement["etag"]}
    assert client.post(url, json={"ended_on": "2026-09-02"}, headers=with_etag).status_code == 422
    ended = client.post(url, json={"ended_on": "2027-07-20"}, headers=with_etag)
    assert ended.status_code == 200, ended.text
    assert (ended.json()["status"], ended.json()["ends_on"]) == ("ended", "2027-07-20")
    assert client.post(url, json={"ended_on": "2027-07-20"}, headers=with_etag).status_code == 412
    again = officer | {"If-Match": ended.json()["etag"]}
    assert client.post(url, json={"ended_on": "2027-07-21"}, headers=again).status_code == 409

    figures = client.get(f"/v1/provisions/{provision['id']}", headers=officer).json()
    assert figures["places_taken"] == 0
    assert _place(client, officer, waiting.id, provision["id"]).status_code == 201


def test_a_child_holds_one_active_place_per_provision(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    provision = _provision(client, officer, total=5, taken=0)
    child = make_child(session)
    assert _place(client, officer, child.id, provision["id"]).status_code == 201
    assert _place(client, officer, child.id, provision["id"]).status_code == 409


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"ends_on": "2026-09-01"}, 422),
        ({"annual_cost_pence": -1}, 422),
        ({"annual_cost_pence": 4_500_000}, 201),
        ({"starts_on": "03/09/2026"}, 422),
    ],
)
def test_placement_bodies_are_validated(
    client: TestClient,
    officer: dict[str, str],
    session: Session,
    extra: dict[str, Any],
    expected: int,
) -> None:
    provision = _provision(client, officer, total=5, taken=0)
    response = _place(client, officer, make_child(session).id, provision["id"], **extra)
    assert response.status_code == expected, response.text


def test_unknown_child_or_provision_and_other_las(
    client: TestClient, officer: dict[str, str], auth: Auth, session: Session
) -> None:
    provision = _provision(client, officer, total=5, taken=0)
    child = make_child(session)
    nobody = "00000000-0000-4000-8000-000000000000"
    assert _place(client, officer, nobody, provision["id"]).status_code == 422
    assert _place(client, officer, child.id, nobody).status_code == 422
    other_la = auth("officer", la_code="856")
    # Another LA's child is unknown to this officer: the same 422 as a child that does not exist.
    assert _place(client, other_la, child.id, provision["id"]).status_code == 422
    assert _place(client, auth("parent"), child.id, provision["id"]).status_code == 403
    free = client.get(f"/v1/provisions/{provision['id']}", headers=officer).json()["free_places"]
    assert free == 5


def test_list_placements_filters(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    provision = _provision(client, officer, total=5, taken=0)
    child = make_child(session)
    early = _place(client, officer, child.id, provision["id"], starts_on="2025-09-03").json()
    client.post(
        f"/v1/placements/{early['id']}/end",
        json={"ended_on": "2026-07-20"},
        headers=officer | {"If-Match": early["etag"]},
    )
    later = _place(client, officer, child.id, provision["id"]).json()
    listed = client.get("/v1/placements", params={"child_id": str(child.id)}, headers=officer)
    assert [p["id"] for p in listed.json()["items"]] == [later["id"], early["id"]]
    active = client.get(
        "/v1/placements",
        params={"provision_id": provision["id"], "status": "active"},
        headers=officer,
    ).json()
    assert [p["id"] for p in active["items"]] == [later["id"]]
    read = client.get(f"/v1/placements/{early['id']}", headers=officer)
    assert read.json()["status"] == "ended"
    assert read.headers["ETag"] == read.json()["etag"] == '"v2"'


def test_a_retried_placement_takes_one_place(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    provision = _provision(client, officer, total=5, taken=0)
    child = make_child(session)
    keyed = officer | {"Idempotency-Key": "placement-retry-0001"}
    first = _place(client, keyed, child.id, provision["id"])
    again = _place(client, keyed, child.id, provision["id"])
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    figures = client.get(f"/v1/provisions/{provision['id']}", headers=officer).json()
    assert figures["places_taken"] == 1


def test_the_database_holds_one_active_place_per_child_and_provision(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    provision = _provision(client, officer, total=5, taken=0)
    child = make_child(session)
    first = _place(client, officer, child.id, provision["id"]).json()
    duplicate = Placement(
        child_id=child.id,
        provision_id=uuid.UUID(provision["id"]),
        status=PlacementStatus.ACTIVE,
        starts_on=date(2026, 9, 4),
        annual_cost_pence=0,
    )
    session.add(duplicate)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    ended = Placement(
        child_id=child.id,
        provision_id=uuid.UUID(provision["id"]),
        status=PlacementStatus.ENDED,
        starts_on=date(2025, 9, 4),
        ends_on=date(2026, 7, 20),
        annual_cost_pence=0,
    )
    session.add(ended)
    session.flush()
    assert first["status"] == "active"
