"""The officer views with exact rows: overdue by stage, due soon, 20-week compliance; lists and
counts, evaluated on a fixed day (as_of) in LA 857."""

from collections.abc import Callable
from typing import Any

import pytest
from assessments_helpers import PATHS, add_advice, add_exception, new_request, walk
from fastapi.testclient import TestClient

Auth = Callable[..., dict[str, str]]
AS_OF = "2025-06-30"
ISSUE = [
    ("decided_to_assess", "2025-02-10"),
    ("advice_requested", "2025-02-12"),
    ("decided_to_issue", "2025-04-01"),
    ("draft_issued", "2025-04-07"),
]


@pytest.fixture
def la_officer(auth: Auth) -> dict[str, str]:
    return auth("officer", la_code="857", subject="officer-e")


def _request(
    client: TestClient, headers: dict[str, str], name: str, received_on: str, **extra: Any
) -> str:
    created = new_request(
        client,
        headers,
        child={"la_code": "857", "given_name": name, "family_name": "Case"},
        received_on=received_on,
        **extra,
    )
    return str(created["id"])


@pytest.fixture
def open_cases(client: TestClient, la_officer: dict[str, str]) -> dict[str, str]:
    """A: decision overdue. B: decision due in 14 days. C: advice, no-plan notice and final plan
    overdue. D: refused (closed). E: mine; no-plan notice overdue, final plan due in 21 days."""
    ids = {
        "A": _request(client, la_officer, "A", "2025-05-01"),
        "B": _request(client, la_officer, "B", "2025-06-02"),
        "C": _request(client, la_officer, "C", "2025-01-06"),
        "D": _request(client, la_officer, "D", "2025-02-03"),
        "E": _request(client, la_officer, "E", "2025-03-03", assigned_officer="officer-e"),
    }
    walk(client, la_officer, ids["C"], PATHS["advice_requested"])
    response = add_advice(
        client, la_officer, ids["C"], advice="educational_psychologist", requested_on="2025-02-12"
    )
    assert response.status_code == 201
    walk(client, la_officer, ids["D"], [("refused_to_assess", "2025-03-01")])
    walk(client, la_officer, ids["E"], [("decided_to_assess", "2025-04-01")])
    return ids


