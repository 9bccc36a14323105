"""Annual reviews over HTTP: meeting, decision within 4 weeks, amended plan within 8 weeks of the
notice, ceasing with a SEN2 reason, and each milestone's status."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from plans_helpers import add_version, create_plan, final_plan, make_child
from sqlalchemy.orm import Session

Auth = Callable[..., dict[str, str]]


def _record(
    client: TestClient, headers: dict[str, str], plan: dict[str, Any], meeting_on: str
) -> Any:
    return client.post(
        f"/v1/plans/{plan['id']}/reviews", json={"meeting_on": meeting_on}, headers=headers
    )


def _decide(
    client: TestClient, headers: dict[str, str], review: dict[str, Any], **body: Any
) -> Any:
    return client.patch(
        f"/v1/annual-reviews/{review['id']}",
        json=body,
        headers=headers | {"If-Match": review["etag"]},
    )


def _milestones(review: dict[str, Any]) -> list[tuple[str, str, str | None, str]]:
    return [(m["kind"], m["due"], m["done"], m["status"]) for m in review["milestones"]]


def test_a_meeting_closes_the_cycle_and_starts_the_next(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    assert plan["next_review_due"] == "2027-04-19"
    response = _record(client, officer, plan, "2026-10-01")
    assert response.status_code == 201, response.text
    review = response.json()
    assert response.headers["Location"] == f"/v1/annual-reviews/{review['id']}"
    assert review["due_on"] == "2027-04-19"
    assert review["decision_due_on"] == "2026-10-29"

    read = client.get(
        f"/v1/annual-reviews/{review['id']}", params={"as_of": "2026-10-20"}, headers=officer
    ).json()
    assert _milestones(read) == [
        ("annual_review", "2027-04-19", "2026-10-01", "met"),
        ("review_decision", "2026-10-29", None, "due_soon"),
    ]
    assert read["milestones"][1]["days_remaining"] == 9
    late = client.get(
        f"/v1/annual-reviews/{review['id']}", params={"as_of": "2026-11-02"}, headers=officer
    ).json()
    assert late["milestones"][1]["status"] == "overdue"
    assert late["milestones"][1]["days_late"] == 4

    again = client.get(f"/v1/plans/{plan['id']}", headers=officer).json()
    assert again["last_review_meeting_on"] == "2026-10-01"
    assert again["next_review_due"] == "2027-09-30"


def test_amend_then_notice_then_amended_plan(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    review = _record(client, officer, plan, "2026-10-01").json()
    decided = _decide(client, officer, review, decision_notified_on="2026-10-20", outcome="amend")
    assert decided.status_code == 200, decided.text
    assert decided.headers["ETag"] == '"v2"'
    assert add_version(client, officer, plan, "amendment_notice", "2026-10-25").status_code == 201

    pending = client.get(
        f"/v1/annual-reviews/{review['id']}", params={"as_of": "2026-11-01"}, headers=officer
    ).json()
    assert pending["amendment_notice_on"] == "2026-10-25"
    assert pending["amended_plan_due_on"] == "2026-12-20"
    # reg 20(10) with reg 22(2): the decision to amend is made by the amendment notice.
    assert _milestones(pending)[1:] == [
        ("review_decision", "2026-10-29", "2026-10-25", "met"),
        ("amended_plan", "2026-12-20", None, "pending"),
    ]

    assert add_version(client, officer, plan, "reissue", "2026-11-10").status_code == 201
    done = client.get(f"/v1/plans/{plan['id']}/reviews", headers=officer).json()["items"]
    assert [r["id"] for r in done] == [review["id"]]
    assert done[0]["amended_plan_issued_on"] == "2026-11-10"
    assert _milestones(done[0])[2] == ("amended_plan", "2026-12-20", "2026-11-10", "met")


def test_ceasing_ends_the_plan(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    review = _record(client, officer, plan, "2026-09-01").json()
    response = _decide(
        client,
        officer,
        review,
        decision_notified_on="2026-09-10",
        outcome="cease",
        cease_reason=5,
    )
    assert response.status_code == 200, response.text
    assert response.json()["cease_reason"] == 5
    ceased = client.get(f"/v1/plans/{plan['id']}", headers=officer).json()
    assert (ceased["status"], ceased["ceased_on"], ceased["cease_reason"]) == (
        "ceased",
        "2026-09-10",
        5,
    )
    assert _record(client, officer, plan, "2026-10-01").status_code == 409
    assert add_version(client, officer, plan, "amendment_notice", "2026-10-01").status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"decision_notified_on": "2026-09-10", "outcome": "cease"},
        {"decision_notified_on": "2026-09-10", "outcome": "maintain", "cease_reason": 2},
        {"decision_notified_on": "2026-09-10", "outcome": "cease", "cease_reason": 10},
        {"decision_notified_on": "2026-09-10", "outcome": "cease", "cease_reason": "2"},
        {"decision_notified_on": "2026-09-10", "outcome": "suspend"},
        {"decision_notified_on": "2026-08-31", "outcome": "maintain"},  # before the meeting
        {"decision_notified_on": "2099-01-01", "outcome": "maintain"},  # not yet happened
    ],
)
def test_decisions_are_validated(
    client: TestClient, officer: dict[str, str], session: Session, body: dict[str, Any]
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    review = _record(client, officer, plan, "2026-09-01").json()
    assert _decide(client, officer, review, **body).status_code == 422


def test_a_decision_is_recorded_once_with_if_match(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    review = _record(client, officer, plan, "2026-09-01").json()
    url = f"/v1/annual-reviews/{review['id']}"
    body = {"decision_notified_on": "2026-09-10", "outcome": "maintain"}
    assert client.patch(url, json=body, headers=officer).status_code == 428
    assert _decide(client, officer, review, **body).status_code == 200
    assert _decide(client, officer, review, **body).status_code == 412
    fresh = client.get(url, headers=officer).json()
    assert _decide(client, officer, fresh, **body).status_code == 409


@pytest.mark.parametrize("meeting_on", ["2026-04-19", "2099-01-01"])
def test_meetings_fall_between_the_plan_and_today(
    client: TestClient, officer: dict[str, str], session: Session, meeting_on: str
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    assert _record(client, officer, plan, meeting_on).status_code == 422


def test_a_draft_is_not_reviewed(
    client: TestClient, officer: dict[str, str], auth: Auth, session: Session
) -> None:
    plan = create_plan(client, officer, make_child(session))
    assert _record(client, officer, plan, "2026-05-01").status_code == 409
    final = final_plan(client, officer, make_child(session))
    assert _record(client, auth("parent"), final, "2026-05-01").status_code == 403
    # Another LA's plan is not visible at all: 404, no hint that it exists.
    assert _record(client, auth("officer", la_code="856"), final, "2026-05-01").status_code == 404
