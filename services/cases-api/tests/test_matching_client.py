"""The matching client: contract checks, safe retries, timeouts and the circuit breaker."""

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2
import pytest

from cases_api.matching_client import MatchingClient, MatchingContractBroken, MatchingUnavailable
from cases_api.settings import Settings
from send_contracts.matching import ProposalRequest

REQUEST = ProposalRequest.model_validate(
    {
        "children": [
            {
                "id": "c-1",
                "location": {"lat": 52.77, "lon": -1.2},
                "age": 11,
                "primary_need": "ASD",
                "suitable_kinds": ["resource_base"],
                "preferences": [],
            }
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
            }
        ],
        "options": {"time_limit_s": 1},
    }
)


def _answer(child_ids: list[str], provision_id: str = "rb-1") -> dict[str, Any]:
    return {
        "status": "optimal",
        "assignments": [
            {
                "child_id": child_id,
                "provision_id": provision_id,
                "distance_km": 1.3,
                "annual_cost": 19000,
                "transport_cost": 520.0,
                "preference_honoured": False,
                "explanation": "Nearest suitable provision with a free place.",
                "nearer_alternatives": [],
            }
            for child_id in child_ids
        ],
        "unplaced": [],
        "preferences_not_honoured": [],
        "totals": {
            "children": 1,
            "placed": len(child_ids),
            "unplaced": 0,
            "preferences_requested": 0,
            "preferences_honoured": 0,
            "annual_cost": 19000,
            "transport_cost": 520.0,
            "total_cost": 19520.0,
            "distance_km": 1.3,
            "budget": None,
            "overspend": 0,
        },
        "solver": {
            "engine": "min_cost_flow",
            "seconds": 0.01,
            "gap": 0.0,
            "time_limit_reached": False,
        },
    }


Handler = Callable[[httpx2.Request], httpx2.Response]


def _client(tmp_path: Path, handler: Handler, **overrides: Any) -> MatchingClient:
    settings = Settings(data_dir=tmp_path, **overrides)
    return MatchingClient(settings, transport=httpx2.MockTransport(handler))


def test_a_valid_answer_is_returned(tmp_path: Path) -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json=_answer(["c-1"]))

    proposal = _client(tmp_path, handler).propose(REQUEST, request_id="req-42")
    assert proposal.assignments[0].provision_id == "rb-1"
    assert seen[0].headers["X-Request-ID"] == "req-42"
    assert json.loads(seen[0].content)["children"][0]["id"] == "c-1"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<html>oops</html>", id="not-json"),
        pytest.param(json.dumps({"status": "optimal"}).encode(), id="missing-fields"),
        pytest.param(json.dumps(_answer([])).encode(), id="child-missing"),
        pytest.param(json.dumps(_answer(["c-1", "c-1"])).encode(), id="child-twice"),
        pytest.param(json.dumps(_answer(["c-1"], "rb-unknown")).encode(), id="unknown-provision"),
    ],
)
def test_an_answer_that_breaks_the_contract_is_a_502(tmp_path: Path, body: bytes) -> None:
    client = _client(tmp_path, lambda _: httpx2.Response(200, content=body))
    with pytest.raises(MatchingContractBroken):
        client.propose(REQUEST)


def test_a_refusal_of_our_request_is_a_502_naming_the_reason(tmp_path: Path) -> None:
    client = _client(
        tmp_path,
        lambda _: httpx2.Response(422, json={"title": "Invalid", "detail": "duplicate ids"}),
    )
    with pytest.raises(MatchingContractBroken, match="duplicate ids"):
        client.propose(REQUEST)


def test_connect_errors_are_retried_then_reported_as_503(tmp_path: Path) -> None:
    calls = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        raise httpx2.ConnectError("connection refused", request=request)

    client = _client(tmp_path, handler, matching_retries=2)
    with pytest.raises(MatchingUnavailable) as raised:
        client.propose(REQUEST)
    assert len(calls) == 3
    assert raised.value.headers["Retry-After"]


def test_a_503_then_success_is_retried(tmp_path: Path) -> None:
    answers = iter([httpx2.Response(503), httpx2.Response(200, json=_answer(["c-1"]))])
    client = _client(tmp_path, lambda _: next(answers))
    assert client.propose(REQUEST).totals.placed == 1


def test_a_500_is_not_retried(tmp_path: Path) -> None:
    calls = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        return httpx2.Response(500)

    with pytest.raises(MatchingUnavailable):
        _client(tmp_path, handler).propose(REQUEST)
    assert len(calls) == 1


def test_the_breaker_opens_and_stops_calling_a_dead_service(tmp_path: Path) -> None:
    calls = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        return httpx2.Response(500)

    client = _client(tmp_path, handler, matching_breaker_failures=3, matching_breaker_reset_s=60)
    for _ in range(3):
        with pytest.raises(MatchingUnavailable):
            client.propose(REQUEST)
    assert client.breaker_state == "open"
    with pytest.raises(MatchingUnavailable) as raised:
        client.propose(REQUEST)
    assert len(calls) == 3
    assert raised.value.headers["Retry-After"] == "60"


def test_contract_breaks_do_not_open_the_breaker(tmp_path: Path) -> None:
    client = _client(
        tmp_path, lambda _: httpx2.Response(200, content=b"{}"), matching_breaker_failures=2
    )
    for _ in range(3):
        with pytest.raises(MatchingContractBroken):
            client.propose(REQUEST)
    assert client.breaker_state == "closed"


@pytest.fixture
def slow_server() -> Iterator[tuple[str, list[str]]]:
    """A real server on loopback that takes longer than the client waits, then answers."""
    received: list[str] = []

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.path)
            self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(3)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def test_a_slow_service_times_out_as_503_without_a_retry(
    tmp_path: Path, slow_server: tuple[str, list[str]]
) -> None:
    url, received = slow_server
    settings = Settings(data_dir=tmp_path, matching_url=url, matching_read_margin_s=0.5)
    client = MatchingClient(settings)
    with pytest.raises(MatchingUnavailable, match="did not answer in time"):
        client.propose(REQUEST)  # read timeout: time_limit_s 1 + 0.5 margin, server takes 3
    client.close()
    assert received == ["/v1/proposals"]  # the solve may still be running: never sent twice
