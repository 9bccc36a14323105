"""Both services as a newcomer meets them after `make run`: real processes, real HTTP."""

import httpx2
from cross_service import RunningServices


def test_a_cli_token_lists_the_demo_provisions(services: RunningServices) -> None:
    token = services.cli("token", "--role", "officer", "--la", "855").strip().splitlines()[-1]
    response = httpx2.get(
        f"{services.cases_url}/v1/provisions",
        params={"kind": "special_school", "limit": 5},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert items
    assert all(item["kind"] == "special_school" for item in items)


def test_an_anonymous_call_gets_a_401_problem(services: RunningServices) -> None:
    response = httpx2.get(f"{services.cases_url}/v1/provisions")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_both_services_are_ready(services: RunningServices) -> None:
    assert httpx2.get(f"{services.cases_url}/readyz").json() == {"status": "ready"}
    assert httpx2.get(f"{services.matching_url}/healthz").status_code == 200


def test_seeding_twice_changes_nothing(services: RunningServices) -> None:
    assert "not seeding" in services.cli("seed")
