"""Retention: who is due for disposal, on the exact birthday, and legal holds."""

from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from plans_helpers import make_child
from privacy_helpers import audit_rows, born_on
from sqlalchemy.orm import Session

from cases_api.privacy.retention import birthday

Auth = Callable[..., dict[str, str]]


def _due(
    client: TestClient, headers: dict[str, str], as_of: str, **params: str
) -> list[dict[str, object]]:
    response = client.get("/v1/retention/due", params={"as_of": as_of, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


@pytest.mark.parametrize(
    ("born", "as_of", "due"),
    [
        ("1995-06-15", "2026-06-14", False),  # the day before the 31st birthday
        ("1995-06-15", "2026-06-15", True),  # the 31st birthday itself
        ("1996-02-29", "2027-02-28", False),  # a leap-day birthday falls on 1 March
        ("1996-02-29", "2027-03-01", True),
    ],
)
def test_ehcp_records_are_due_on_the_31st_birthday(
    client: TestClient, session: Session, officer: dict[str, str], born: str, as_of: str, due: bool
) -> None:
    child = make_child(session)
    client.post(
        "/v1/assessment-requests",
        json={"child_id": str(child.id), "source": "parent", "received_on": "2025-01-06"},
        headers=officer,
    )
    born_on(session, child, date.fromisoformat(born))
    listed = _due(client, officer, as_of)
    assert [item["child_id"] for item in listed] == ([str(child.id)] if due else [])
    if due:
        assert listed[0]["record_class"] == "ehcp_record"
        assert listed[0]["due_on"] == as_of
        assert listed[0]["on_legal_hold"] is False


def test_records_without_a_request_or_plan_are_due_on_the_25th_birthday(
    client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    child = make_child(session)
    born_on(session, child, date(2001, 6, 15))
    assert _due(client, officer, "2026-06-14") == []
    (item,) = _due(client, officer, "2026-06-15")
    assert (item["record_class"], item["due_on"]) == ("send_record", "2026-06-15")


def test_the_report_pages_oldest_first_and_officers_and_admins_see_their_own_la(
    client: TestClient, session: Session, officer: dict[str, str], auth: Auth
) -> None:
    children = [make_child(session) for _ in range(3)]
    for year, child in zip((1980, 1970, 1990), children, strict=True):
        born_on(session, child, date(year, 1, 1))
    foreign = make_child(session, la_code="856")
    born_on(session, foreign, date(1960, 1, 1))
    first = client.get(
        "/v1/retention/due", params={"as_of": "2026-01-01", "limit": 2}, headers=officer
    )
    cursor = first.json()["next_cursor"]
    second = client.get(
        "/v1/retention/due",
        params={"as_of": "2026-01-01", "limit": 2, "cursor": cursor},
        headers=officer,
    )
    listed = [item["child_id"] for item in first.json()["items"] + second.json()["items"]]
    assert listed == [str(children[1].id), str(children[0].id), str(children[2].id)]
    own_admin = [item["child_id"] for item in _due(client, auth("admin"), "2026-01-01")]
    assert str(foreign.id) not in own_admin
    assert own_admin[:3] == listed
    other_admin = _due(client, auth("admin", la_code="856"), "2026-01-01")
    assert [item["child_id"] for item in other_admin] == [str(foreign.id)]
    assert client.get("/v1/retention/due", headers=auth("school")).status_code == 403
    # The disposal report (ids and dates) is ordinary records management: no reason asked.
    assert (
        client.get(
            "/v1/retention/due", headers={"Authorization": officer["Authorization"]}
        ).status_code
        == 200
    )


def test_a_legal_hold_is_placed_with_a_reason_shown_and_lifted(
    client: TestClient, session: Session, officer: dict[str, str], auth: Auth
) -> None:
    child = make_child(session)
    born_on(session, child, date(1970, 1, 1))
    url = f"/v1/children/{child.id}/legal-hold"
    assert client.get(url, headers=officer).status_code == 404
    assert client.post(url, json={}, headers=officer).status_code == 422
    placed = client.post(url, json={"reason": "Tribunal appeal pending"}, headers=officer)
    assert placed.status_code == 201, placed.text
    assert placed.json()["placed_by"] == "test-officer"
    assert client.post(url, json={"reason": "again"}, headers=officer).status_code == 409
    assert client.get(url, headers=officer).json()["reason"] == "Tribunal appeal pending"
    (item,) = _due(client, officer, "2026-01-01")
    assert item["on_legal_hold"] is True
    other_la = auth("officer", la_code="856")
    assert client.post(url, json={"reason": "mine"}, headers=other_la).status_code == 404
    assert (
        client.delete(url, headers={"Authorization": officer["Authorization"]}).status_code == 422
    )
    lifting = officer | {"X-Access-Reason": "appeal closed"}
    assert client.delete(url, headers=lifting).status_code == 428
    assert client.delete(url, headers=lifting | {"If-Match": '"h0.000000"'}).status_code == 412
    etag = client.get(url, headers=officer).headers["ETag"]
    assert etag == placed.headers["ETag"]
    assert client.delete(url, headers=lifting | {"If-Match": f"W/{etag}"}).status_code == 412
    assert client.delete(url, headers=lifting | {"If-Match": etag}).status_code == 204
    assert client.get(url, headers=officer).status_code == 404
    placed_again = client.post(url, json={"reason": "A second appeal"}, headers=officer)
    assert placed_again.headers["ETag"] != etag  # a hold placed again is another hold
    lifted = audit_rows(session, child_id=child.id, operation_id="liftLegalHold", outcome=204)
    assert [event.reason for event in lifted] == ["appeal closed"]


def test_birthdays_of_leap_day_children() -> None:
    assert birthday(date(2000, 2, 29), 31) == date(2031, 3, 1)
    assert birthday(date(2000, 2, 29), 32) == date(2032, 2, 29)
    assert birthday(date(2000, 3, 1), 31) == date(2031, 3, 1)
