"""Idempotency-Key on creating POSTs: replay, refusal of a reused key, per-caller keys."""

from collections.abc import Callable
from typing import Any

import pytest
from cases_factories import establishment_body
from fastapi.testclient import TestClient

Auth = Callable[..., dict[str, str]]


def _post(client: TestClient, headers: dict[str, str], body: dict[str, Any], key: str) -> Any:
    return client.post("/v1/establishments", json=body, headers=headers | {"Idempotency-Key": key})


def test_the_same_key_and_body_replay_the_first_response(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = establishment_body()
    first = _post(client, officer, body, "key-00000001")
    again = _post(client, officer, body, "key-00000001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = establishment_body()
    assert _post(client, officer, body, "key-00000002").status_code == 201
    other = establishment_body()
    response = _post(client, officer, other, "key-00000002")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(f"/v1/establishments/{other['urn']}", headers=officer).status_code == 404


def test_keys_belong_to_their_caller(client: TestClient, auth: Auth) -> None:
    body = establishment_body()
    alice = auth("officer", subject="alice")
    bob = auth("officer", subject="bob")
    assert _post(client, alice, body, "shared-key-1").status_code == 201
    # Bob's identical request is his own first request: it really runs (and conflicts).
    assert _post(client, bob, body, "shared-key-1").status_code == 409


def test_without_a_key_a_repeat_really_repeats(client: TestClient, officer: dict[str, str]) -> None:
    body = establishment_body()
    assert client.post("/v1/establishments", json=body, headers=officer).status_code == 201
    assert client.post("/v1/establishments", json=body, headers=officer).status_code == 409


def test_a_failed_request_is_not_remembered(client: TestClient, officer: dict[str, str]) -> None:
    body = establishment_body(la_code="931")  # another LA: 403 for this officer
    assert _post(client, officer, body, "key-00000003").status_code == 403
    allowed = establishment_body()
    assert _post(client, officer, allowed, "key-00000003").status_code == 201


@pytest.mark.parametrize("key", ["short", "has space in it", "x" * 201])
def test_malformed_keys_are_refused(client: TestClient, officer: dict[str, str], key: str) -> None:
    assert _post(client, officer, establishment_body(), key).status_code == 422


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/rounds", lambda: {"name": "September 2027", "entry_date": "2027-09-01"}),
        ("/v1/establishments", establishment_body),
    ],
    ids=["round", "establishment"],
)
def test_a_replay_carries_the_first_responses_etag_and_location(
    client: TestClient, officer: dict[str, str], path: str, body: Callable[[], dict[str, Any]]
) -> None:
    sent = body()
    headers = officer | {"Idempotency-Key": "key-etag-0001"}
    first = client.post(path, json=sent, headers=headers)
    again = client.post(path, json=sent, headers=headers)
    assert first.status_code == again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.headers["ETag"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Location"] == first.headers["Location"]
    # The ETag is the one a read gives, so the replayed one works for If-Match.
    read = client.get(first.headers["Location"], headers=officer)
    assert read.headers["ETag"] == again.headers["ETag"]
