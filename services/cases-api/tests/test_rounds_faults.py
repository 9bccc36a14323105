"""When the matching service fails midway — down, too slow, killed while solving, or answering
something that breaks the contract — the round is exactly as before and the caller gets a clear
503 or 502 problem."""

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rounds_world import World, add_cohort, build_world, free_port, open_round

from cases_api.matching_client import MatchingClient
from cases_api.settings import Settings


@pytest.fixture
def point_matching_at(app: FastAPI, tmp_path: Path) -> Iterator[Callable[..., None]]:
    original = app.state.matching_client

    def point(url: str, **settings: Any) -> None:
        app.state.matching_client = MatchingClient(
            Settings(data_dir=tmp_path, matching_url=url, **({"matching_retries": 1} | settings))
        )

    yield point
    app.state.matching_client = original


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def _read(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))


@pytest.fixture
def contract_breaker() -> Iterator[str]:
    class Broken(_Quiet):
        def do_POST(self) -> None:
            self._read()
            body = b'{"status": "optimal", "assignments": "all of them"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    yield from _serve(Broken)


@pytest.fixture
def sleeper() -> Iterator[str]:
    class Slow(_Quiet):
        def do_POST(self) -> None:
            self._read()
            time.sleep(4)

    yield from _serve(Slow)


def _state(client: TestClient, officer: dict[str, str], round_id: str) -> tuple[Any, ...]:
    round_ = client.get(f"/v1/rounds/{round_id}", headers=officer)
    return (
        round_.headers["ETag"],
        client.get(f"/v1/rounds/{round_id}/proposals", headers=officer).json(),
        client.get(f"/v1/rounds/{round_id}/summary", headers=officer).json(),
    )


@pytest.fixture
def prepared(client: TestClient, officer: dict[str, str]) -> tuple[World, str]:
    world = build_world(client, officer)
    round_ = open_round(client, officer, time_limit_s=1)
    add_cohort(client, officer, round_["id"], world)
    return world, round_["id"]


def _assert_failed_cleanly(
    client: TestClient, officer: dict[str, str], round_id: str, status: int
) -> None:
    before = _state(client, officer, round_id)
    response = client.post(f"/v1/rounds/{round_id}/proposals", headers=officer)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1
    assert _state(client, officer, round_id) == before


def test_matching_down_is_a_503_and_changes_nothing(
    client: TestClient,
    officer: dict[str, str],
    prepared: tuple[World, str],
    point_matching_at: Callable[..., None],
) -> None:
    point_matching_at(f"http://127.0.0.1:{free_port()}")
    _assert_failed_cleanly(client, officer, prepared[1], 503)


def test_an_answer_that_breaks_the_contract_is_a_502_and_changes_nothing(
    client: TestClient,
    officer: dict[str, str],
    prepared: tuple[World, str],
    point_matching_at: Callable[..., None],
    contract_breaker: str,
) -> None:
    point_matching_at(contract_breaker)
    _assert_failed_cleanly(client, officer, prepared[1], 502)


def test_a_timeout_is_a_503_and_changes_nothing(
    client: TestClient,
    officer: dict[str, str],
    prepared: tuple[World, str],
    point_matching_at: Callable[..., None],
    sleeper: str,
) -> None:
    point_matching_at(sleeper, matching_read_margin_s=0.5)
    _assert_failed_cleanly(client, officer, prepared[1], 503)


_DYING_SERVER = textwrap.dedent(
    """
    import sys
    import time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            print("solving", flush=True)
            time.sleep(60)

    server = HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print("ready", flush=True)
    server.serve_forever()
    """
)


def test_matching_killed_mid_request_is_a_503_and_changes_nothing(
    client: TestClient,
    officer: dict[str, str],
    prepared: tuple[World, str],
    point_matching_at: Callable[..., None],
) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", _DYING_SERVER, str(port)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"

    def kill_once_solving() -> None:
        assert process.stdout is not None
        if process.stdout.readline().strip() == "solving":
            process.kill()

    killer = threading.Thread(target=kill_once_solving)
    killer.start()
    try:
        point_matching_at(f"http://127.0.0.1:{port}", matching_retries=0)
        _assert_failed_cleanly(client, officer, prepared[1], 503)
    finally:
        killer.join(timeout=30)
        process.kill()
        process.wait()
        process.stdout.close()
