"""Both services log one JSON shape, start-up lines included: each service started as it is served
(its command, uvicorn), its stdout read line by line."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx2
from cross_service import BIN, free_port, wait_healthy

ACCESS_KEYS = {
    "event",
    "level",
    "timestamp",
    "logger",
    "service",
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
}


def _log_lines(command: list[str], port: int, environment: dict[str, str]) -> list[dict[str, Any]]:
    """Start the service, ask for /healthz with a known request id, stop it; its stdout parsed."""
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE)
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        headers = {"X-Request-ID": f"log-shape-{port}"}
        assert httpx2.get(f"http://127.0.0.1:{port}/healthz", headers=headers).status_code == 200
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=15)
    text = output.decode()
    # Every line is JSON: uvicorn's start-up and shut-down lines too, nothing printed bare.
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _access_line(lines: list[dict[str, Any]], port: int) -> dict[str, Any]:
    (line,) = [line for line in lines if line.get("request_id") == f"log-shape-{port}"]
    return line


def test_both_services_log_the_same_json_shape(tmp_path: Path) -> None:
    cases_port, matching_port = free_port(), free_port()
    environment = os.environ | {
        "CASES_DATA_DIR": str(tmp_path),
        "CASES_DATABASE_URL": f"sqlite:///{tmp_path / 'cases.db'}",
        "CASES_LOG_LEVEL": "INFO",
        "MATCHING_LOG_LEVEL": "INFO",
    }
    # A replica refuses to start on a schema behind this release's: migrate first, as operators do.
    subprocess.run(
        [str(BIN / "cases-api"), "migrate"], env=environment, check=True, capture_output=True
    )
    cases = _log_lines(
        [str(BIN / "cases-api"), "serve", "--port", str(cases_port)], cases_port, environment
    )
    matching = _log_lines(
        [str(BIN / "send-matching"), "serve", "--port", str(matching_port)],
        matching_port,
        environment,
    )
    cases_access, matching_access = (
        _access_line(cases, cases_port),
        _access_line(matching, matching_port),
    )
    assert set(cases_access) == set(matching_access) == ACCESS_KEYS
    assert (cases_access["service"], matching_access["service"]) == ("cases-api", "matching")
    for access in (cases_access, matching_access):
        assert access["event"] == "request"
        assert (access["method"], access["path"], access["status"]) == ("GET", "/healthz", 200)
        assert isinstance(access["duration_ms"], float | int)
    for lines, service in ((cases, "cases-api"), (matching, "matching")):
        started = [line for line in lines if str(line["event"]).startswith("Uvicorn running on")]
        assert started, f"{service} logged no start-up line"
        assert started[0]["logger"] == "uvicorn.error"
        assert {line["service"] for line in lines} == {service}
        assert all({"event", "level", "timestamp", "logger"} <= set(line) for line in lines)
