"""The officers' view of annual reviews overdue: exact rows, order, filters, pages and count."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from plans_helpers import final_plan, make_child
from sqlalchemy.orm import Session

Auth = Callable[..., dict[str, str]]


@pytest.fixture
def caseload(
    client: TestClient, officer: dict[str, str], auth: Auth, session: Session
) -> dict[str, str]:
    """Plans with known review due dates; returns plan ids by label."""

    def plan(label: str, final_on: str, la_code: str = "855") -> dict[str, Any]:
        child = make_child(session, la_code=la_code)
        writer = auth("officer", la_code=la_code)
        return final_plan(client, writer, child, draft_on="2024-11-01", final_on=final_on)

    plans = {
        "jan": plan("jan", "2025-01-10"),  # review due 2026-01-09
        "may": plan("may", "2025-06-01"),  # due 2026-05-31
        "nov": plan("nov", "2025-12-01"),  # due 2026-11-30
        "reviewed": plan("reviewed", "2025-01-10"),
        "ceased": plan("ceased", "2025-01-10"),
        "elsewhere": plan("elsewhere", "2025-02-01", la_code="856"),  # due 2026-01-31
    }
    reviewed = client.post(
        f"/v1/plans/{plans['reviewed']['id']}/reviews",
        json={"meeting_on": "2025-12-20"},
        headers=officer,
    )
    assert reviewed.status_code == 201
    ceasing = client.post(
        f"/v1/plans/{plans['ceased']['id']}/reviews",
        json={"meeting_on": "2025-03-01"},
        headers=officer,
    ).json()
    ceased = client.patch(
        f"/v1/annual-reviews/{ceasing['id']}",
        json={"decision_notified_on": "2025-03-10", "outcome": "cease", "cease_reason": 2},
        headers=officer | {"If-Match": ceasing["etag"]},
    )
    assert ceased.status_code == 200
    return {label: p["id"] for label, p in plans.items()}


def _overdue(
    client: TestClient, headers: dict[str, str], **params: Any
) -> list[tuple[str, str, int]]:
    response = client.get("/v1/annual-reviews/overdue", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [(r["plan_id"], r["review_due"], r["days_overdue"]) for r in response.json()["items"]]


def _count(client: TestClient, headers: dict[str, str], **params: Any) -> int:
    response = client.get("/v1/annual-reviews/overdue/count", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


def test_overdue_reviews_longest_overdue_first(
    client: TestClient, officer: dict[str, str], auth: Auth, caseload: dict[str, str]
) -> None:
    as_of = date(2026, 6, 15)
    params = {"as_of": as_of.isoformat(), "la_code": "855"}
    assert _overdue(client, officer, **params) == [
        (caseload["jan"], "2026-01-09", (as_of - date(2026, 1, 9)).days),
        (caseload["may"], "2026-05-31", 15),
    ]
    assert _count(client, officer, **params) == 2
    # An officer sees only their own LA, whatever the filter; an admin sees no child's records.
    assert _overdue(client, officer, as_of="2026-06-15", la_code="856") == []
    assert _count(client, officer, as_of="2026-06-15") == 2
    elsewhere = _overdue(client, auth("officer", la_code="856"), as_of="2026-06-15")
    assert [row[0] for row in elsewhere] == [caseload["elsewhere"]]
    refused = client.get(
        "/v1/annual-reviews/overdue", params={"as_of": "2026-06-15"}, headers=auth("admin")
    )
    assert refused.status_code == 403


def test_the_due_day_itself_is_not_overdue(
    client: TestClient, officer: dict[str, str], caseload: dict[str, str]
) -> None:
    on_the_day = _overdue(client, officer, as_of="2026-11-30", la_code="855")
    assert caseload["nov"] not in [row[0] for row in on_the_day]
    next_day = _overdue(client, officer, as_of="2026-12-01", la_code="855")
    assert [row[0] for row in next_day] == [caseload["jan"], caseload["may"], caseload["nov"]]
    assert next_day[-1] == (caseload["nov"], "2026-11-30", 1)


def test_min_days_overdue_filter_and_pages(
    client: TestClient, officer: dict[str, str], auth: Auth, caseload: dict[str, str]
) -> None:
    params = {"as_of": "2026-06-15", "la_code": "855", "min_days_overdue": 16}
    assert [row[0] for row in _overdue(client, officer, **params)] == [caseload["jan"]]
    assert _count(client, officer, **params) == 1
    first = client.get(
        "/v1/annual-reviews/overdue", params={"as_of": "2026-06-15", "limit": 1}, headers=officer
    )
    link = first.headers["Link"]
    second = client.get(link[1 : link.index(">")], headers=officer).json()
    ids = [r["plan_id"] for r in first.json()["items"] + second["items"]]
    assert ids == [caseload["jan"], caseload["may"]]
    assert second["next_cursor"] is None


def test_bad_view_parameters_are_refused(client: TestClient, officer: dict[str, str]) -> None:
    url = "/v1/annual-reviews/overdue"
    assert client.get(url, params={"min_days_overdue": 0}, headers=officer).status_code == 422
    assert client.get(url, params={"la_code": "85"}, headers=officer).status_code == 422
    assert client.get(url, params={"as_of": "tomorrow"}, headers=officer).status_code == 422
    assert client.get(url + "/count", params={"sort": "x"}, headers=officer).status_code == 422
