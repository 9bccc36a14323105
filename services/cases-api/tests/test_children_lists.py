"""Listing children: filters with exact rows, sort orders and cursor pagination."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from cases_factories import child_body
from fastapi.testclient import TestClient

from cases_api.children.ages import age_on, latest_birth_date_for_age
from cases_api.core.time import today

CHILDREN = [
    # given, family, date of birth, SEN status, needs, school
    ("Ada", "Brown", "2012-05-01", "E", ["ASD", "SLCN"], 120001),
    ("Ben", "Clarke", "2016-02-29", "K", ["SLCN"], 120001),
    ("Cara", "Brown", "2010-09-01", "E", ["SEMH", "ASD"], 120002),
    ("Dev", "Patel", "2019-12-31", "N", [], None),
    ("Eve", "O'Neil", "2008-01-15", "E", ["PD"], 120002),
]


@pytest.fixture
def officer(auth: Callable[..., dict[str, str]]) -> dict[str, str]:
    """An officer of LA 856, where these children live (officers see only their own LA)."""
    return auth("officer", la_code="856")


@pytest.fixture
def children(client: TestClient, auth: Callable[..., dict[str, str]]) -> dict[str, str]:
    officer_856 = auth("officer", la_code="856")
    ids: dict[str, str] = {}
    for given, family, born, status, needs, school in CHILDREN:
        body = child_body(
            given_name=given,
            family_name=family,
            date_of_birth=born,
            sen_status=status,
            needs=needs,
            current_school_urn=school,
            la_code="856",
        )
        response = client.post("/v1/children", json=body, headers=officer_856)
        assert response.status_code == 201, response.text
        ids[given] = response.json()["id"]
    return ids


def _names(client: TestClient, headers: dict[str, str], **params: Any) -> list[str]:
    response = client.get("/v1/children", params={"la_code": "856", **params}, headers=headers)
    assert response.status_code == 200, response.text
    return [item["given_name"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Ada", "Cara", "Ben", "Eve", "Dev"]),
        ({"sort": "-name"}, ["Dev", "Eve", "Ben", "Cara", "Ada"]),
        ({"sort": "date_of_birth"}, ["Eve", "Cara", "Ada", "Ben", "Dev"]),
        ({"sort": "-date_of_birth"}, ["Dev", "Ben", "Ada", "Cara", "Eve"]),
        ({"need": "ASD"}, ["Ada", "Cara"]),
        ({"primary_need": "ASD"}, ["Ada"]),
        ({"sen_status": "E"}, ["Ada", "Cara", "Eve"]),
        ({"born_from": "2010-09-01", "born_to": "2016-02-29"}, ["Ada", "Cara", "Ben"]),
        ({"current_school_urn": 120002}, ["Cara", "Eve"]),
        ({"name_contains": "brown"}, ["Ada", "Cara"]),
        ({"name_contains": "ben cl"}, ["Ben"]),
        ({"name_contains": "o'n"}, ["Eve"]),
        ({"name_contains": "%"}, []),
    ],
)
def test_filters_and_sorts_give_exact_rows(
    client: TestClient,
    officer: dict[str, str],
    children: dict[str, str],
    params: dict[str, Any],
    expected: list[str],
) -> None:
    assert _names(client, officer, **params) == expected


def test_age_filter_matches_whole_years_today(
    client: TestClient, officer: dict[str, str], children: dict[str, str]
) -> None:
    for given, _, born, *_ in CHILDREN:
        age = age_on(date.fromisoformat(born), today())
        assert given in _names(client, officer, age=age)


def test_a_leap_day_birthday_counts_from_1_march() -> None:
    born = date(2016, 2, 29)
    assert age_on(born, date(2025, 2, 28)) == 8
    assert age_on(born, date(2025, 3, 1)) == 9
    assert age_on(born, date(2028, 2, 29)) == 12
    assert latest_birth_date_for_age(1, date(2028, 2, 29)) == date(2027, 2, 28)


def test_reversed_birth_dates_are_refused(
    client: TestClient, officer: dict[str, str], children: dict[str, str]
) -> None:
    response = client.get(
        "/v1/children", params={"born_from": "2016-01-01", "born_to": "2015-01-01"}, headers=officer
    )
    assert response.status_code == 422


@pytest.mark.parametrize("sort", ["name", "-name", "date_of_birth", "-date_of_birth"])
def test_pages_cover_every_child_once(
    client: TestClient, officer: dict[str, str], children: dict[str, str], sort: str
) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"la_code": "856", "sort": sort, "limit": 2}
    response = client.get("/v1/children", params=params, headers=officer)
    while True:
        assert response.status_code == 200, response.text
        seen.extend(item["given_name"] for item in response.json()["items"])
        if response.json()["next_cursor"] is None:
            assert "Link" not in response.headers
            break
        link = response.headers["Link"]
        response = client.get(link[1 : link.index(">")], headers=officer)
    assert seen == _names(client, officer, sort=sort)
    assert len(seen) == len(CHILDREN)


def test_a_cursor_from_another_sort_is_refused(
    client: TestClient, officer: dict[str, str], children: dict[str, str]
) -> None:
    first = client.get("/v1/children", params={"limit": 1}, headers=officer).json()
    response = client.get(
        "/v1/children",
        params={"limit": 1, "sort": "date_of_birth", "cursor": first["next_cursor"]},
        headers=officer,
    )
    assert response.status_code == 422
