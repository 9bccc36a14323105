"""The statutory clock on every read: milestones, exceptions, leap years, the comment window."""

from typing import Any

import pytest
from assessments_helpers import (
    PATHS,
    RECEIVED_ON,
    add_advice,
    add_exception,
    issue_draft,
    issue_final,
    milestone,
    new_request,
    plan_of,
    walk,
)
from cases_factories import plan_version_body
from fastapi.testclient import TestClient


def _read(client: TestClient, headers: dict[str, str], request_id: str, as_of: str) -> Any:
    response = client.get(
        f"/v1/assessment-requests/{request_id}", params={"as_of": as_of}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_new_request_shows_every_milestone_from_receipt(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    assert created["state"] == "received"
    read = _read(client, officer, created["id"], "2025-02-20")
    clock = read["clock"]
    assert clock["received_on"] == RECEIVED_ON
    assert clock["as_of"] == "2025-02-20"
    assert [m["kind"] for m in clock["milestones"]] == [
        "decision_to_assess",
        "no_plan_notice",
        "final_plan",
    ]
    decision = milestone(read, "decision_to_assess")
    assert decision == {
        "kind": "decision_to_assess",
        "detail": "",
        "due": "2025-02-17",
        "adjusted_due": "2025-02-17",
        "done": None,
        "status": "overdue",
        "days_remaining": None,
        "days_late": 3,
        "legal_basis": "SEND Regulations 2014 reg 5(1)",
        "exception_applies": False,
    }
    final = milestone(read, "final_plan")
    assert (final["due"], final["status"], final["days_remaining"]) == ("2025-05-26", "pending", 95)
    assert milestone(read, "no_plan_notice")["due"] == "2025-04-28"
    assert clock["final_plan_due"] == clock["final_plan_adjusted_due"] == "2025-05-26"
    assert clock["within_20_weeks"] is None
    assert clock["exception_applies"] is False


def test_advice_milestones_run_from_each_advice_request(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["advice_requested"])
    response = add_advice(
        client,
        officer,
        created["id"],
        advice="educational_psychologist",
        requested_on="2025-02-12",
        received_on="2025-04-01",
    )
    assert response.status_code == 201, response.text
    health = add_advice(client, officer, created["id"], advice="health", requested_on="2025-02-14")
    read = _read(client, officer, created["id"], "2025-03-20")
    psychologist = milestone(read, "advice", "educational_psychologist")
    assert (psychologist["due"], psychologist["status"], psychologist["days_late"]) == (
        "2025-03-26",
        "late",
        6,
    )
    pending = milestone(read, "advice", "health")
    assert (pending["due"], pending["status"], pending["days_remaining"]) == (
        "2025-03-28",
        "due_soon",
        8,
    )
    advice_id = next(a["id"] for a in health.json()["advice_requests"] if a["advice"] == "health")
    receipt = client.post(
        f"/v1/assessment-requests/{created['id']}/advice/{advice_id}/receipt",
        json={"received_on": "2025-03-27"},
        headers=officer,
    )
    assert receipt.status_code == 200, receipt.text
    assert milestone(receipt.json(), "advice", "health")["status"] == "met"
    again = client.post(
        f"/v1/assessment-requests/{created['id']}/advice/{advice_id}/receipt",
        json={"received_on": "2025-03-28"},
        headers=officer,
    )
    assert again.status_code == 409


def test_an_exception_moves_the_adjusted_due_date_and_leaves_the_plain_measure_alone(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    response = add_exception(
        client,
        officer,
        created["id"],
        ground="absent_from_area",
        starts_on="2025-03-03",
        ends_on="2025-03-30",
        note="Family abroad for a funeral",
    )
    assert response.status_code == 201, response.text
    steps = [*PATHS["draft_issued"], ("final_issued", "2025-06-10")]
    read = walk(client, officer, created["id"], steps)
    clock = read["clock"]
    assert clock["final_plan_due"] == "2025-05-26"
    assert clock["final_plan_adjusted_due"] == "2025-06-23"
    assert clock["exception_days"] == 28
    assert clock["exception_applies"] is True
    assert clock["within_20_weeks"] is False
    assert clock["within_20_weeks_excluding_exceptions"] is None
    final = milestone(read, "final_plan")
    assert (final["status"], final["days_late"], final["adjusted_due"]) == (
        "late",
        15,
        "2025-06-23",
    )
    assert read["exceptions"][0]["ground"] == "absent_from_area"


def test_a_plan_on_time_without_exceptions_counts_in_both_measures(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    read = walk(client, officer, created["id"], PATHS["final_issued"])
    assert read["clock"]["within_20_weeks"] is True
    assert read["clock"]["within_20_weeks_excluding_exceptions"] is True
    assert milestone(read, "final_plan")["status"] == "met"
    assert [m["kind"] for m in read["clock"]["milestones"]] == ["decision_to_assess", "final_plan"]


@pytest.mark.parametrize(
    ("received_on", "decision_due", "final_due"),
    [
        ("2024-01-15", "2024-02-26", "2024-06-03"),  # 29 February 2024 counts as a day
        ("2025-01-15", "2025-02-26", "2025-06-04"),
        ("2024-02-29", "2024-04-11", "2024-07-18"),
        ("2023-12-28", "2024-02-08", "2024-05-16"),
    ],
)
def test_leap_years_and_year_ends(
    client: TestClient,
    officer: dict[str, str],
    received_on: str,
    decision_due: str,
    final_due: str,
) -> None:
    created = new_request(client, officer, received_on=received_on)
    assert milestone(created, "decision_to_assess")["due"] == decision_due
    assert created["clock"]["final_plan_due"] == final_due


def test_the_draft_is_final_only_after_the_comment_window_unless_waived(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    read = walk(client, officer, created["id"], PATHS["draft_issued"])
    assert read["clock"]["comment_window_ends"] == "2025-04-21"
    assert read["clock"]["may_finalise_from"] == "2025-04-22"
    assert read["comments_waived"] is False

    early = issue_final(client, officer, created["id"], "2025-04-15")
    assert early.status_code == 409
    assert early.json()["may_finalise_from"] == "2025-04-22"

    final = issue_final(client, officer, created["id"], "2025-04-15", comments_waived=True)
    assert final.status_code == 201, final.text
    after = client.get(f"/v1/assessment-requests/{created['id']}", headers=officer).json()
    assert after["state"] == "final_issued"
    assert after["comments_waived"] is True
    assert after["clock"]["may_finalise_from"] == "2025-04-07"


def test_a_waiver_sent_with_the_draft_shows_on_the_request_clock(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["decided_to_issue"])
    drafted = issue_draft(client, officer, created["id"], "2025-04-07", comments_waived=True)
    assert drafted.status_code == 201, drafted.text
    read = client.get(f"/v1/assessment-requests/{created['id']}", headers=officer).json()
    assert read["comments_waived"] is True
    assert read["clock"]["comment_window_ends"] == "2025-04-21"
    assert read["clock"]["may_finalise_from"] == "2025-04-07"
    assert drafted.json()["may_finalise_from"] == read["clock"]["may_finalise_from"]


def test_a_revised_draft_opens_a_new_window_on_the_plan_and_the_request_alike(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["draft_issued"])
    plan = plan_of(client, officer, created["id"])
    etag = client.get(f"/v1/plans/{plan['id']}", headers=officer).headers["ETag"]
    revised = client.post(
        f"/v1/plans/{plan['id']}/versions",
        json=plan_version_body("draft", "2025-04-14"),
        headers=officer | {"If-Match": etag},
    )
    assert revised.status_code == 201, revised.text
    read = client.get(f"/v1/assessment-requests/{created['id']}", headers=officer).json()
    plan_read = client.get(f"/v1/plans/{plan['id']}", headers=officer).json()
    assert read["transitions"][-1]["occurred_on"] == "2025-04-07"  # entered with the first
    assert read["clock"]["may_finalise_from"] == plan_read["may_finalise_from"] == "2025-04-29"


def test_the_request_waiver_route_names_the_plan_route(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    read = walk(client, officer, created["id"], PATHS["draft_issued"])
    response = client.post(
        f"/v1/assessment-requests/{created['id']}/comment-waiver", headers=officer
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["use"] == "POST /v1/plans/{plan_id}/versions"
    after = client.get(f"/v1/assessment-requests/{created['id']}", headers=officer).json()
    assert after["etag"] == read["etag"]
    assert after["comments_waived"] is False


def test_withdrawal_stops_the_clock(client: TestClient, officer: dict[str, str]) -> None:
    created = new_request(client, officer)
    read = walk(client, officer, created["id"], PATHS["withdrawn"])
    assert read["clock"]["withdrawn_on"] == "2025-01-20"
    assert read["clock"]["milestones"] == []
