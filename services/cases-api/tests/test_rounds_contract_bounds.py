"""cases-api never sends matching a request beyond the contract's bounds: a child of an impossible
age is left out and reported, not a failed proposal; rounds and provisions are refused at entry
when they would break the bounds later."""

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cases_factories import establishment_body, provision_body
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from rounds_world import World, add_cohort, build_world, matching_process, open_round
from sqlalchemy import Connection

from cases_api.core.schemas import Pence, Places
from cases_api.core.time import today
from cases_api.matching_client import MatchingClient
from cases_api.rounds.models import RoundChild
from cases_api.rounds.proposals import (
    AvailableProvision,
    CohortChild,
    build_request,
    out_of_contract,
)
from cases_api.rounds.schemas import RoundCreate
from cases_api.settings import Settings
from send_contracts import NeedCode, ProvisionKind
from send_contracts.matching import MAX_AGE, MAX_CAPACITY, ProposalRequest


@pytest.fixture(scope="module")
def matching_url() -> Iterator[str]:
    yield from matching_process()


@pytest.fixture
def rounds(
    app: FastAPI, client: TestClient, matching_url: str, tmp_path: Path
) -> Iterator[TestClient]:
    original = app.state.matching_client
    app.state.matching_client = MatchingClient(
        Settings(data_dir=tmp_path, matching_url=matching_url)
    )
    try:
        yield client
    finally:
        app.state.matching_client.close()
        app.state.matching_client = original


def _age_in_round(connection: Connection, round_id: str, child_id: str, age: int) -> None:
    # Written directly: the API is to refuse such ages at entry, but rows stored before must
    # still never fail a proposal.
    connection.execute(
        sa.update(RoundChild)
        .where(
            RoundChild.round_id == uuid.UUID(round_id), RoundChild.child_id == uuid.UUID(child_id)
        )
        .values(age_at_entry=age)
    )


@pytest.mark.parametrize("age", [MAX_AGE + 1, -3])
def test_a_child_of_impossible_age_is_left_out_and_reported(
    rounds: TestClient, officer: dict[str, str], connection: Connection, age: int
) -> None:
    world: World = build_world(rounds, officer)
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    impossible = world.other_child["id"]
    _age_in_round(connection, round_["id"], impossible, age)

    response = rounds.post(f"/v1/rounds/{round_['id']}/proposals", headers=officer)

    assert response.status_code == 201, response.text
    proposal: dict[str, Any] = response.json()
    exchange = rounds.get(
        f"/v1/rounds/{round_['id']}/proposals/{proposal['number']}/exchange", headers=officer
    ).json()
    assert [c["id"] for c in exchange["request"]["children"]] == [world.near_child["id"]]
    answer = exchange["response"]
    assert [a["child_id"] for a in answer["assignments"]] == [world.near_child["id"]]
    [left_out] = answer["unplaced"]
    assert left_out["child_id"] == impossible
    assert left_out["reason"] == "no_suitable_provision"
    assert f"aged {age}" in left_out["detail"]
    assert answer["totals"]["children"] == 2
    assert answer["totals"]["unplaced"] == proposal["unplaced"] == 1
    [readable] = proposal["unplaced_children"]
    assert readable["child"]["given_name"] == "Leo"
    summary = rounds.get(f"/v1/rounds/{round_['id']}/summary", headers=officer).json()
    assert summary["latest_proposal"]["unplaced_by_reason"] == {"no_suitable_provision": 1}


def test_a_round_where_no_child_can_be_matched_is_a_409(
    rounds: TestClient, officer: dict[str, str], connection: Connection
) -> None:
    world = build_world(rounds, officer)
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    for child in (world.near_child, world.other_child):
        _age_in_round(connection, round_["id"], child["id"], 40)

    response = rounds.post(f"/v1/rounds/{round_['id']}/proposals", headers=officer)

    assert response.status_code == 409, response.text
    assert "aged 40" in response.json()["detail"]
    assert rounds.get(f"/v1/rounds/{round_['id']}/proposals", headers=officer).json() == {
        "items": [],
        "next_cursor": None,
    }


