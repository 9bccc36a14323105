"""Mediation and tribunal events on requests, assessments and plans."""

from types import SimpleNamespace
from typing import Any

import pytest
from assessments_helpers import PATHS, new_request, walk
from fastapi.testclient import TestClient
from plans_helpers import final_plan


def _dispute(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/v1/dispute-events", json=body, headers=headers)


def test_a_refusal_is_mediated_then_appealed(client: TestClient, officer: dict[str, str]) -> None:
    created = new_request(client, officer)
    refused = walk(client, officer, created["id"], PATHS["refused_to_assess"])
    assert refused["appeal_deadline"] == "2025-04-10"  # two months after the refusal
    mediation = _dispute(
        client,
        officer,
        stage="request",
        kind="mediation",
        assessment_request_id=created["id"],
        opened_on="2025-02-20",
        certificate_on="2025-03-20",
        closed_on="2025-03-20",
        outcome="not_agreed",
    )
    assert mediation.status_code == 201, mediation.text
    request = client.get(f"/v1/assessment-requests/{created['id']}", headers=officer).json()
    # One month after the certificate is Easter Sunday 2025; Easter Monday is a bank holiday, so
    # r12(2) moves it to Tuesday 22 April.
    assert request["appeal_deadline"] == "2025-04-22"
    assert request["appeal"]["raw_last_day"] == "2025-04-20"
    assert request["appeal"]["rolled_by"] == "non_working_day"
    assert mediation.json()["child_id"] == created["child_id"]
    appeal = _dispute(
        client,
        officer,
        stage="request",
        kind="tribunal",
        appeal_ground="refusal_to_assess",
        assessment_request_id=created["id"],
        opened_on="2025-04-01",
        hearing_on="2025-09-15",
    )
    assert appeal.status_code == 201, appeal.text
    listed = client.get(
        "/v1/dispute-events", params={"assessment_request_id": created["id"]}, headers=officer
    ).json()["items"]
    assert [item["kind"] for item in listed] == ["mediation", "tribunal"]
    one = client.get(f"/v1/dispute-events/{appeal.json()['id']}", headers=officer)
    assert one.json() == appeal.json()


def test_a_plan_dispute_names_the_plan_and_child(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    child = SimpleNamespace(id=created["child_id"])
    plan_id = final_plan(client, officer, child)["id"]  # type: ignore[arg-type]
    response = _dispute(
        client,
        officer,
        stage="plan",
        kind="tribunal",
        appeal_ground="section_i",
        plan_id=plan_id,
        child_id=created["child_id"],
        opened_on="2025-07-01",
    )
    assert response.status_code == 201, response.text
    listed = client.get("/v1/dispute-events", params={"plan_id": plan_id}, headers=officer)
    assert [item["id"] for item in listed.json()["items"]] == [response.json()["id"]]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"opened_on": "2025-01-01"}, 422, "before the request was received"),
        ({"closed_on": "2025-02-01"}, 422, "closed_on is before opened_on"),
        ({"outcome": "agreed"}, 422, "an outcome needs closed_on"),
        ({"closed_on": "2025-03-01", "outcome": "upheld"}, 422, "not an outcome of a mediation"),
        ({"hearing_on": "2025-04-01"}, 422, "a mediation has no hearing"),
        ({"stage": "plan"}, 422, "needs plan_id and child_id"),
        ({"stage": "assessment"}, 422, "decided for assessment"),
    ],
)
def test_invalid_disputes_are_refused(
    client: TestClient, officer: dict[str, str], body: dict[str, Any], status: int, message: str
) -> None:
    created = new_request(client, officer)
    base = {
        "stage": "request",
        "kind": "mediation",
        "assessment_request_id": created["id"],
        "opened_on": "2025-02-20",
    }
    response = _dispute(client, officer, **(base | body))
    assert response.status_code == status, response.text
    assert message in response.text
