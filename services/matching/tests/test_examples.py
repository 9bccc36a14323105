"""The two reference requests must reach the independently computed optimum, to the penny."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from send_contracts.matching import ProposalRequest
from send_matching.mapping import to_instance
from send_matching.solver import propose


def _example(folder: Path, name: str) -> bytes:
    return (folder / f"{name}.json").read_bytes()


@pytest.mark.parametrize("name", ["small-1", "la-7"])
def test_example_reaches_the_reference_optimum(examples: Path, name: str) -> None:
    expected = json.loads((examples / "optimum.json").read_text())[name]
    request = ProposalRequest.model_validate_json(_example(examples, name))

    totals = propose(to_instance(request)).totals

    assert totals.placed == expected["placed"]
    assert totals.preferences_honoured == expected["preferences_honoured"]
    assert totals.annual_cost == pytest.approx(expected["annual_cost"], abs=0.001)
    assert totals.total_cost == pytest.approx(expected["total_cost"], abs=0.001)


@pytest.mark.parametrize("name", ["small-1", "la-7"])
def test_example_over_http_is_optimal_and_fully_filled(
    client: TestClient, examples: Path, name: str
) -> None:
    expected = json.loads((examples / "optimum.json").read_text())[name]
    response = client.post(
        "/v1/proposals",
        content=_example(examples, name),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "optimal"
    assert body["solver"] == {
        "engine": "min_cost_flow",
        "seconds": body["solver"]["seconds"],
        "gap": 0.0,
        "time_limit_reached": False,
    }
    totals = body["totals"]
    assert totals["placed"] == expected["placed"] == len(body["assignments"])
    assert totals["unplaced"] == len(body["unplaced"]) == totals["children"] - totals["placed"]
    assert totals["total_cost"] == pytest.approx(expected["total_cost"], abs=0.001)
    assert totals["total_cost"] == pytest.approx(
        totals["annual_cost"] + totals["transport_cost"], abs=0.001
    )
    assert all(a["explanation"] for a in body["assignments"])
    assert all(u["detail"] for u in body["unplaced"])


def test_same_request_same_bytes(client: TestClient, examples: Path) -> None:
    content = _example(examples, "la-7")
    headers = {"content-type": "application/json"}
    first = client.post("/v1/proposals", content=content, headers=headers).json()
    second = client.post("/v1/proposals", content=content, headers=headers).json()
    for body in (first, second):
        body["solver"].pop("seconds")
    assert json.dumps(first) == json.dumps(second)


def test_budget_on_small_example_is_proven(examples: Path) -> None:
    request = ProposalRequest.model_validate_json(_example(examples, "small-1"))
    free = propose(to_instance(request)).totals
    request.options.budget = round(free.annual_cost * 0.97)

    proposal = propose(to_instance(request))

    assert proposal.totals.placed == free.placed  # nobody is left unplaced to save money
    assert proposal.totals.annual_cost <= request.options.budget
    assert proposal.totals.overspend == 0
    assert proposal.status == "optimal"
    assert proposal.solver.gap == 0.0
    assert proposal.totals.total_cost >= free.total_cost
