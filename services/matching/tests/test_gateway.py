"""Behind a gateway and a browser: CORS for the configured origins only, forwarded headers from
trusted proxies only, and Prometheus metrics at `/metrics` (requests by route template, proposals,
solve time, children per request)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from send_matching.api import EXAMPLE_REQUEST
from send_matching.app import create_app
from send_matching.settings import Settings

PORTAL = "https://portal.example.gov.uk"


@pytest.fixture(scope="module")
def gateway() -> TestClient:
    return TestClient(create_app(Settings(cors_origins=[PORTAL], forwarded_allow_ips="10.0.0.7")))


def _preflight(client: TestClient, origin: str) -> Any:
    return client.options(
        "/v1/proposals",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-request-id",
        },
    )


def test_a_preflight_from_an_allowed_origin_is_answered(gateway: TestClient) -> None:
    response = _preflight(gateway, PORTAL)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == PORTAL


def test_a_preflight_from_another_origin_is_refused(gateway: TestClient) -> None:
    response = _preflight(gateway, "https://evil.example.com")
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_without_configured_origins_there_are_no_cors_headers(client: TestClient) -> None:
    response = client.get("/healthz", headers={"Origin": PORTAL})
    assert "access-control-allow-origin" not in response.headers


def test_forwarded_headers_are_trusted_only_when_configured(gateway: TestClient) -> None:
    app = gateway.app
    assert isinstance(app, FastAPI)
    assert any(m.cls is ProxyHeadersMiddleware for m in app.user_middleware)
    plain = create_app(Settings())
    assert not any(m.cls is ProxyHeadersMiddleware for m in plain.user_middleware)


def _scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_metrics_count_proposals_and_requests_by_route(client: TestClient) -> None:
    before = _scrape(client)
    for _ in range(2):
        assert client.post("/v1/proposals", json=EXAMPLE_REQUEST).status_code == 200
    assert client.post("/v1/proposals", json={"children": []}).status_code == 422
    after = _scrape(client)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    route = {"method": "POST", "route": "/v1/proposals"}
    assert delta("matching_http_requests_total", **route, status="200") == 2
    assert delta("matching_http_requests_total", **route, status="422") == 1
    assert delta("matching_http_request_duration_seconds_count", **route, status="200") == 2
    proposals = sum(
        value - before.get(key, 0.0)
        for key, value in after.items()
        if key[0] == "matching_proposals_total"
    )
    assert proposals == 2
    assert delta("matching_solve_seconds_count") == 2
    assert delta("matching_children_per_request_sum") == 2 * len(EXAMPLE_REQUEST["children"])


def test_metrics_stay_out_of_the_openapi_document_and_can_be_turned_off(
    client: TestClient,
) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]
    with TestClient(create_app(Settings(metrics_enabled=False))) as off:
        assert off.get("/metrics").status_code == 404
