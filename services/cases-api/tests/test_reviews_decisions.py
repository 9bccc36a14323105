"""What an officer sees of a review decision to amend (reg 20(10), reg 22(2)): the 'we will amend'
letter leaves the decision overdue until the amendment notice goes."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from plans_helpers import add_version, final_plan, make_child
from sqlalchemy.orm import Session


def _review(client: TestClient, officer: dict[str, str], review_id: str, as_of: str) -> Any:
    return client.get(
        f"/v1/annual-reviews/{review_id}", params={"as_of": as_of}, headers=officer
    ).json()


def test_an_amend_decision_without_its_notice_is_overdue_after_four_weeks(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    review = client.post(
        f"/v1/plans/{plan['id']}/reviews", json={"meeting_on": "2026-10-01"}, headers=officer
    ).json()
    decided = client.patch(
        f"/v1/annual-reviews/{review['id']}",
        json={"decision_notified_on": "2026-10-08", "outcome": "amend"},
        headers=officer | {"If-Match": review["etag"]},
    )
    assert decided.status_code == 200, decided.text
    (meeting, decision) = _review(client, officer, review["id"], "2026-11-02")["milestones"]
    assert meeting["legal_basis"] == "CFA 2014 s44(1)"
    assert decision == {
        "kind": "review_decision",
        "detail": "amend: met by the amendment notice",
        "due": "2026-10-29",
        "done": None,
        "status": "overdue",
        "days_remaining": None,
        "days_late": 4,
        "legal_basis": "SEND Regulations 2014 reg 20(10), reg 22(2)",
    }
    # The notice goes after the four weeks: the decision was late, by the notice's date.
    assert add_version(client, officer, plan, "amendment_notice", "2026-11-03").status_code == 201
    read = _review(client, officer, review["id"], "2026-11-20")
    decision = read["milestones"][1]
    assert (decision["done"], decision["status"], decision["days_late"]) == (
        "2026-11-03",
        "late",
        5,
    )
    assert read["milestones"][2]["kind"] == "amended_plan"
    assert read["milestones"][2]["legal_basis"] == "SEND Regulations 2014 reg 22(3)"
    assert read["legal_bases"]["decision_due_on"] == "SEND Regulations 2014 reg 20(10), reg 22(2)"


def test_the_decisions_overdue_view_lists_an_amend_without_its_notice(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    def overdue(as_of: str) -> list[str]:
        response = client.get(
            "/v1/annual-reviews/decisions-overdue", params={"as_of": as_of}, headers=officer
        )
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    plans = [final_plan(client, officer, make_child(session), final_on="2026-04-20") for _ in "abc"]
    reviews = [
        client.post(
            f"/v1/plans/{plan['id']}/reviews", json={"meeting_on": "2026-10-01"}, headers=officer
        ).json()
        for plan in plans
    ]
    undecided, amending, maintained = reviews
    for review, outcome in ((amending, "amend"), (maintained, "maintain")):
        response = client.patch(
            f"/v1/annual-reviews/{review['id']}",
            json={"decision_notified_on": "2026-10-20", "outcome": outcome},
            headers=officer | {"If-Match": review["etag"]},
        )
        assert response.status_code == 200, response.text
    assert overdue("2026-10-29") == []  # the last day of the four weeks
    assert sorted(overdue("2026-10-30")) == sorted([undecided["id"], amending["id"]])
    assert (
        add_version(client, officer, plans[1], "amendment_notice", "2026-11-02").status_code == 201
    )
    assert overdue("2026-11-05") == [undecided["id"]]
    count = client.get(
        "/v1/annual-reviews/decisions-overdue/count",
        params={"as_of": "2026-11-05"},
        headers=officer,
    ).json()
    assert count == {"count": 1, "as_of": "2026-11-05"}


def test_the_decisions_overdue_view_keeps_to_the_callers_scope(
    client: TestClient, officer: dict[str, str], session: Session, auth: Callable[..., Any]
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    client.post(
        f"/v1/plans/{plan['id']}/reviews", json={"meeting_on": "2026-10-01"}, headers=officer
    )
    params = {"as_of": "2026-12-01"}
    url = "/v1/annual-reviews/decisions-overdue"
    assert len(client.get(url, params=params, headers=officer).json()["items"]) == 1
    elsewhere = client.get(url, params=params, headers=auth("officer", la_code="856"))
    assert elsewhere.json()["items"] == []
    assert client.get(url, params=params, headers=auth("admin")).status_code == 403
