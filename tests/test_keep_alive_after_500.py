"""An unexpected error is a 500 problem and the keep-alive connection stays usable, in both
services, over real HTTP: uvicorn (httptools, as served) on loopback, one client connection."""

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import pytest
import uvicorn
from cross_service import free_port
from fastapi import FastAPI, Request

from cases_api.app import create_app as create_cases_app
from cases_api.migrate import upgrade_to_head
from cases_api.settings import Settings as CasesSettings
from send_contracts import PROBLEM_MEDIA_TYPE
from send_matching.app import create_app as create_matching_app
from send_matching.settings import Settings as MatchingSettings


def _cases_app(tmp_path: Path) -> FastAPI:
    settings = CasesSettings(data_dir=tmp_path, log_level="CRITICAL")
    upgrade_to_head(settings)  # the app refuses a schema that is not at its release's head
    return create_cases_app(settings)


def _matching_app(_: Path) -> FastAPI:
    return create_matching_app(MatchingSettings(log_level="CRITICAL"))


def _with_test_routes(app: FastAPI) -> FastAPI:
    def boom() -> None:
        raise RuntimeError("a bug")

    def client_port(request: Request) -> int:
        assert request.client is not None
        return request.client.port

    app.add_api_route("/test/boom", boom)
    app.add_api_route("/test/client-port", client_port)
    return app


@pytest.fixture(params=[_cases_app, _matching_app], ids=["cases-api", "matching"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    make: Callable[[Path], FastAPI] = request.param
    port = free_port()
    config = uvicorn.Config(
        _with_test_routes(make(tmp_path)),
        host="127.0.0.1",
        port=port,
        http="httptools",
        ws="none",
        log_config=None,
        log_level="critical",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_500_is_a_problem_and_the_connection_stays_open(served: str) -> None:
    with httpx2.Client(base_url=served, limits=httpx2.Limits(max_connections=1)) as client:
        before = client.get("/test/client-port")
        failed = client.get("/test/boom", headers={"X-Request-ID": "boom-1"})
        after = client.get("/test/client-port")

    assert failed.status_code == 500
    assert failed.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert failed.json()["status"] == 500
    assert "a bug" not in failed.text
    assert failed.headers["X-Request-ID"] == "boom-1"
    assert failed.headers.get("connection", "").lower() != "close"
    # The same client port: the third request went over the first request's connection.
    assert after.status_code == before.status_code == 200
    assert after.json() == before.json()
