"""Refusals: invalid bodies (422), dates out of order, duplicates (409), scope (403), ETags."""

from collections.abc import Callable
from typing import Any

import pytest
from assessments_helpers import PATHS, add_advice, add_exception, move, new_child, new_request, walk
from cases_factories import request_body
from fastapi.testclient import TestClient

Auth = Callable[..., dict[str, str]]


@pytest.mark.parametrize(
    ("overrides", "location"),
    [
        ({"source": "neighbour"}, "body.source"),
        ({"received_on": "2999-01-01"}, "body.received_on"),
        ({"received_on": "1999-12-31"}, "body.received_on"),
        ({"received_on": "06/01/2025"}, "body.received_on"),
        ({"urgent": True}, "body.urgent"),
    ],
)
def test_invalid_requests_are_refused(
    client: TestClient, officer: dict[str, str], overrides: dict[str, Any], location: str
) -> None:
    child_id = new_child(client, officer)
    body = request_body(child_id, **overrides)
    response = client.post("/v1/assessment-requests", json=body, headers=officer)
    assert response.status_code == 422, response.text
    assert location in [error["location"] for error in response.json()["errors"]]


def test_a_request_for_an_unknown_child_is_refused(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = request_body("00000000-0000-0000-0000-000000000000")
    assert client.post("/v1/assessment-requests", json=body, headers=officer).status_code == 422


def test_a_child_has_one_open_request_at_a_time(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    again = client.post(
        "/v1/assessment-requests", json=request_body(created["child_id"]), headers=officer
    )
    assert again.status_code == 409
    assert again.json()["open_request_id"] == created["id"]
    walk(client, officer, created["id"], PATHS["refused_to_assess"])
    later = request_body(created["child_id"], received_on="2025-09-01")
    assert client.post("/v1/assessment-requests", json=later, headers=officer).status_code == 201


@pytest.mark.parametrize(
    ("steps", "to_state", "on", "message"),
    [
        ([], "decided_to_assess", "2025-01-05", "before the request was received"),
        (PATHS["advice_requested"], "decided_to_issue", "2025-02-11", "before the previous step"),
        ([], "decided_to_assess", "2099-01-01", "future"),
    ],
)
def test_transition_dates_must_be_in_order(
    client: TestClient,
    officer: dict[str, str],
    steps: list[tuple[str, str]],
    to_state: str,
    on: str,
    message: str,
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], steps)
    response = move(client, officer, created["id"], to_state, on)
    assert response.status_code == 422
    assert message in response.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"ground": "absent_from_area", "starts_on": "2025-03-30", "ends_on": "2025-03-03"},
            "ends before it starts",
        ),
        (
            {"ground": "absent_from_area", "starts_on": "2025-03-03", "ends_on": "2025-03-20"},
            "at least 4 weeks",
        ),
        (
            {
                "ground": "setting_closed",
                "starts_on": "2024-11-01",
                "ends_on": "2024-12-31",
                "advice_requested_on": "2024-11-20",
            },
            "before the request was received",
        ),
        (
            {"ground": "setting_closed", "starts_on": "2025-03-03", "ends_on": "2025-04-06"},
            "advice_requested_on goes with setting_closed",
        ),
        (
            {
                "ground": "absent_from_area",
                "starts_on": "2025-03-03",
                "ends_on": "2025-04-06",
                "advice_requested_on": "2025-03-03",
            },
            "advice_requested_on goes with setting_closed",
        ),
        (
            {
                "ground": "setting_closed",
                "starts_on": "2025-03-03",
                "ends_on": "2025-04-06",
                "advice_requested_on": "2025-04-01",
            },
            "outside the window reg 10(4)(a) describes for this closure (2025-02-24 to 2025-03-31",
        ),
        ({"ground": "illness", "starts_on": "2025-03-03", "ends_on": "2025-03-04"}, "ground"),
    ],
)
def test_invalid_exceptions_are_refused(
    client: TestClient, officer: dict[str, str], body: dict[str, Any], message: str
) -> None:
    created = new_request(client, officer)
    response = add_exception(client, officer, created["id"], **body)
    assert response.status_code == 422
    assert message in response.text


def test_advice_needs_a_decision_to_assess_and_dates_in_order(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    early = add_advice(client, officer, created["id"], advice="health", requested_on="2025-02-12")
    assert early.status_code == 409
    walk(client, officer, created["id"], PATHS["decided_to_assess"])
    before_decision = add_advice(
        client, officer, created["id"], advice="health", requested_on="2025-02-01"
    )
    assert before_decision.status_code == 422
    reversed_dates = add_advice(
        client,
        officer,
        created["id"],
        advice="health",
        requested_on="2025-02-12",
        received_on="2025-02-11",
    )
    assert reversed_dates.status_code == 422
    ok = add_advice(client, officer, created["id"], advice="health", requested_on="2025-02-12")
    assert ok.status_code == 201
    twice = add_advice(client, officer, created["id"], advice="health", requested_on="2025-02-13")
    assert twice.status_code == 409


def test_a_request_is_assigned_and_unassigned(client: TestClient, officer: dict[str, str]) -> None:
    created = new_request(client, officer)
    path = f"/v1/assessment-requests/{created['id']}/assignment"
    assigned = client.post(path, json={"assigned_officer": "officer-a"}, headers=officer)
    assert assigned.status_code == 200
    assert assigned.json()["assigned_officer"] == "officer-a"
    assert assigned.json()["etag"] != created["etag"]
    cleared = client.post(path, json={"assigned_officer": None}, headers=officer)
    assert cleared.json()["assigned_officer"] is None
    assert client.post(path, json={}, headers=officer).status_code == 422


def test_other_methods_on_the_views_are_405(client: TestClient, officer: dict[str, str]) -> None:
    for path in ("overdue", "due-soon", "compliance", "overdue/count"):
        response = client.patch(f"/v1/assessment-requests/{path}", json={}, headers=officer)
        assert response.status_code == 405, path
        assert response.headers["Allow"] == "GET"


def test_writes_are_for_officers_of_the_la(
    client: TestClient, officer: dict[str, str], auth: Auth
) -> None:
    created = new_request(client, officer)
    other_la = auth("officer", la_code="931")
    # Another LA's request is not visible at all: 404, no hint that it exists.
    assert move(client, other_la, created["id"], "withdrawn", "2025-02-01").status_code == 404
    assert move(client, auth("parent"), created["id"], "withdrawn", "2025-02-01").status_code == 403
    read = client.get(f"/v1/assessment-requests/{created['id']}", headers=auth("parent"))
    assert read.status_code == 404  # not this parent's child


def test_an_unknown_request_is_404(client: TestClient, officer: dict[str, str]) -> None:
    response = client.get(
        "/v1/assessment-requests/00000000-0000-0000-0000-000000000000", headers=officer
    )
    assert response.status_code == 404


def test_a_retried_receipt_with_the_same_key_is_replayed_not_refused(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = request_body(new_child(client, officer))
    headers = officer | {"Idempotency-Key": "receipt-7f3a9c2e"}
    first = client.post("/v1/assessment-requests", json=body, headers=headers)
    again = client.post("/v1/assessment-requests", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["Location"] == f"/v1/assessment-requests/{first.json()['id']}"
    without_key = client.post("/v1/assessment-requests", json=body, headers=officer)
    assert without_key.status_code == 409
