"""What an officer sees of exceptions and advice (reg 5(4), 8, 10(4), 13(3)): an exception counts
only within the period; the closure ground needs the head teacher asked in its window; the
adviser's six weeks run from their receipt of the request and a missed appointment excuses them."""

from typing import Any

from assessments_helpers import PATHS, add_advice, add_exception, milestone, new_request, walk
from fastapi.testclient import TestClient


def _read(client: TestClient, officer: dict[str, str], request_id: str, as_of: str) -> Any:
    return client.get(
        f"/v1/assessment-requests/{request_id}", params={"as_of": as_of}, headers=officer
    ).json()


def test_an_absence_mostly_before_the_request_excuses_nothing(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)  # received Monday 6 January 2025
    response = add_exception(
        client,
        officer,
        created["id"],
        ground="absent_from_area",
        starts_on="2024-12-10",
        ends_on="2025-01-20",  # six weeks away, two of them after the request
    )
    assert response.status_code == 201, response.text
    clock = _read(client, officer, created["id"], "2025-02-20")["clock"]
    assert (clock["exception_days"], clock["exception_applies"]) == (0, False)
    assert clock["final_plan_adjusted_due"] == clock["final_plan_due"] == "2025-05-26"
    assert all(m["exception_applies"] is False for m in clock["milestones"])


def test_a_closure_with_the_head_asked_in_its_window_excuses_the_twenty_weeks(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    response = add_exception(
        client,
        officer,
        created["id"],
        ground="setting_closed",
        starts_on="2025-03-03",
        ends_on="2025-04-06",  # re-opens Monday 7 April
        advice_requested_on="2025-02-24",  # the first day of the window
        note="School closed after a fire",
    )
    assert response.status_code == 201, response.text
    read = _read(client, officer, created["id"], "2025-03-10")
    assert read["exceptions"][0]["advice_requested_on"] == "2025-02-24"
    final = milestone(read, "final_plan")
    assert final["exception_applies"] is True
    assert final["adjusted_due"] == "2025-06-30"  # 26 May + the 35 days of closure
    assert read["clock"]["legal_bases"]["final_plan_adjusted_due"] == (
        "SEND Regulations 2014 reg 13(2), extended by exceptions (reg 13(3))"
    )


def test_the_advisers_six_weeks_run_from_their_receipt_and_a_missed_appointment_excuses_them(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["advice_requested"])
    response = add_advice(
        client, officer, created["id"], advice="health", requested_on="2025-02-12"
    )
    assert response.status_code == 201, response.text
    advice_id = response.json()["advice_requests"][0]["id"]
    provisional = milestone(response.json(), "advice", "health")
    assert provisional["due"] == "2025-03-26"  # from the request, the earliest receipt
    assert provisional["legal_basis"] == "SEND Regulations 2014 reg 8(1)"
    path = f"/v1/assessment-requests/{created['id']}/advice/{advice_id}/adviser-dates"
    received = client.post(path, json={"request_received_on": "2025-02-17"}, headers=officer)
    assert received.status_code == 200, received.text
    assert received.json()["advice_requests"][0]["request_received_on"] == "2025-02-17"
    advice = milestone(_read(client, officer, created["id"], "2025-04-01"), "advice", "health")
    assert (advice["due"], advice["status"], advice["exception_applies"]) == (
        "2025-03-31",
        "overdue",
        False,
    )
    missed = client.post(path, json={"appointment_missed_on": "2025-03-10"}, headers=officer)
    assert missed.status_code == 200, missed.text
    advice = milestone(_read(client, officer, created["id"], "2025-04-01"), "advice", "health")
    assert (advice["status"], advice["exception_applies"]) == ("overdue", True)
    again = client.post(path, json={"request_received_on": "2025-02-18"}, headers=officer)
    assert again.status_code == 409
    assert "2025-02-17" in again.json()["detail"]


def test_adviser_dates_out_of_order_are_refused_and_change_nothing(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["advice_requested"])
    early = add_advice(
        client,
        officer,
        created["id"],
        advice="education",
        requested_on="2025-02-12",
        request_received_on="2025-02-11",
    )
    assert early.status_code == 422
    assert "before the LA made it" in early.json()["detail"]
    made = add_advice(client, officer, created["id"], advice="education", requested_on="2025-02-12")
    advice_id = made.json()["advice_requests"][0]["id"]
    path = f"/v1/assessment-requests/{created['id']}/advice/{advice_id}/adviser-dates"
    assert client.post(path, json={}, headers=officer).status_code == 422
    before = client.post(path, json={"appointment_missed_on": "2025-02-01"}, headers=officer)
    assert before.status_code == 422
    read = _read(client, officer, created["id"], "2025-03-01")
    assert read["advice_requests"][0]["appointment_missed_on"] is None


def test_advice_cannot_arrive_before_the_adviser_received_the_request(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["advice_requested"])
    made = add_advice(
        client,
        officer,
        created["id"],
        advice="social_care",
        requested_on="2025-02-12",
        request_received_on="2025-02-20",
    )
    assert made.status_code == 201, made.text
    advice_id = made.json()["advice_requests"][0]["id"]
    response = client.post(
        f"/v1/assessment-requests/{created['id']}/advice/{advice_id}/receipt",
        json={"received_on": "2025-02-15"},
        headers=officer,
    )
    assert response.status_code == 422
    assert "before the adviser received the request" in response.json()["detail"]
    read = _read(client, officer, created["id"], "2025-03-01")
    assert read["advice_requests"][0]["received_on"] is None
