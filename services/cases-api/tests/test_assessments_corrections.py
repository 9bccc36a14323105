"""Correcting a request's wrongly recorded dates: If-Match, lawful timelines only, officers of
the request's LA only; the clock, the officer views and the plan then count from the corrected
date, and the correction is kept (append-only) and audited."""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from assessments_helpers import (
    PATHS,
    add_advice,
    milestone,
    move,
    new_request,
    plan_of,
    walk,
)
from fastapi.testclient import TestClient
from privacy_helpers import audit_rows
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from cases_api.assessments.models import RequestCorrection
from cases_api.statutory import review_due

Auth = Callable[..., dict[str, str]]
REASON = "Typed the wrong day from the letter"


def _path(request_id: str) -> str:
    return f"/v1/assessment-requests/{request_id}/corrections"


def _read(client: TestClient, headers: dict[str, str], request_id: str, **params: Any) -> Any:
    response = client.get(f"/v1/assessment-requests/{request_id}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _correct(
    client: TestClient,
    headers: dict[str, str],
    request_id: str,
    field: str,
    new_value: str,
    *,
    etag: str | None = "current",
    reason: str = REASON,
) -> Any:
    if etag == "current":
        etag = _read(client, headers, request_id)["etag"]
    extra = {} if etag is None else {"If-Match": etag}
    body = {"field": field, "new_value": new_value, "reason": reason}
    return client.post(_path(request_id), json=body, headers=headers | extra)


