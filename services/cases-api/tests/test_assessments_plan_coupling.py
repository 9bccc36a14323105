"""The request follows its plan: the draft makes it draft_issued, the final final_issued, in the
same transaction; the request's own route refuses those moves and names the plans' routes."""

from typing import Any

from assessments_helpers import (
    PATHS,
    issue_draft,
    issue_final,
    milestone,
    move,
    new_request,
    plan_of,
    walk,
)
from cases_factories import plan_body
from fastapi.testclient import TestClient


def _read(client: TestClient, headers: dict[str, str], request_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/assessment-requests/{request_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _plans_of_child(client: TestClient, headers: dict[str, str], child_id: str) -> list[Any]:
    response = client.get("/v1/plans", params={"child_id": child_id}, headers=headers)
    return list(response.json()["items"])


def test_the_whole_path_from_request_to_final_plan(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    request_id = created["id"]
    read = walk(client, officer, request_id, PATHS["decided_to_issue"])
    assert read["state"] == "decided_to_issue"

    drafted = issue_draft(client, officer, request_id, "2025-04-07")
    assert drafted.status_code == 201, drafted.text
    assert drafted.json()["assessment_request_id"] == request_id
    read = _read(client, officer, request_id)
    assert read["state"] == "draft_issued"
    step = read["transitions"][-1]
    assert (step["from_state"], step["to_state"], step["occurred_on"], step["recorded_by"]) == (
        "decided_to_issue",
        "draft_issued",
        "2025-04-07",
        "test-officer",
    )
    # A draft is not a plan: the 20-week measure waits for the final.
    assert read["clock"]["within_20_weeks"] is None
    assert read["clock"]["within_20_weeks_excluding_exceptions"] is None
    assert milestone(read, "final_plan")["status"] != "met"
    assert read["clock"]["comment_window_ends"] == "2025-04-21"

    final = issue_final(client, officer, request_id, "2025-05-01")
    assert final.status_code == 201, final.text
    read = _read(client, officer, request_id)
    assert read["state"] == "final_issued"
    assert [t["to_state"] for t in read["transitions"]] == [
        "decided_to_assess",
        "advice_requested",
        "decided_to_issue",
        "draft_issued",
        "final_issued",
    ]
    assert read["transitions"][-1]["occurred_on"] == "2025-05-01"
    assert read["clock"]["within_20_weeks"] is True
    assert read["clock"]["within_20_weeks_excluding_exceptions"] is True
    assert milestone(read, "final_plan")["status"] == "met"
    assert milestone(read, "final_plan")["done"] == "2025-05-01"
    plan = plan_of(client, officer, request_id)
    assert (plan["status"], plan["made_on"]) == ("in_force", "2025-05-01")


def test_a_late_final_counts_late_only_once_it_is_issued(
    client: TestClient, officer: dict[str, str]
) -> None:
    request_id = new_request(client, officer)["id"]
    walk(client, officer, request_id, PATHS["draft_issued"])
    assert issue_final(client, officer, request_id, "2025-06-10").status_code == 201
    read = _read(client, officer, request_id)
    assert read["clock"]["within_20_weeks"] is False
    assert (
        milestone(read, "final_plan")["status"],
        milestone(read, "final_plan")["days_late"],
    ) == (
        "late",
        15,
    )


def test_the_requests_route_refuses_draft_and_final_and_names_the_plans_routes(
    client: TestClient, officer: dict[str, str]
) -> None:
    request_id = new_request(client, officer)["id"]
    read = walk(client, officer, request_id, PATHS["decided_to_issue"])
    draft = move(client, officer, request_id, "draft_issued", "2025-04-07")
    assert draft.status_code == 409
    assert draft.headers["content-type"] == "application/problem+json"
    assert draft.json()["use"] == "POST /v1/plans"
    assert "POST /v1/plans" in draft.json()["detail"]

    walk(client, officer, request_id, [("draft_issued", "2025-04-07")])
    final = move(client, officer, request_id, "final_issued", "2025-05-01")
    assert final.status_code == 409
    assert final.json()["use"] == "POST /v1/plans/{plan_id}/versions"
    assert "POST /v1/plans/{plan_id}/versions" in final.json()["detail"]
    after = _read(client, officer, request_id)
    assert after["state"] == "draft_issued"
    assert len(after["transitions"]) == len(read["transitions"]) + 1


def test_a_draft_for_a_request_not_decided_to_issue_is_refused_and_writes_nothing(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    request_id = created["id"]
    before = walk(client, officer, request_id, PATHS["advice_requested"])
    response = issue_draft(client, officer, request_id, "2025-04-07")
    assert response.status_code == 409
    problem = response.json()
    assert problem["current_state"] == "advice_requested"
    assert problem["needed_state"] == "decided_to_issue"
    assert "advice_requested" in problem["detail"]
    assert "decided_to_issue" in problem["detail"]
    assert _plans_of_child(client, officer, created["child_id"]) == []
    assert _read(client, officer, request_id)["etag"] == before["etag"]


def test_a_draft_dated_before_the_decision_to_issue_is_invalid(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["decided_to_issue"])
    response = issue_draft(client, officer, created["id"], "2025-03-20")
    assert response.status_code == 422
    assert (
        "issued_on (2025-03-20) is before the previous step (2025-04-01)"
        in (response.json()["detail"])
    )
    assert _plans_of_child(client, officer, created["child_id"]) == []


def test_a_final_inside_the_window_leaves_the_request_draft_issued(
    client: TestClient, officer: dict[str, str]
) -> None:
    request_id = new_request(client, officer)["id"]
    read = walk(client, officer, request_id, PATHS["draft_issued"])
    response = issue_final(client, officer, request_id, "2025-04-15")
    assert response.status_code == 409
    assert response.json()["may_finalise_from"] == "2025-04-22"
    after = _read(client, officer, request_id)
    assert (after["state"], after["etag"]) == ("draft_issued", read["etag"])


def test_a_withdrawn_request_stops_its_plan_being_made_final(
    client: TestClient, officer: dict[str, str]
) -> None:
    request_id = new_request(client, officer)["id"]
    walk(client, officer, request_id, [*PATHS["draft_issued"], ("withdrawn", "2025-04-10")])
    response = issue_final(client, officer, request_id, "2025-05-01")
    assert response.status_code == 409
    assert response.json()["current_state"] == "withdrawn"
    assert plan_of(client, officer, request_id)["status"] == "draft"


def test_a_plan_not_made_from_a_request_moves_no_request(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    before = walk(client, officer, created["id"], PATHS["decided_to_issue"])
    response = client.post("/v1/plans", json=plan_body(created["child_id"]), headers=officer)
    assert response.status_code == 201, response.text
    after = _read(client, officer, created["id"])
    assert (after["state"], after["etag"]) == ("decided_to_issue", before["etag"])