@pytest.mark.parametrize(
    "days_from_today", [-(3 * 365), -(2 * 365) - 1, 5 * 365 + 1, 100 * 365], ids=str
)
def test_an_implausible_entry_date_is_refused(
    client: TestClient, officer: dict[str, str], days_from_today: int
) -> None:
    entry = (today() + timedelta(days=days_from_today)).isoformat()
    response = client.post(
        "/v1/rounds", json={"name": "Typo", "entry_date": entry}, headers=officer
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["location"] == "body.entry_date"


@pytest.mark.parametrize("entry", ["2000-09-01", "1999-09-01", "2207-09-01"])
def test_the_issues_entry_dates_are_refused(
    client: TestClient, officer: dict[str, str], entry: str
) -> None:
    response = client.post(
        "/v1/rounds", json={"name": "Typo", "entry_date": entry}, headers=officer
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("days_from_today", [-(2 * 365), -30, 0, 5 * 365], ids=str)
def test_a_plausible_entry_date_opens_a_round(
    client: TestClient, officer: dict[str, str], days_from_today: int
) -> None:
    entry = (today() + timedelta(days=days_from_today)).isoformat()
    response = client.post("/v1/rounds", json={"name": "Ok", "entry_date": entry}, headers=officer)
    assert response.status_code == 201, response.text


def test_transport_cost_beyond_the_contract_is_refused(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = {"name": "Dear", "entry_date": "2027-09-01", "transport_cost_per_km_pence": 10**7 + 1}
    response = client.post("/v1/rounds", json=body, headers=officer)
    assert response.status_code == 422, response.text


def test_place_funding_and_top_up_beyond_the_contract_are_refused(
    client: TestClient, officer: dict[str, str]
) -> None:
    school = client.post("/v1/establishments", json=establishment_body(), headers=officer).json()
    costs = {"place_funding_pence": 600_000_000, "top_up_pence": 600_000_000}
    body = provision_body(school["urn"], costs=costs)
    response = client.post("/v1/provisions", json=body, headers=officer)
    assert response.status_code == 422, response.text


def _bounds(annotated: Any) -> tuple[int, int]:
    (field,) = [m for m in annotated.__metadata__ if hasattr(m, "metadata")]
    lower = next(m.ge for m in field.metadata if hasattr(m, "ge"))
    upper = next(m.le for m in field.metadata if hasattr(m, "le"))
    return lower, upper


_PENCE = _bounds(Pence)
_PLACES = _bounds(Places)
_ROUND = RoundCreate.model_json_schema()["properties"]


@st.composite
def _children(draw: st.DrawFn) -> CohortChild:
    return CohortChild(
        id=str(draw(st.uuids())),
        lat=draw(st.floats(-90, 90)),
        lon=draw(st.floats(-180, 180)),
        age=draw(st.integers(-100, 200)),
        primary_need=draw(st.sampled_from(list(NeedCode))),
        suitable_kinds=draw(
            st.lists(st.sampled_from(list(ProvisionKind)), min_size=1, max_size=7, unique=True)
        ),
        preferences=[str(u) for u in draw(st.lists(st.uuids(), max_size=10, unique=True))],
    )


@st.composite
def _provisions(draw: st.DrawFn) -> AvailableProvision:
    min_age = draw(st.integers(0, 25))
    return AvailableProvision(
        id=str(draw(st.uuids())),
        name="P",
        kind=draw(st.sampled_from(list(ProvisionKind))),
        lat=draw(st.floats(-90, 90)),
        lon=draw(st.floats(-180, 180)),
        # free places plus places of placements ending: may run past the total, or below zero
        free_places=draw(st.integers(-_PLACES[1], 2 * _PLACES[1])),
        designated_needs=draw(st.lists(st.sampled_from(list(NeedCode)), max_size=12, unique=True)),
        min_age=min_age,
        max_age=draw(st.integers(min_age, 25)),
        annual_cost_pence=draw(st.integers(_PENCE[0], 2 * _PENCE[1])),  # rows stored before the cap
    )


@settings(max_examples=200, deadline=None)
@given(
    children=st.lists(_children(), min_size=1, max_size=5),
    provisions=st.lists(_provisions(), max_size=5),
    max_travel_km=st.none()
    | st.floats(min_value=1e-9, max_value=_ROUND["max_travel_km"]["anyOf"][0]["maximum"]),
    transport=st.integers(0, _ROUND["transport_cost_per_km_pence"]["maximum"]),
    budget=st.none() | st.integers(*_PENCE),
    time_limit=st.floats(min_value=1e-6, max_value=_ROUND["time_limit_s"]["maximum"]),
)
def test_whatever_the_round_holds_the_request_is_within_the_contract(
    children: list[CohortChild],
    provisions: list[AvailableProvision],
    max_travel_km: float | None,
    transport: int,
    budget: int | None,
    time_limit: float,
) -> None:
    request = build_request(
        children=[child for child in children if out_of_contract(child) is None],
        provisions=provisions,
        max_travel_km=max_travel_km,
        transport_cost_per_km_pence=transport,
        honour_preferences=True,
        budget_pence=budget,
        time_limit_s=time_limit,
    )
    ProposalRequest.model_validate(request.model_dump(mode="json"))  # and survives the wire
    assert all(0 <= p.capacity <= MAX_CAPACITY for p in request.provisions)
