"""HTTP routes. Thin: validate (contracts), map, solve in a worker thread, map back."""

from __future__ import annotations

import time
from typing import Annotated, Any

import anyio
import structlog
from fastapi import APIRouter, Body, Request
from fastapi.responses import Response

from send_contracts import PROBLEM_MEDIA_TYPE, Problem
from send_contracts.matching import ProposalRequest, ProposalResponse
from send_matching import solver
from send_matching.mapping import to_instance, to_response_json
from send_matching.metrics import record_proposal

EXAMPLE_REQUEST: dict[str, Any] = {
    "children": [
        {
            "id": "c-00017",
            "location": {"lat": 52.772, "lon": -1.206},
            "age": 11,
            "primary_need": "ASD",
            "suitable_kinds": ["resource_base", "special_school"],
            "preferences": ["rb-0004"],
            "max_travel_km": 20,
        },
        {
            "id": "c-00018",
            "location": {"lat": 52.78, "lon": -1.19},
            "age": 9,
            "primary_need": "SLCN",
            "suitable_kinds": ["mainstream", "resource_base"],
            "preferences": [],
        },
    ],
    "provisions": [
        {
            "id": "rb-0004",
            "name": "Castle Primary Resource Base",
            "kind": "resource_base",
            "location": {"lat": 52.77, "lon": -1.21},
            "capacity": 6,
            "capacity_by_need": {"ASD": 4},
            "designated_needs": ["ASD", "SLCN"],
            "min_age": 4,
            "max_age": 11,
            "annual_cost": 19000,
        },
        {
            "id": "ms-0101",
            "name": "Brook Lane Primary",
            "kind": "mainstream",
            "location": {"lat": 52.79, "lon": -1.18},
            "capacity": 2,
            "designated_needs": [],
            "min_age": 4,
            "max_age": 11,
            "annual_cost": 6000,
        },
    ],
    "options": {"max_travel_km": 40, "transport_cost_per_km": 400, "preferences": "priority"},
}

log = structlog.get_logger("send_matching.proposals")

_PROBLEM = {
    "model": Problem,
    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}

router = APIRouter(prefix="/v1", tags=["proposals"])


@router.post(
    "/proposals",
    operation_id="createProposal",
    summary="Propose placements for a cohort of children",
    description=(
        "Places as many children as possible, then (with a budget) keeps the overspend least, "
        "then honours as many parental preferences as possible, then keeps the total cost least. "
        "Every assignment, unplaced child and refused preference is explained.\n\n"
        "Stateless and deterministic: the same request gives the same proposal (only the "
        "solver's timing differs). No token: the service sits on a private network and "
        "cases-api is its only caller. An invalid body, including what JSON Schema cannot say "
        "(ids that repeat, a preference naming an unknown provision), is a 422 problem listing "
        "each error; a body over the size limit is 413."
    ),
    response_model=ProposalResponse,
    responses={400: _PROBLEM, 413: _PROBLEM, 415: _PROBLEM, 422: _PROBLEM, 500: _PROBLEM},
)
async def create_proposal(
    request: Request,
    body: Annotated[
        ProposalRequest,
        Body(
            openapi_examples={
                "two_children": {
                    "summary": "Two children, two provisions",
                    "value": EXAMPLE_REQUEST,
                }
            }
        ),
    ],
) -> Response:
    limiter: anyio.CapacityLimiter = request.app.state.solver_limiter
    response = await anyio.to_thread.run_sync(_solve, body, limiter=limiter)
    return Response(content=response, media_type="application/json")


def _solve(body: ProposalRequest) -> bytes:
    started = time.perf_counter()
    instance = to_instance(body)
    phases = {"map": time.perf_counter() - started}
    proposal = solver.propose(instance, phases=phases)
    record_proposal(len(body.children), proposal)
    encode_started = time.perf_counter()
    content = to_response_json(proposal)
    phases["encode"] = time.perf_counter() - encode_started
    log.info(
        "proposal_solved",
        children=len(instance.children),
        status=proposal.status.value,
        seconds={name: round(value, 4) for name, value in phases.items()},
    )
    return content


health_router = APIRouter(tags=["health"])


@health_router.get(
    "/healthz",
    operation_id="getHealth",
    summary="The process is up",
    description=(
        'Liveness: 200 `{"status": "ok"}` while the process runs. No token needed; use it '
        "for the container's liveness probe and before sending work."
    ),
)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
