"""Listing the directory: cursor pagination, filters and sort orders."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cases_api.demo.seed import seed_directory

LOUGHBOROUGH = {"near_lat": 52.7721, "near_lon": -1.2062}


@pytest.fixture
def demo(session: Session) -> int:
    """The demo county, inside the test's transaction."""
    count = seed_directory(session)
    session.commit()
    return count


def _all_pages(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    response = client.get("/v1/provisions", params=params, headers=headers)
    while True:
        assert response.status_code == 200, response.text
        items.extend(response.json()["items"])
        link = response.headers.get("Link")
        if response.json()["next_cursor"] is None:
            assert link is None
            return items
        assert link is not None
        assert link.endswith('rel="next"')
        response = client.get(link[1 : link.index(">")], headers=headers)


def test_pages_cover_every_row_once(client: TestClient, officer: dict[str, str], demo: int) -> None:
    items = _all_pages(client, officer, limit=7)
    assert len(items) == demo
    assert len({item["id"] for item in items}) == demo
    names = [item["name"] for item in items]
    assert names == sorted(names)


def test_default_page_is_50_and_limit_is_capped(
    client: TestClient, officer: dict[str, str], demo: int
) -> None:
    assert len(client.get("/v1/provisions", headers=officer).json()["items"]) == min(50, demo)
    response = client.get("/v1/provisions", params={"limit": 501}, headers=officer)
    assert response.status_code == 422


@pytest.mark.parametrize(
    "sort",
    ["name", "-name", "annual_cost", "-annual_cost", "free_places", "-free_places", "distance"],
)
def test_every_sort_order_paginates_consistently(
    client: TestClient, officer: dict[str, str], demo: int, sort: str
) -> None:
    items = _all_pages(client, officer, sort=sort, limit=13, **LOUGHBOROUGH)
    assert len({item["id"] for item in items}) == demo
    field = sort.removeprefix("-")

    def value(item: dict[str, Any]) -> Any:
        if field == "annual_cost":
            return item["costs"]["annual_cost_pence"]
        if field == "distance":
            return item["distance_km"]
        return item[field]

    values = [value(item) for item in items]
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_filters_combine(client: TestClient, officer: dict[str, str], demo: int) -> None:
    items = _all_pages(
        client,
        officer,
        kind=["resource_base", "special_school"],
        need="ASD",
        age=11,
        has_free_places=True,
        la_code="855",
        within_km=15,
        **LOUGHBOROUGH,
    )
    assert items
    for item in items:
        assert item["kind"] in {"resource_base", "special_school"}
        assert not item["designated_needs"] or "ASD" in item["designated_needs"]
        assert item["min_age"] <= 11 <= item["max_age"]
        assert item["free_places"] > 0
        assert item["establishment"]["la_code"] == "855"
        assert item["distance_km"] <= 15


def test_need_filter_includes_provisions_open_to_any_need(
    client: TestClient, officer: dict[str, str], demo: int
) -> None:
    items = _all_pages(client, officer, need="HI", kind="mainstream")
    assert items
    assert all(item["designated_needs"] == [] for item in items)


def test_phase_filter(client: TestClient, officer: dict[str, str], demo: int) -> None:
    items = _all_pages(client, officer, phase="nursery")
    assert items
    assert all(item["establishment"]["phase"] == "nursery" for item in items)


def test_full_provisions(client: TestClient, officer: dict[str, str], demo: int) -> None:
    items = _all_pages(client, officer, has_free_places=False)
    assert items
    assert all(item["free_places"] == 0 for item in items)


def test_within_km_matches_the_haversine_distance(
    client: TestClient, officer: dict[str, str], demo: int
) -> None:
    from cases_api.core.geo import haversine_km

    near = _all_pages(client, officer, within_km=5, **LOUGHBOROUGH)
    everything = _all_pages(client, officer, **LOUGHBOROUGH)
    expected = {
        item["id"]
        for item in everything
        if haversine_km(
            52.7721,
            -1.2062,
            item["establishment"]["location"]["lat"],
            item["establishment"]["location"]["lon"],
        )
        <= 5
    }
    assert {item["id"] for item in near} == expected
    assert 0 < len(expected) < demo


@pytest.mark.parametrize(
    "params",
    [
        {"within_km": 5},
        {"near_lat": 52.7},
        {"sort": "distance"},
        {"cursor": "garbage"},
        {"need": "XYZ"},
        {"near_lat": 95, "near_lon": 0},
        {"sort": "price"},
    ],
)
def test_bad_list_queries_are_422_problems(
    client: TestClient, officer: dict[str, str], params: dict[str, Any]
) -> None:
    response = client.get("/v1/provisions", params=params, headers=officer)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_a_cursor_from_another_sort_is_refused(
    client: TestClient, officer: dict[str, str], demo: int
) -> None:
    cursor = client.get("/v1/provisions", params={"limit": 2}, headers=officer).json()[
        "next_cursor"
    ]
    response = client.get(
        "/v1/provisions", params={"cursor": cursor, "sort": "-annual_cost"}, headers=officer
    )
    assert response.status_code == 422


def test_establishments_list_and_filter(
    client: TestClient, officer: dict[str, str], demo: int
) -> None:
    response = client.get(
        "/v1/establishments", params={"phase": "secondary", "limit": 3}, headers=officer
    )
    assert response.status_code == 200
    page = response.json()
    assert len(page["items"]) == 3
    assert all(item["phase"] == "secondary" for item in page["items"])
    following = client.get(
        "/v1/establishments",
        params={"phase": "secondary", "limit": 3, "cursor": page["next_cursor"]},
        headers=officer,
    ).json()
    assert page["items"][-1]["urn"] < following["items"][0]["urn"]
    named = client.get(
        "/v1/establishments", params={"name_contains": "loughborough"}, headers=officer
    ).json()
    assert named["items"]
    assert all("loughborough" in item["name"].lower() for item in named["items"])
