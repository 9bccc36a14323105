"""The bridge: requests map onto the solver's data, and the fast JSON path equals the models."""

from __future__ import annotations

import dataclasses

from send_contracts.matching import ProposalRequest, ProposalResponse
from send_matching.api import EXAMPLE_REQUEST
from send_matching.bench.generator import generate_county
from send_matching.bench.http_run import request_body
from send_matching.mapping import to_instance, to_response, to_response_json
from send_matching.solver import propose


def test_request_maps_onto_the_solver_instance() -> None:
    instance = to_instance(ProposalRequest.model_validate(EXAMPLE_REQUEST))
    assert instance.children[0].suitable_kinds == ("resource_base", "special_school")
    assert instance.children[0].max_travel_km == 20
    assert instance.provisions[0].capacity_by_need == {"ASD": 4}
    assert instance.options.honour_preferences is True
    assert instance.options.budget is None


def test_fast_json_is_byte_identical_to_the_contract_models() -> None:
    generated = generate_county(children=300, seed=3)
    budgeted = dataclasses.replace(
        generated, options=dataclasses.replace(generated.options, budget=4_000_000.0)
    )
    for instance in (generated, budgeted):
        request = ProposalRequest.model_validate(request_body(instance))
        proposal = propose(to_instance(request))
        fast = to_response_json(proposal)
        assert fast == to_response(proposal).model_dump_json().encode()
        assert ProposalResponse.model_validate_json(fast).totals.children == 300
