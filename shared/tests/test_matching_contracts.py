"""The matching contract's wire models: defaults, ranges and the rejections the contract lists."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from send_contracts import ProposalRequest, ProposalResponse
from send_contracts.matching import MAX_POUNDS_PER_YEAR, MAX_TIME_LIMIT_S


def _child(**changes: Any) -> dict[str, Any]:
    child: dict[str, Any] = {
        "id": "c-1",
        "location": {"lat": 52.7, "lon": -1.2},
        "age": 11,
        "primary_need": "ASD",
        "suitable_kinds": ["resource_base"],
    }
    return child | changes


def _provision(**changes: Any) -> dict[str, Any]:
    provision: dict[str, Any] = {
        "id": "rb-1",
        "name": "Castle Primary Resource Base",
        "kind": "resource_base",
        "location": {"lat": 52.7, "lon": -1.21},
        "capacity": 6,
        "designated_needs": ["ASD"],
        "min_age": 4,
        "max_age": 11,
        "annual_cost": 19000,
    }
    return provision | changes


def _request(**changes: Any) -> dict[str, Any]:
    return {"children": [_child()], "provisions": [_provision()]} | changes


def test_defaults_are_the_contracts() -> None:
    request = ProposalRequest.model_validate(_request())
    options = request.options
    assert options.max_travel_km == 40
    assert options.transport_cost_per_km == 400
    assert options.preferences == "priority"
    assert options.budget is None
    assert options.time_limit_s == 10
    assert request.children[0].preferences == []
    assert request.children[0].max_travel_km is None
    assert request.provisions[0].capacity_by_need is None


def test_null_travel_limit_means_no_limit() -> None:
    request = ProposalRequest.model_validate(_request(options={"max_travel_km": None}))
    assert request.options.max_travel_km is None


@pytest.mark.parametrize(
    "body",
    [
        _request(children=[_child(location={"lat": 91, "lon": 0})]),
        _request(children=[_child(location={"lat": 0, "lon": 180.01})]),
        _request(provisions=[_provision(capacity=-1)]),
        _request(provisions=[_provision(capacity_by_need={"ASD": -1})]),
        _request(provisions=[_provision(capacity_by_need={"XYZ": 1})]),
        _request(children=[_child(primary_need="NSA")]),
        _request(children=[_child(suitable_kinds=[])]),
        _request(children=[_child(suitable_kinds=["boarding"])]),
        _request(children=[_child(), _child()]),
        _request(provisions=[_provision(), _provision()]),
        _request(options={"time_limit_s": MAX_TIME_LIMIT_S + 1}),
        _request(options={"time_limit_s": 0}),
        _request(options={"preferences": "maybe"}),
        _request(options={"budget": -1}),
        _request(options={"max_travel_km": 0}),
        _request(provisions=[_provision(min_age=12, max_age=11)]),
        _request(provisions=[_provision(annual_cost=float("nan"))]),
        _request(provisions=[_provision(annual_cost=MAX_POUNDS_PER_YEAR + 1)]),
        _request(options={"transport_cost_per_km": MAX_POUNDS_PER_YEAR + 1}),
        _request(children=[_child(colour="blue")]),
        _request(extra=True),
        {"children": [_child()]},
        _request(children=[{k: v for k, v in _child().items() if k != "age"}]),
    ],
)
def test_invalid_requests_are_rejected(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ProposalRequest.model_validate(body)


def test_duplicate_ids_are_named() -> None:
    with pytest.raises(ValidationError, match="duplicate child ids: c-1"):
        ProposalRequest.model_validate(_request(children=[_child(), _child()]))


def test_time_limit_at_the_maximum_is_accepted() -> None:
    request = ProposalRequest.model_validate(_request(options={"time_limit_s": MAX_TIME_LIMIT_S}))
    assert request.options.time_limit_s == MAX_TIME_LIMIT_S


def test_response_round_trips_the_contract_example() -> None:
    example = {
        "status": "optimal",
        "assignments": [
            {
                "child_id": "c-00017",
                "provision_id": "rb-0004",
                "distance_km": 2.41,
                "annual_cost": 19000,
                "transport_cost": 964.0,
                "preference_honoured": True,
                "explanation": "Parental preference.",
                "nearer_alternatives": [
                    {"provision_id": "rb-0002", "distance_km": 1.2, "why_not": "full"}
                ],
            }
        ],
        "unplaced": [{"child_id": "c-00912", "reason": "capacity", "detail": "all full"}],
        "preferences_not_honoured": [
            {"child_id": "c-00044", "provision_id": "ind-0012", "reason": "unsuitable"}
        ],
        "totals": {
            "children": 2000,
            "placed": 1987,
            "unplaced": 13,
            "preferences_requested": 610,
            "preferences_honoured": 410,
            "annual_cost": 41538000,
            "transport_cost": 6559002.5,
            "total_cost": 48097002.5,
            "distance_km": 16397.5,
            "budget": None,
            "overspend": 0,
        },
        "solver": {
            "engine": "min_cost_flow",
            "seconds": 0.21,
            "gap": 0.0,
            "time_limit_reached": False,
        },
    }
    response = ProposalResponse.model_validate(example)
    assert response.model_dump(mode="json")["assignments"][0]["nearer_alternatives"][0] == {
        "provision_id": "rb-0002",
        "distance_km": 1.2,
        "why_not": "full",
    }
