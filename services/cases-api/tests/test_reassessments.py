"""Requests to reassess over HTTP (reg 27): the decision within 15 days, the six months after the
last assessment, and the plan 20 weeks after the request once reassessing."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from plans_helpers import add_version, final_plan, make_child
from sqlalchemy.orm import Session

from cases_api.auth.principal import Role

Auth = Callable[..., dict[str, str]]


def test_a_request_within_six_months_may_be_refused_and_is_decided_in_15_days(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(
        client, officer, make_child(session), draft_on="2025-08-01", final_on="2025-08-31"
    )
    response = client.post(
        f"/v1/plans/{plan['id']}/reassessment-requests",
        json={"received_on": "2026-02-27", "last_assessed_on": "2025-08-31"},
        headers=officer,
    )
    assert response.status_code == 201, response.text
    request = response.json()
    assert request["may_refuse_as_too_soon"] is True
    assert request["six_months_elapse_on"] == "2026-02-28"
    (decision,) = request["deadlines"]
    assert (decision["kind"], decision["due"], decision["legal_basis"]) == (
        "reassessment_decision",
        "2026-03-14",
        "SEND Regulations 2014 reg 27",
    )
    assert decision["detail"] == "within 6 months of the last assessment: the LA may refuse"

    decided = client.post(
        f"/v1/reassessment-requests/{request['id']}/decision",
        json={"decision_notified_on": "2026-03-16", "reassessing": True},
        headers=officer | {"If-Match": request["etag"]},
    )
    assert decided.status_code == 200, decided.text
    body = decided.json()
    first = body["deadlines"][0]
    assert (first["kind"], first["due"], first["status"], first["days_late"]) == (
        "reassessment_decision",
        "2026-03-14",
        "late",
        2,
    )
    plan_deadline = body["deadlines"][1]
    assert (plan_deadline["kind"], plan_deadline["due"]) == ("reassessment_plan", "2026-07-17")
    assert plan_deadline["legal_basis"] == "SEND Regulations 2014 reg 13(2) (applied by reg 26)"

    again = client.post(
        f"/v1/reassessment-requests/{request['id']}/decision",
        json={"decision_notified_on": "2026-03-16", "reassessing": False},
        headers=officer | {"If-Match": body["etag"]},
    )
    assert again.status_code == 409


def test_the_reissued_plan_after_the_request_completes_the_reassessment(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session))
    request = client.post(
        f"/v1/plans/{plan['id']}/reassessment-requests",
        json={"received_on": "2026-06-01"},
        headers=officer,
    ).json()
    assert request["may_refuse_as_too_soon"] is False
    client.post(
        f"/v1/reassessment-requests/{request['id']}/decision",
        json={"decision_notified_on": "2026-06-10", "reassessing": True},
        headers=officer | {"If-Match": request["etag"]},
    )
    assert add_version(client, officer, plan, "amendment_notice", "2026-09-01").status_code == 201
    assert add_version(client, officer, plan, "reissue", "2026-10-20").status_code == 201
    read = client.get(f"/v1/reassessment-requests/{request['id']}", headers=officer).json()
    assert read["plan_issued_on"] == "2026-10-20"
    assert [(d["status"], d["days_late"]) for d in read["deadlines"]] == [
        ("met", None),
        ("late", 1),  # 20 weeks from 1 June end on 19 October
    ]


def test_bad_requests_are_refused(
    client: TestClient, officer: dict[str, str], session: Session, auth: Auth
) -> None:
    plan = final_plan(client, officer, make_child(session))
    url = f"/v1/plans/{plan['id']}/reassessment-requests"
    future = client.post(url, json={"received_on": "2099-01-01"}, headers=officer)
    assert future.status_code == 422
    before_plan = client.post(url, json={"received_on": "2026-04-19"}, headers=officer)
    assert before_plan.status_code == 422
    assert "between the plan (2026-04-20) and today" in before_plan.json()["detail"]
    backwards = client.post(
        url, json={"received_on": "2026-06-01", "last_assessed_on": "2026-06-02"}, headers=officer
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["location"] == "body.last_assessed_on"
    other = auth(Role.OFFICER, la_code="856")
    assert client.post(url, json={"received_on": "2026-06-01"}, headers=other).status_code == 404
    request = client.post(url, json={"received_on": "2026-06-01"}, headers=officer).json()
    early = client.post(
        f"/v1/reassessment-requests/{request['id']}/decision",
        json={"decision_notified_on": "2026-05-31", "reassessing": False},
        headers=officer | {"If-Match": request["etag"]},
    )
    assert early.status_code == 422
    assert (
        client.get(f"/v1/reassessment-requests/{request['id']}", headers=other).status_code == 404
    )
