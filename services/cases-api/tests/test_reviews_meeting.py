"""The review meeting's notice, advice and report over HTTP (reg 20(3), (4), (7); reg 21), each
shown as a deadline with its legal basis, and the amended plan's 8 weeks (reg 22(3))."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from plans_helpers import add_version, final_plan, make_child
from sqlalchemy.orm import Session

from cases_api.auth.principal import Role

Auth = Callable[..., dict[str, str]]


def _deadlines(review: dict[str, Any]) -> list[tuple[str, str, str | None, str, str]]:
    return [
        (d["kind"], d["due"], d["done"], d["status"], d["legal_basis"]) for d in review["deadlines"]
    ]


def _review(client: TestClient, headers: dict[str, str], session: Session, **body: Any) -> Any:
    plan = final_plan(client, headers, make_child(session), final_on="2026-04-20")
    response = client.post(f"/v1/plans/{plan['id']}/reviews", json=body, headers=headers)
    return plan, response


def test_a_meeting_with_its_papers_on_time_shows_each_deadline_met(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    _, response = _review(
        client,
        officer,
        session,
        meeting_on="2026-10-15",
        invitations_sent_on="2026-10-01",
        advice_circulated_on="2026-09-30",
        report_sent_on="2026-10-29",
    )
    assert response.status_code == 201, response.text
    review = response.json()
    assert review["attends_school"] is True
    assert _deadlines(review) == [
        (
            "review_invitations",
            "2026-10-01",
            "2026-10-01",
            "met",
            "SEND Regulations 2014 reg 20(3)",
        ),
        (
            "review_advice_circulated",
            "2026-10-01",
            "2026-09-30",
            "met",
            "SEND Regulations 2014 reg 20(4)",
        ),
        ("review_report", "2026-10-29", "2026-10-29", "met", "SEND Regulations 2014 reg 20(7)"),
    ]


def test_late_notice_and_a_missing_report_then_recorded_late(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    _, response = _review(
        client, officer, session, meeting_on="2026-11-02", invitations_sent_on="2026-10-21"
    )
    review = response.json()
    invitations, advice, _ = review["deadlines"]
    assert (invitations["status"], invitations["days_late"]) == ("late", 2)
    assert advice["status"] == "overdue"  # not recorded, and its day has passed
    read = client.get(
        f"/v1/annual-reviews/{review['id']}", params={"as_of": "2026-11-10"}, headers=officer
    ).json()
    assert (read["deadlines"][2]["status"], read["deadlines"][2]["days_remaining"]) == (
        "due_soon",
        6,
    )
    overdue = client.get(
        f"/v1/annual-reviews/{review['id']}", params={"as_of": "2026-11-17"}, headers=officer
    ).json()
    assert (overdue["deadlines"][2]["status"], overdue["deadlines"][2]["days_late"]) == (
        "overdue",
        1,
    )

    recorded = client.patch(
        f"/v1/annual-reviews/{review['id']}/meeting",
        json={"report_sent_on": "2026-11-20", "advice_circulated_on": "2026-10-19"},
        headers=officer | {"If-Match": review["etag"]},
    )
    assert recorded.status_code == 200, recorded.text
    body = recorded.json()
    assert recorded.headers["ETag"] == body["etag"] != review["etag"]
    assert [(d["status"], d["days_late"]) for d in body["deadlines"]] == [
        ("late", 2),
        ("met", None),
        ("late", 4),
    ]


def test_a_child_out_of_school_cites_reg_21(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    _, response = _review(client, officer, session, meeting_on="2026-10-15", attends_school=False)
    assert [d["legal_basis"] for d in response.json()["deadlines"]] == [
        "SEND Regulations 2014 reg 21(3)",
        "SEND Regulations 2014 reg 21(4)",
        "SEND Regulations 2014 reg 21(7)",
    ]


def test_dates_on_the_wrong_side_of_the_meeting_are_refused_and_change_nothing(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan, response = _review(
        client, officer, session, meeting_on="2026-10-15", invitations_sent_on="2026-10-16"
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["location"] == "body.invitations_sent_on"
    assert "on or before the meeting (2026-10-15)" in problem["errors"][0]["message"]
    assert client.get(f"/v1/plans/{plan['id']}/reviews", headers=officer).json()["items"] == []

    review = client.post(
        f"/v1/plans/{plan['id']}/reviews", json={"meeting_on": "2026-10-15"}, headers=officer
    ).json()
    early_report = client.patch(
        f"/v1/annual-reviews/{review['id']}/meeting",
        json={"report_sent_on": "2026-10-14"},
        headers=officer | {"If-Match": review["etag"]},
    )
    assert early_report.status_code == 422
    assert "between the meeting (2026-10-15) and today" in early_report.text
    empty = client.patch(
        f"/v1/annual-reviews/{review['id']}/meeting",
        json={},
        headers=officer | {"If-Match": review["etag"]},
    )
    assert empty.status_code == 422
    stale = client.patch(
        f"/v1/annual-reviews/{review['id']}/meeting",
        json={"report_sent_on": "2026-10-20"},
        headers=officer | {"If-Match": '"v99"'},
    )
    assert stale.status_code == 412
    unchanged = client.get(f"/v1/annual-reviews/{review['id']}", headers=officer).json()
    assert unchanged["report_sent_on"] is None


def test_only_the_childs_la_records_the_meeting(
    client: TestClient, officer: dict[str, str], session: Session, auth: Auth
) -> None:
    _, response = _review(client, officer, session, meeting_on="2026-10-15")
    review = response.json()
    elsewhere = client.patch(
        f"/v1/annual-reviews/{review['id']}/meeting",
        json={"report_sent_on": "2026-10-20"},
        headers=auth(Role.OFFICER, la_code="856") | {"If-Match": review["etag"]},
    )
    assert elsewhere.status_code == 404
    service = client.patch(
        f"/v1/annual-reviews/{review['id']}/meeting",
        json={"report_sent_on": "2026-10-20"},
        headers=auth(Role.SERVICE) | {"If-Match": review["etag"]},
    )
    assert service.status_code == 403


def test_the_amended_plan_after_a_review_is_due_eight_weeks_after_the_notice(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan, response = _review(client, officer, session, meeting_on="2026-09-01")
    review = response.json()
    client.patch(
        f"/v1/annual-reviews/{review['id']}",
        json={"decision_notified_on": "2026-09-20", "outcome": "amend"},
        headers=officer | {"If-Match": review["etag"]},
    )
    assert add_version(client, officer, plan, "amendment_notice", "2026-09-25").status_code == 201
    read = client.get(
        f"/v1/annual-reviews/{review['id']}", params={"as_of": "2026-11-21"}, headers=officer
    ).json()
    amended = read["deadlines"][-1]
    assert (amended["kind"], amended["due"], amended["status"], amended["days_late"]) == (
        "amended_plan",
        "2026-11-20",
        "overdue",
        1,
    )
    assert amended["legal_basis"] == "SEND Regulations 2014 reg 22(3)"
