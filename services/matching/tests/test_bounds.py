"""Every number and list in the contract has an upper bound, published in the OpenAPI, so huge
input is a 422 problem, never an overflow in the solver's int64 arrays (a 500)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from send_contracts.matching import (
    MAX_BUDGET_POUNDS,
    MAX_CAPACITY,
    MAX_CHILDREN,
    MAX_POUNDS_PER_YEAR,
    MAX_PROVISIONS,
    MAX_TRANSPORT_POUNDS_PER_KM,
    MAX_TRAVEL_KM,
)
from send_matching.api import EXAMPLE_REQUEST

PROBLEM = "application/problem+json"
HUGE = 2**63

# (dotted path, the largest value allowed)
NUMBERS = [
    ("provisions.0.capacity", MAX_CAPACITY),
    ("provisions.0.capacity_by_need.ASD", MAX_CAPACITY),
    ("provisions.0.annual_cost", MAX_POUNDS_PER_YEAR),
    ("children.0.max_travel_km", MAX_TRAVEL_KM),
    ("options.max_travel_km", MAX_TRAVEL_KM),
    ("options.transport_cost_per_km", MAX_TRANSPORT_POUNDS_PER_KM),
    ("options.budget", MAX_BUDGET_POUNDS),
    ("options.time_limit_s", 300),
    ("children.0.age", 25),
    ("provisions.0.max_age", 25),
]


def _set(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    *parents, last = path.split(".")
    target: Any = body
    for part in parents:
        target = target[int(part)] if part.isdigit() else target.setdefault(part, {})
    target[int(last) if last.isdigit() else last] = value
    return body


def _refused(response: Any, path: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    locations = [error["location"] for error in response.json()["errors"]]
    assert any(location.startswith(f"body.{path}") for location in locations), locations


@pytest.mark.parametrize("value", [HUGE, 10**40, 1e300])
@pytest.mark.parametrize(("path", "largest"), NUMBERS, ids=[path for path, _ in NUMBERS])
def test_huge_numbers_are_422_problems(
    client: TestClient, path: str, largest: float, value: float
) -> None:
    _refused(client.post("/v1/proposals", json=_set(EXAMPLE_REQUEST, path, value)), path)


@pytest.mark.parametrize(("path", "largest"), NUMBERS, ids=[path for path, _ in NUMBERS])
def test_the_bounds_themselves_are_accepted(client: TestClient, path: str, largest: float) -> None:
    body = _set(EXAMPLE_REQUEST, path, largest)
    if path == "provisions.0.max_age":
        body = _set(body, "provisions.0.min_age", 0)
    if path == "options.time_limit_s":
        body = _set(body, path, 1)  # the largest is proven by test_http; keep this test quick
    assert client.post("/v1/proposals", json=body).status_code == 200


@pytest.mark.parametrize(
    ("path", "length"),
    [
        ("children.0.preferences", 21),
        ("children.0.suitable_kinds", 8),
        ("provisions.0.designated_needs", 13),
    ],
)
def test_long_lists_are_422_problems(client: TestClient, path: str, length: int) -> None:
    if path.endswith("preferences"):
        items: list[str] = [f"p-{n}" for n in range(length)]
    elif path.endswith("kinds"):
        items = ["mainstream"] * length
    else:
        items = ["ASD"] * length
    _refused(client.post("/v1/proposals", json=_set(EXAMPLE_REQUEST, path, items)), path)


def test_the_openapi_publishes_every_bound(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    request = schemas["ProposalRequest"]["properties"]
    assert request["children"]["maxItems"] == MAX_CHILDREN
    assert request["provisions"]["maxItems"] == MAX_PROVISIONS
    provision = schemas["ProvisionIn"]["properties"]
    assert provision["capacity"]["maximum"] == MAX_CAPACITY
    assert provision["capacity_by_need"]["anyOf"][0]["additionalProperties"]["maximum"] == (
        MAX_CAPACITY
    )
    options = schemas["ProposalOptions"]["properties"]
    assert options["budget"]["anyOf"][0]["maximum"] == MAX_BUDGET_POUNDS
    assert options["transport_cost_per_km"]["maximum"] == MAX_TRANSPORT_POUNDS_PER_KM
    assert options["max_travel_km"]["anyOf"][0]["maximum"] == MAX_TRAVEL_KM
    child = schemas["ChildIn"]["properties"]
    assert child["preferences"]["maxItems"] == 20


_ANY_NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from([path for path, _ in NUMBERS]), value=_ANY_NUMBER)
def test_any_number_anywhere_is_an_answer_or_a_422(
    client: TestClient, path: str, value: float
) -> None:
    body = _set(EXAMPLE_REQUEST, path, value)
    body = _set(body, "options.time_limit_s", 2) if path != "options.time_limit_s" else body
    response = client.post("/v1/proposals", json=body)
    assert response.status_code in (200, 422), response.text