def test_a_corrected_receipt_date_moves_the_clock_and_is_kept(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    request_id = created["id"]
    assert created["clock"]["final_plan_due"] == "2025-05-26"

    response = _correct(client, officer, request_id, "received_on", "2025-01-13")
    assert response.status_code == 201, response.text
    correction = response.json()
    assert correction["field"] == "received_on"
    assert (correction["old_value"], correction["new_value"]) == ("2025-01-06", "2025-01-13")
    assert (correction["reason"], correction["corrected_by"]) == (REASON, "test-officer")
    assert response.headers["Location"] == f"{_path(request_id)}/{correction['id']}"

    read = _read(client, officer, request_id)
    assert response.headers["ETag"] == read["etag"] != created["etag"]
    assert read["received_on"] == "2025-01-13"
    assert read["clock"]["final_plan_due"] == "2025-06-02"
    assert milestone(read, "decision_to_assess")["due"] == "2025-02-24"
    assert read["corrections"] == [correction]
    listed = client.get(_path(request_id), headers=officer)
    assert listed.status_code == 200
    assert listed.json() == {"items": [correction], "next_cursor": None}
    one = client.get(f"{_path(request_id)}/{correction['id']}", headers=officer)
    assert one.json() == correction
    assert client.get(f"{_path(request_id)}/{uuid.uuid4()}", headers=officer).status_code == 404

    (event,) = audit_rows(session, operation_id="correctAssessmentRequestDate")
    assert (event.action, event.resource_type, event.resource_id) == (
        "write",
        "corrections",
        correction["id"],
    )
    assert (str(event.child_id), event.subject, event.outcome) == (
        created["child_id"],
        "test-officer",
        201,
    )


def test_if_match_is_required_and_must_be_current(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    missing = _correct(client, officer, created["id"], "received_on", "2025-01-13", etag=None)
    assert missing.status_code == 428
    walk(client, officer, created["id"], PATHS["decided_to_assess"])
    stale = _correct(
        client, officer, created["id"], "received_on", "2025-01-13", etag=created["etag"]
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert _read(client, officer, created["id"])["received_on"] == "2025-01-06"
    assert _read(client, officer, created["id"])["corrections"] == []
    failed = audit_rows(session, operation_id="correctAssessmentRequestDate")
    assert sorted(event.outcome for event in failed) == [412, 428]


@pytest.mark.parametrize(
    ("path", "field", "new_value", "says"),
    [
        ("decided_to_assess", "received_on", "2025-02-11", "would be before received_on"),
        ("received", "received_on", "2014-03-13", "before the child was born"),
        ("received", "received_on", "2099-01-01", "in the future"),
        ("received", "received_on", "2025-01-06", "nothing to correct"),
        ("received", "decided_to_assess_on", "2025-02-10", "never became decided_to_assess"),
        ("advice_requested", "decided_to_assess_on", "2025-02-13", "before decided_to_assess_on"),
        ("decided_to_issue", "advice_requested_on", "2025-04-02", "would be before"),
        ("final_issued", "draft_issued_on", "2025-04-20", "comment window"),
        ("final_issued", "final_issued_on", "2025-04-15", "reg 13(1)"),
        ("final_issued", "final_issued_on", "2025-04-06", "would be before draft_issued_on"),
        ("received", "advice.health.requested_on", "2025-02-10", "No health advice"),
    ],
)
def test_a_correction_that_breaks_the_timeline_is_refused_naming_the_rule(
    client: TestClient,
    officer: dict[str, str],
    path: str,
    field: str,
    new_value: str,
    says: str,
) -> None:
    created = new_request(client, officer)
    before = walk(client, officer, created["id"], PATHS[path])
    response = _correct(client, officer, created["id"], field, new_value)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert says in response.text
    after = _read(client, officer, created["id"])
    assert (after["etag"], after["corrections"]) == (before["etag"], [])


def test_the_reason_is_required_and_bounded(client: TestClient, officer: dict[str, str]) -> None:
    created = new_request(client, officer)
    for reason in ("", "no", "x" * 2001):
        response = _correct(
            client, officer, created["id"], "received_on", "2025-01-07", reason=reason
        )
        assert response.status_code == 422


def test_an_advice_date_can_be_corrected(client: TestClient, officer: dict[str, str]) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["advice_requested"])
    added = add_advice(
        client,
        officer,
        created["id"],
        advice="health",
        requested_on="2025-02-12",
        received_on="2025-03-01",
    )
    assert added.status_code == 201, added.text
    response = _correct(client, officer, created["id"], "advice.health.received_on", "2025-04-10")
    assert response.status_code == 201, response.text
    read = _read(client, officer, created["id"])
    assert read["advice_requests"][0]["received_on"] == "2025-04-10"
    advice = milestone(read, "advice", "health")
    assert (advice["status"], advice["days_late"]) == ("late", 15)
    early = _correct(client, officer, created["id"], "advice.health.received_on", "2025-02-01")
    assert early.status_code == 422
    assert "before it was requested" in early.json()["detail"]


def test_a_corrected_final_date_moves_the_plan_the_clock_and_the_compliance_view(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    read = walk(client, officer, created["id"], PATHS["final_issued"])
    assert read["clock"]["within_20_weeks"] is True
    period = {"period_from": "2025-01-01", "period_to": "2025-12-31"}
    compliance = client.get("/v1/assessment-requests/compliance", params=period, headers=officer)
    assert compliance.json()["all_plans"] == {"issued": 1, "within_20_weeks": 1, "rate": 1.0}

    response = _correct(client, officer, created["id"], "final_issued_on", "2025-06-10")
    assert response.status_code == 201, response.text
    read = _read(client, officer, created["id"])
    assert read["transitions"][-1]["occurred_on"] == "2025-06-10"
    assert read["clock"]["within_20_weeks"] is False
    assert milestone(read, "final_plan")["status"] == "late"
    compliance = client.get("/v1/assessment-requests/compliance", params=period, headers=officer)
    assert compliance.json()["all_plans"] == {"issued": 1, "within_20_weeks": 0, "rate": 0.0}
    plans = client.get(
        "/v1/assessment-requests/compliance/plans", params=period, headers=officer
    ).json()["items"]
    assert [p["final_issued_on"] for p in plans] == ["2025-06-10"]

    plan = plan_of(client, officer, created["id"])
    assert (plan["made_on"], plan["latest_version"]["issued_on"]) == ("2025-06-10", "2025-06-10")
    assert plan["next_review_due"] == review_due(plan_made_on=date(2025, 6, 10)).isoformat()


def test_a_corrected_draft_date_moves_the_plans_draft_and_comment_window(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    walk(client, officer, created["id"], PATHS["draft_issued"])
    before = plan_of(client, officer, created["id"])
    response = _correct(client, officer, created["id"], "draft_issued_on", "2025-04-03")
    assert response.status_code == 201, response.text
    read = _read(client, officer, created["id"])
    assert read["clock"]["comment_window_ends"] == "2025-04-17"
    plan = plan_of(client, officer, created["id"])
    assert plan["latest_version"]["issued_on"] == "2025-04-03"
    assert plan["may_finalise_from"] == read["clock"]["may_finalise_from"] == "2025-04-18"
    assert plan["etag"] != before["etag"]


def test_a_corrected_receipt_date_moves_a_case_out_of_the_overdue_view(
    client: TestClient, officer: dict[str, str]
) -> None:
    created = new_request(client, officer, received_on="2025-05-01")
    view = {"as_of": "2025-06-30"}

    def ids(path: str, **params: str) -> list[str]:
        response = client.get(path, params=view | params, headers=officer)
        assert response.status_code == 200, response.text
        return [item["request_id"] for item in response.json()["items"]]

    assert ids("/v1/assessment-requests/overdue") == [created["id"]]
    response = _correct(client, officer, created["id"], "received_on", "2025-06-02")
    assert response.status_code == 201, response.text
    assert ids("/v1/assessment-requests/overdue") == []
    assert ids("/v1/assessment-requests/due-soon", within_days="14") == [created["id"]]


@pytest.mark.parametrize(
    ("caller", "claims", "status"),
    [
        ("parent", {"guardian_external_id": "guardian-x"}, 403),
        ("school", {"school_urns": [120001]}, 403),
        ("admin", {}, 403),
        ("service", {}, 403),
        ("officer", {"la_code": "857"}, 404),
    ],
)
def test_only_officers_of_the_requests_la_correct_it(
    client: TestClient,
    auth: Auth,
    officer: dict[str, str],
    caller: str,
    claims: dict[str, Any],
    status: int,
) -> None:
    created = new_request(client, officer, submitted_by_urn=120001)
    walk(client, officer, created["id"], PATHS["decided_to_assess"])
    etag = _read(client, officer, created["id"])["etag"]
    headers = auth(caller, **claims)
    response = _correct(client, headers, created["id"], "received_on", "2025-01-13", etag=etag)
    assert response.status_code == status, response.text
    other_write = move(client, headers, created["id"], "advice_requested", "2025-02-12")
    assert other_write.status_code == status  # as every other write on a request
    assert _read(client, officer, created["id"])["corrections"] == []


def test_the_database_refuses_to_change_a_correction(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    created = new_request(client, officer)
    response = _correct(client, officer, created["id"], "received_on", "2025-01-13")
    assert response.status_code == 201
    table = RequestCorrection.__table__
    with pytest.raises(DatabaseError, match="append-only"), session.begin_nested():
        session.execute(sa.update(table).values(reason="something else"))
