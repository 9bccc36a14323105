"""Helpers for the assessment-request tests: children, requests, and walking them through states."""

from typing import Any

from cases_factories import child_body, plan_body, plan_version_body, request_body
from fastapi.testclient import TestClient

# A lawful path to every state, with dates in order (received 2025-01-06, a Monday).
RECEIVED_ON = "2025-01-06"
PATHS: dict[str, list[tuple[str, str]]] = {
    "received": [],
    "decided_to_assess": [("decided_to_assess", "2025-02-10")],
    "refused_to_assess": [("refused_to_assess", "2025-02-10")],
    "advice_requested": [("decided_to_assess", "2025-02-10"), ("advice_requested", "2025-02-12")],
}
PATHS["decided_to_issue"] = [*PATHS["advice_requested"], ("decided_to_issue", "2025-04-01")]
PATHS["decided_not_to_issue"] = [*PATHS["advice_requested"], ("decided_not_to_issue", "2025-04-01")]
PATHS["draft_issued"] = [*PATHS["decided_to_issue"], ("draft_issued", "2025-04-07")]
PATHS["final_issued"] = [*PATHS["draft_issued"], ("final_issued", "2025-05-01")]
PATHS["withdrawn"] = [("withdrawn", "2025-01-20")]


def new_child(client: TestClient, headers: dict[str, str], **overrides: Any) -> str:
    response = client.post("/v1/children", json=child_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def new_request(
    client: TestClient,
    headers: dict[str, str],
    *,
    child: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    child_id = new_child(client, headers, **(child or {}))
    body = request_body(child_id, **({"received_on": RECEIVED_ON} | overrides))
    response = client.post("/v1/assessment-requests", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def move(
    client: TestClient, headers: dict[str, str], request_id: str, to_state: str, on: str
) -> Any:
    return client.post(
        f"/v1/assessment-requests/{request_id}/transitions",
        json={"to_state": to_state, "occurred_on": on},
        headers=headers,
    )


def issue_draft(
    client: TestClient, headers: dict[str, str], request_id: str, on: str, **overrides: Any
) -> Any:
    """POST the draft plan made from the request (which moves it to draft_issued)."""
    child_id = client.get(f"/v1/assessment-requests/{request_id}", headers=headers).json()[
        "child_id"
    ]
    body = plan_body(child_id, assessment_request_id=request_id, issued_on=on, **overrides)
    return client.post("/v1/plans", json=body, headers=headers)


def plan_of(client: TestClient, headers: dict[str, str], request_id: str) -> dict[str, Any]:
    """The plan made from the request."""
    child_id = client.get(f"/v1/assessment-requests/{request_id}", headers=headers).json()[
        "child_id"
    ]
    plans = client.get("/v1/plans", params={"child_id": child_id}, headers=headers).json()
    (plan,) = [p for p in plans["items"] if p["assessment_request_id"] == request_id]
    return dict(plan)


def issue_final(
    client: TestClient, headers: dict[str, str], request_id: str, on: str, **overrides: Any
) -> Any:
    """POST the final version of the request's plan (which moves it to final_issued)."""
    plan = plan_of(client, headers, request_id)
    etag = client.get(f"/v1/plans/{plan['id']}", headers=headers).headers["ETag"]
    return client.post(
        f"/v1/plans/{plan['id']}/versions",
        json=plan_version_body("final", on, **overrides),
        headers=headers | {"If-Match": etag},
    )


def walk(
    client: TestClient, headers: dict[str, str], request_id: str, steps: list[tuple[str, str]]
) -> dict[str, Any]:
    """Take the request through the steps; the draft and the final are issued as plans."""
    path = f"/v1/assessment-requests/{request_id}"
    read: dict[str, Any] = client.get(path, headers=headers).json()
    for to_state, on in steps:
        if to_state in ("draft_issued", "final_issued"):
            issue = issue_draft if to_state == "draft_issued" else issue_final
            response = issue(client, headers, request_id, on)
            assert response.status_code == 201, response.text
            read = client.get(path, headers=headers).json()
            continue
        response = move(client, headers, request_id, to_state, on)
        assert response.status_code == 200, response.text
        read = response.json()
    return read


def add_exception(client: TestClient, headers: dict[str, str], request_id: str, **body: Any) -> Any:
    return client.post(
        f"/v1/assessment-requests/{request_id}/exceptions", json=body, headers=headers
    )


def add_advice(client: TestClient, headers: dict[str, str], request_id: str, **body: Any) -> Any:
    return client.post(f"/v1/assessment-requests/{request_id}/advice", json=body, headers=headers)


def milestone(read: dict[str, Any], kind: str, detail: str = "") -> dict[str, Any]:
    return next(
        m for m in read["clock"]["milestones"] if m["kind"] == kind and m["detail"] == detail
    )
