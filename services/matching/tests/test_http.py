"""The HTTP layer: problem+json for every bad input, never a 500; ids, health and OpenAPI."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from send_matching.api import EXAMPLE_REQUEST
from send_matching.app import create_app
from send_matching.settings import Settings

PROBLEM = "application/problem+json"


def _with(change: str, value: Any) -> dict[str, Any]:
    """The example request with one dotted path set (or deleted when value is ...)."""
    body = copy.deepcopy(EXAMPLE_REQUEST)
    *parents, last = change.split(".")
    target: Any = body
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return body


def test_example_request_is_answered(client: TestClient) -> None:
    response = client.post("/v1/proposals", json=EXAMPLE_REQUEST)
    assert response.status_code == 200
    body = response.json()
    assert body["totals"]["placed"] == 2
    assert body["assignments"][0]["preference_honoured"] is True


@pytest.mark.parametrize(
    ("change", "value", "location"),
    [
        ("children.0.colour", "blue", "body.children.0.colour"),
        ("options.typo", 1, "body.options.typo"),
        ("children.0.age", ..., "body.children.0.age"),
        ("provisions.0.designated_needs", ..., "body.provisions.0.designated_needs"),
        ("children.0.location.lat", 91, "body.children.0.location.lat"),
        ("provisions.0.location.lon", -180.5, "body.provisions.0.location.lon"),
        ("provisions.0.capacity", -1, "body.provisions.0.capacity"),
        ("provisions.0.capacity_by_need", {"ASD": -2}, "body.provisions.0.capacity_by_need.ASD"),
        ("children.0.primary_need", "XYZ", "body.children.0.primary_need"),
        ("provisions.0.designated_needs", ["ASD", "NSA"], "body.provisions.0.designated_needs.1"),
        ("children.0.suitable_kinds", [], "body.children.0.suitable_kinds"),
        ("children.1.id", "c-00017", "body.children"),
        ("provisions.1.id", "rb-0004", "body.provisions"),
        ("options.time_limit_s", 301, "body.options.time_limit_s"),
        ("options.preferences", "sometimes", "body.options.preferences"),
        ("provisions.0.min_age", 12, "body.provisions.0.max_age"),
        ("options.budget", -5, "body.options.budget"),
    ],
)
def test_bad_input_is_a_422_problem(
    client: TestClient, change: str, value: Any, location: str
) -> None:
    response = client.post("/v1/proposals", json=_with(change, value))
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    assert problem["title"]
    assert location in [e["location"] for e in problem["errors"]]


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2", b"\xff\xfe", b'{"a": "\xff"}'])
def test_malformed_json_is_a_400_problem(client: TestClient, content: bytes) -> None:
    response = client.post(
        "/v1/proposals", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "/problems/malformed-json"
    assert problem["detail"].startswith("The request body is not valid JSON")
    assert "codec" not in response.text


def test_an_empty_body_is_a_missing_body(client: TestClient) -> None:
    response = client.post("/v1/proposals", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"location": "body", "message": "Field required"}]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_a_415_problem(client: TestClient, content_type: str) -> None:
    response = client.post(
        "/v1/proposals",
        content=json.dumps(EXAMPLE_REQUEST).encode(),
        headers={"content-type": content_type},
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "/problems/unsupported-media-type"
    assert response.headers["accept-post"] == "application/json"


def test_every_problem_type_page_resolves(client: TestClient) -> None:
    registry = client.app.state.problem_types  # type: ignore[attr-defined]
    slugs = {problem_type.slug for problem_type in registry}
    assert {"malformed-json", "unsupported-media-type", "invalid-input", "internal-error"} <= slugs
    for problem_type in registry:
        page = client.get(problem_type.uri)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert problem_type.title in page.text
    listed = client.get("/problems", headers={"accept": "application/json"}).json()["items"]
    assert {item["type"] for item in listed} == {t.uri for t in registry}


def test_body_over_the_limit_is_a_413_problem() -> None:
    client = TestClient(create_app(Settings(max_body_bytes=4096)))
    body = _with("children", [copy.deepcopy(EXAMPLE_REQUEST["children"][1])] * 100)
    response = client.post("/v1/proposals", json=body)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 413


def test_streamed_body_over_the_limit_is_a_413_problem() -> None:
    client = TestClient(create_app(Settings(max_body_bytes=4096)))

    def chunks() -> Any:
        yield b'{"children": ['
        for _ in range(1000):  # 12 kB, three times the limit
            yield b'{"id": "x"},'
        yield b'{"id": "y"}]}'

    response = client.post(
        "/v1/proposals", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_unknown_route_and_method_are_problems(client: TestClient) -> None:
    missing = client.get("/v1/nothing-here")
    assert (missing.status_code, missing.headers["content-type"]) == (404, PROBLEM)
    wrong = client.get("/v1/proposals")
    assert (wrong.status_code, wrong.headers["content-type"]) == (405, PROBLEM)


def test_unexpected_error_is_a_500_problem_without_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(_: Any) -> bytes:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("send_matching.api._solve", explode)
    client = TestClient(create_app(), raise_server_exceptions=False)
    response = client.post("/v1/proposals", json=EXAMPLE_REQUEST)
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "/problems/internal-error"
    assert response.json()["detail"].endswith("Quote the request id when reporting this.")
    for leaked in ("secret", "Traceback", "RuntimeError", "send_matching"):
        assert leaked not in response.text


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    given = client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
    hostile = client.get("/healthz", headers={"x-request-id": "bad id\twith tabs"})
    assert hostile.headers["x-request-id"] != "bad id\twith tabs"


def test_request_id_is_in_the_log_lines(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    client.get("/healthz", headers={"x-request-id": "trace-me-42"})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"event"' in line]
    request_lines = [line for line in lines if line.get("event") == "request"]
    assert request_lines
    assert request_lines[-1]["request_id"] == "trace-me-42"
    assert request_lines[-1]["status"] == 200
    assert request_lines[-1]["service"] == "matching"
    assert request_lines[-1]["duration_ms"] >= 0


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_is_3_1_with_operation_ids_tags_and_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    operations = [op for path in spec["paths"].values() for op in path.values()]
    assert all(op.get("operationId") and op.get("tags") for op in operations)
    create = spec["paths"]["/v1/proposals"]["post"]
    assert create["operationId"] == "createProposal"
    examples = create["requestBody"]["content"]["application/json"]["examples"]
    assert examples
    assert spec["paths"]["/healthz"]["get"]["operationId"] == "getHealth"
