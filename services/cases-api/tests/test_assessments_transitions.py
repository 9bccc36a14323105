"""Every pair of states over HTTP: lawful moves succeed, every other is a 409 problem, and so
is a move to draft_issued or final_issued, which the plan makes."""

import pytest
from assessments_helpers import PATHS, move, new_request, walk
from fastapi.testclient import TestClient

# The lawful moves, as issue 4 states them (withdrawal from any state not final).
LAWFUL = {
    "received": {"decided_to_assess", "refused_to_assess", "withdrawn"},
    "decided_to_assess": {"advice_requested", "withdrawn"},
    "advice_requested": {"decided_to_issue", "decided_not_to_issue", "withdrawn"},
    "decided_to_issue": {"draft_issued", "withdrawn"},
    "draft_issued": {"final_issued", "withdrawn"},
    "refused_to_assess": set(),
    "decided_not_to_issue": set(),
    "final_issued": set(),
    "withdrawn": set(),
}
# Entered only with the plan, through the plans' routes (issue 10).
WITH_THE_PLAN = {
    "draft_issued": "POST /v1/plans",
    "final_issued": "POST /v1/plans/{plan_id}/versions",
}
PAIRS = [(current, target) for current in LAWFUL for target in LAWFUL]


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{c}->{t}" for c, t in PAIRS])
def test_every_transition(
    client: TestClient, officer: dict[str, str], current: str, target: str
) -> None:
    created = new_request(client, officer)
    read = walk(client, officer, created["id"], PATHS[current])
    assert read["state"] == current
    assert set(read["allowed_transitions"]) == LAWFUL[current]

    response = move(client, officer, created["id"], target, "2025-06-02")
    if target in WITH_THE_PLAN:
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["use"] == WITH_THE_PLAN[target]
        assert WITH_THE_PLAN[target].split(" ")[1] in problem["detail"]
        assert problem["current_state"] == current
        assert problem["allowed_transitions"] == sorted(LAWFUL[current])
    elif target in LAWFUL[current]:
        assert response.status_code == 200, response.text
        moved = response.json()
        assert moved["state"] == target
        assert moved["transitions"][-1]["from_state"] == current
        assert moved["transitions"][-1]["to_state"] == target
        assert moved["transitions"][-1]["occurred_on"] == "2025-06-02"
        assert moved["transitions"][-1]["recorded_by"] == "test-officer"
    else:
        assert response.status_code == 409, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["current_state"] == current
        assert problem["allowed_transitions"] == sorted(LAWFUL[current])
        assert current in problem["detail"]
        after = client.get(f"/v1/assessment-requests/{created['id']}", headers=officer).json()
        assert after["state"] == current
        assert len(after["transitions"]) == len(PATHS[current])


def test_an_unknown_target_state_is_invalid(client: TestClient, officer: dict[str, str]) -> None:
    created = new_request(client, officer)
    response = move(client, officer, created["id"], "approved", "2025-02-01")
    assert response.status_code == 422
