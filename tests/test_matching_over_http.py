"""cases-api's matching client against the real matching service, over HTTP."""

from pathlib import Path

from cross_service import RunningServices

from cases_api.matching_client import MatchingClient
from cases_api.settings import Settings
from send_contracts.matching import ProposalRequest


def test_the_client_gets_a_proposal_that_honours_the_contract(
    services: RunningServices, tmp_path: Path
) -> None:
    request = ProposalRequest.model_validate(
        {
            "children": [
                {
                    "id": f"c-{n}",
                    "location": {"lat": 52.77 + n / 100, "lon": -1.2},
                    "age": 11,
                    "primary_need": "ASD",
                    "suitable_kinds": ["resource_base", "special_school"],
                    "preferences": ["sp-1"] if n == 0 else [],
                }
                for n in range(3)
            ],
            "provisions": [
                {
                    "id": "rb-1",
                    "name": "Castle Resource Base",
                    "kind": "resource_base",
                    "location": {"lat": 52.78, "lon": -1.21},
                    "capacity": 1,
                    "designated_needs": ["ASD"],
                    "min_age": 4,
                    "max_age": 16,
                    "annual_cost": 19000,
                },
                {
                    "id": "sp-1",
                    "name": "Area Special School",
                    "kind": "special_school",
                    "location": {"lat": 52.9, "lon": -1.3},
                    "capacity": 1,
                    "designated_needs": [],
                    "min_age": 4,
                    "max_age": 19,
                    "annual_cost": 30000,
                },
            ],
        }
    )
    client = MatchingClient(Settings(data_dir=tmp_path, matching_url=services.matching_url))
    try:
        proposal = client.propose(request, request_id="cross-service-1")
    finally:
        client.close()
    assert proposal.totals.placed == 2
    assert [u.child_id for u in proposal.unplaced] == ["c-2"]
    honoured = {a.child_id: a.preference_honoured for a in proposal.assignments}
    assert honoured["c-0"] is True