def _names(client: TestClient, headers: dict[str, str], path: str, **params: Any) -> list[str]:
    response = client.get(path, params={"as_of": AS_OF, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return [item["child_name"].split()[0] for item in response.json()["items"]]


def _count(client: TestClient, headers: dict[str, str], path: str, **params: Any) -> Any:
    response = client.get(f"{path}/count", params={"as_of": AS_OF, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


OVERDUE = "/v1/assessment-requests/overdue"
DUE_SOON = "/v1/assessment-requests/due-soon"


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        (OVERDUE, {}, ["C", "A", "E"]),
        (OVERDUE, {"stage": "decision_to_assess"}, ["A"]),
        (OVERDUE, {"stage": "advice"}, ["C"]),
        (OVERDUE, {"stage": "no_plan_notice"}, ["C", "E"]),
        (OVERDUE, {"stage": "final_plan"}, ["C"]),
        (OVERDUE, {"mine": "true"}, ["E"]),
        (OVERDUE, {"state": "received"}, ["A"]),
        (OVERDUE, {"la_code": "855"}, []),
        (DUE_SOON, {}, ["B"]),
        (DUE_SOON, {"within_days": 13}, []),
        (DUE_SOON, {"within_days": 30}, ["B", "E"]),
        (DUE_SOON, {"within_days": 30, "stage": "final_plan"}, ["E"]),
        (DUE_SOON, {"within_days": 60}, ["B", "E", "A"]),
    ],
)
def test_views_list_and_count_exact_rows(
    client: TestClient,
    la_officer: dict[str, str],
    open_cases: dict[str, str],
    path: str,
    params: dict[str, Any],
    expected: list[str],
) -> None:
    assert _names(client, la_officer, path, **params) == expected
    assert _count(client, la_officer, path, **params)["count"] == len(expected)


def test_overdue_items_carry_the_late_milestones(
    client: TestClient, la_officer: dict[str, str], open_cases: dict[str, str]
) -> None:
    response = client.get(
        "/v1/assessment-requests/overdue",
        params={"as_of": AS_OF, "stage": "decision_to_assess"},
        headers=la_officer,
    )
    [item] = response.json()["items"]
    assert item["request_id"] == open_cases["A"]
    assert item["la_code"] == "857"
    assert item["state"] == "received"
    assert [(m["kind"], m["due"], m["days_late"]) for m in item["milestones"]] == [
        ("decision_to_assess", "2025-06-12", 18)
    ]


def test_overdue_count_by_stage(
    client: TestClient, la_officer: dict[str, str], open_cases: dict[str, str]
) -> None:
    assert _count(client, la_officer, "/v1/assessment-requests/overdue") == {
        "as_of": AS_OF,
        "count": 3,
        "by_stage": {
            "decision_to_assess": 1,
            "advice": 1,
            "no_plan_notice": 2,
            "final_plan": 1,
        },
    }


def test_views_paginate(
    client: TestClient, la_officer: dict[str, str], open_cases: dict[str, str]
) -> None:
    seen: list[str] = []
    response = client.get(
        "/v1/assessment-requests/overdue", params={"as_of": AS_OF, "limit": 1}, headers=la_officer
    )
    while True:
        assert response.status_code == 200, response.text
        seen.extend(item["child_name"].split()[0] for item in response.json()["items"])
        if response.json()["next_cursor"] is None:
            break
        link = response.headers["Link"]
        response = client.get(link[1 : link.index(">")], headers=la_officer)
    assert seen == ["C", "A", "E"]
    foreign = client.get(
        "/v1/assessment-requests/due-soon",
        params={"cursor": "not-a-cursor"},
        headers=la_officer,
    )
    assert foreign.status_code == 422


@pytest.fixture
def issued_plans(client: TestClient, la_officer: dict[str, str]) -> dict[str, str]:
    """F on time; G late (issued in July); H late with an exception; I on time with one."""
    ids = {
        "F": _request(client, la_officer, "F", "2025-01-06"),
        "G": _request(client, la_officer, "G", "2025-01-13"),
        "H": _request(client, la_officer, "H", "2025-01-20"),
        "I": _request(client, la_officer, "I", "2025-01-27"),
    }
    add_exception(
        client,
        la_officer,
        ids["H"],
        ground="absent_from_area",
        starts_on="2025-02-03",
        ends_on="2025-03-02",
    )
    add_exception(
        client,
        la_officer,
        ids["I"],
        ground="exceptional_personal_circumstances",
        starts_on="2025-02-17",
        ends_on="2025-02-21",
    )
    finals = {"F": "2025-05-20", "G": "2025-07-01", "H": "2025-06-20", "I": "2025-06-01"}
    for name, issued_on in finals.items():
        walk(client, la_officer, ids[name], [*ISSUE, ("final_issued", issued_on)])
    return ids


@pytest.mark.parametrize(
    ("params", "all_plans", "excluding"),
    [
        (
            {"period_from": "2025-01-01", "period_to": "2025-06-30"},
            {"issued": 3, "within_20_weeks": 2, "rate": 0.6667},
            {"issued": 1, "within_20_weeks": 1, "rate": 1.0},
        ),
        (
            {"period_from": "2025-01-01", "period_to": "2025-01-31", "basis": "received"},
            {"issued": 4, "within_20_weeks": 2, "rate": 0.5},
            {"issued": 2, "within_20_weeks": 1, "rate": 0.5},
        ),
        (
            {"period_from": "2024-01-01", "period_to": "2024-12-31"},
            {"issued": 0, "within_20_weeks": 0, "rate": None},
            {"issued": 0, "within_20_weeks": 0, "rate": None},
        ),
    ],
)
def test_twenty_week_compliance(
    client: TestClient,
    la_officer: dict[str, str],
    issued_plans: dict[str, str],
    params: dict[str, Any],
    all_plans: dict[str, Any],
    excluding: dict[str, Any],
) -> None:
    response = client.get("/v1/assessment-requests/compliance", params=params, headers=la_officer)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["la_code"] == "857"
    assert body["all_plans"] == all_plans
    assert body["excluding_exception_cases"] == excluding


def test_compliance_lists_the_plans_counted(
    client: TestClient, la_officer: dict[str, str], issued_plans: dict[str, str]
) -> None:
    response = client.get(
        "/v1/assessment-requests/compliance/plans",
        params={"period_from": "2025-01-01", "period_to": "2025-06-30", "limit": 2},
        headers=la_officer,
    )
    assert response.status_code == 200, response.text
    first = response.json()["items"]
    link = response.headers["Link"]
    rest = client.get(link[1 : link.index(">")], headers=la_officer).json()["items"]
    rows = [
        (
            item["child_name"].split()[0],
            item["final_issued_on"],
            item["within_20_weeks"],
            item["exception_applies"],
        )
        for item in first + rest
    ]
    assert rows == [
        ("F", "2025-05-20", True, False),
        ("I", "2025-06-01", True, True),
        ("H", "2025-06-20", False, True),
    ]


def test_a_reversed_period_is_refused(client: TestClient, la_officer: dict[str, str]) -> None:
    response = client.get(
        "/v1/assessment-requests/compliance",
        params={"period_from": "2025-06-30", "period_to": "2025-01-01"},
        headers=la_officer,
    )
    assert response.status_code == 422
