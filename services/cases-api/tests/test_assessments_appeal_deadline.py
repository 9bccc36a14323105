"""What an officer sees of the time to appeal a refusal: counted from the decision notice sent,
moved off non-working days and out of August and Christmas, with its legal basis."""

from typing import Any

from assessments_helpers import PATHS, new_request, walk
from fastapi.testclient import TestClient


def _path(request_id: str) -> str:
    return f"/v1/assessment-requests/{request_id}"


def _refused(client: TestClient, officer: dict[str, str], **transition: Any) -> Any:
    created = new_request(client, officer)
    body = {"to_state": "refused_to_assess", "occurred_on": "2025-02-10"} | transition
    return created, client.post(f"{_path(created['id'])}/transitions", json=body, headers=officer)


def test_until_the_notice_is_recorded_the_deadline_counts_from_the_decision_provisionally(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    refused = walk(client, officer, created["id"], PATHS["refused_to_assess"])
    assert refused["decision_notice_sent_on"] is None
    assert refused["appeal_deadline"] == "2025-04-10"
    assert refused["appeal"] == {
        "last_day": "2025-04-10",
        "raw_last_day": "2025-04-10",
        "counted_from": "2025-02-10",
        "provisional": True,
        "rolled_by": "none",
        "legal_basis": "HESC Rules 2008 r20(1) (2 months after the decision notice)",
    }


def test_the_notice_sent_later_moves_the_deadline_past_easter(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["refused_to_assess"])
    # Sent on 21 February 2025: two months later is Easter Monday, a bank holiday.
    response = client.post(
        f"{_path(created['id'])}/decision-notice", json={"sent_on": "2025-02-21"}, headers=officer
    )
    assert response.status_code == 200, response.text
    read = response.json()
    assert read["decision_notice_sent_on"] == "2025-02-21"
    assert read["appeal_deadline"] == "2025-04-22"
    assert read["appeal"]["counted_from"] == "2025-02-21"
    assert read["appeal"]["provisional"] is False
    assert read["appeal"]["raw_last_day"] == "2025-04-21"
    assert read["appeal"]["legal_basis"] == (
        "HESC Rules 2008 r20(1) (2 months after the decision notice); r12(2)"
    )
    again = client.post(
        f"{_path(created['id'])}/decision-notice", json={"sent_on": "2025-02-22"}, headers=officer
    )
    assert again.status_code == 409
    assert "2025-02-21" in again.json()["detail"]


def test_a_notice_sent_with_the_decision_in_june_is_met_in_september(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer, received_on="2025-05-01")
    response = client.post(
        f"{_path(created['id'])}/transitions",
        json={
            "to_state": "refused_to_assess",
            "occurred_on": "2025-06-02",
            "notice_sent_on": "2025-06-03",
        },
        headers=officer,
    )
    assert response.status_code == 200, response.text
    appeal = response.json()["appeal"]
    assert appeal["raw_last_day"] == "2025-08-03"
    assert appeal["last_day"] == "2025-09-01"  # r12(3)(a): the first working day after 31 August
    assert appeal["rolled_by"] == "august"
    assert appeal["legal_basis"].endswith("; r12(3)(a)")


def test_a_notice_before_the_decision_or_on_a_decision_without_appeal_is_refused(
    client: TestClient, officer: dict[str, str]
) -> None:
    created, early = _refused(client, officer, notice_sent_on="2025-02-09")
    assert early.status_code == 422
    after = client.get(_path(created["id"]), headers=officer).json()
    assert after["state"] == "received"
    assert after["decision_notice_sent_on"] is None
    created, assessed = _refused(
        client, officer, to_state="decided_to_assess", notice_sent_on="2025-02-10"
    )
    assert assessed.status_code == 422
    assert "notice_sent_on" in assessed.text
    walk(client, officer, created["id"], PATHS["decided_to_assess"])
    not_appealable = client.post(
        f"{_path(created['id'])}/decision-notice", json={"sent_on": "2025-02-11"}, headers=officer
    )
    assert not_appealable.status_code == 409
    refused = new_request(client, officer)
    walk(client, officer, refused["id"], PATHS["refused_to_assess"])
    before = client.post(
        f"{_path(refused['id'])}/decision-notice", json={"sent_on": "2025-02-09"}, headers=officer
    )
    assert before.status_code == 422
    assert "before the decision" in before.json()["detail"]
    assert client.get(_path(refused["id"]), headers=officer).json()["appeal"]["provisional"]


def test_milestones_and_the_clock_carry_their_legal_basis(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    read = walk(client, officer, created["id"], PATHS["draft_issued"])
    bases = {m["kind"]: m["legal_basis"] for m in read["clock"]["milestones"]}
    assert bases["decision_to_assess"] == "SEND Regulations 2014 reg 5(1)"
    assert bases["final_plan"] == "SEND Regulations 2014 reg 13(2)"
    assert read["clock"]["legal_bases"]["final_plan_due"] == "SEND Regulations 2014 reg 13(2)"
    assert read["clock"]["legal_bases"]["comment_window_ends"] == (
        "SEND Regulations 2014 reg 13(1)(a)"
    )


def test_a_wrong_notice_date_is_corrected_with_its_reason_and_moves_the_deadline(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["refused_to_assess"])

    def correct(new_value: str) -> Any:
        etag = client.get(_path(created["id"]), headers=officer).headers["ETag"]
        return client.post(
            f"{_path(created['id'])}/corrections",
            json={
                "field": "decision_notice_sent_on",
                "new_value": new_value,
                "reason": "The letter went a week later.",
            },
            headers=officer | {"If-Match": etag},
        )

    nothing = correct("2025-02-17")
    assert nothing.status_code == 422
    assert "decision-notice" in nothing.json()["detail"]
    recorded = client.post(
        f"{_path(created['id'])}/decision-notice", json={"sent_on": "2025-02-10"}, headers=officer
    )
    assert recorded.json()["appeal_deadline"] == "2025-04-10"
    assert correct("2025-02-09").status_code == 422  # before the decision
    corrected = correct("2025-02-17")
    assert corrected.status_code == 201, corrected.text
    assert (corrected.json()["old_value"], corrected.json()["new_value"]) == (
        "2025-02-10",
        "2025-02-17",
    )
    read = client.get(_path(created["id"]), headers=officer).json()
    assert read["decision_notice_sent_on"] == "2025-02-17"
    assert read["appeal_deadline"] == "2025-04-17"
