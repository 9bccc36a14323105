"""Behind a gateway and a browser: CORS for the configured origins only, forwarded headers
trusted from the configured proxies only (so `Link` URLs are https behind TLS), and Prometheus
metrics at `/metrics` by route template, with no identifier in a label."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cases_factories import child_body
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Connection

from cases_api.app import create_app
from cases_api.settings import Settings

PORTAL = "https://portal.example.gov.uk"
PROXY = "10.0.0.7"
Auth = Callable[..., dict[str, str]]


def _bound(app: FastAPI, connection: Connection) -> FastAPI:
    from conftest import _session_on

    app.state.session_factory = lambda: _session_on(connection)
    return app


@pytest.fixture(scope="module")
def gateway_app(settings: Settings) -> FastAPI:
    return create_app(
        settings.model_copy(update={"cors_origins": [PORTAL], "forwarded_allow_ips": PROXY})
    )


@pytest.fixture
def via_proxy(gateway_app: FastAPI, connection: Connection) -> Iterator[TestClient]:
    with TestClient(_bound(gateway_app, connection), client=(PROXY, 40000)) as client:
        yield client


@pytest.fixture
def direct(gateway_app: FastAPI, connection: Connection) -> Iterator[TestClient]:
    with TestClient(_bound(gateway_app, connection), client=("192.0.2.9", 40000)) as client:
        yield client


def _preflight(client: TestClient, origin: str) -> Any:
    return client.options(
        "/v1/children",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, if-match, idempotency-key, "
            "x-access-reason, content-type",
        },
    )


def test_a_preflight_from_an_allowed_origin_is_answered(direct: TestClient) -> None:
    response = _preflight(direct, PORTAL)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == PORTAL
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert {"authorization", "if-match", "idempotency-key", "x-access-reason"} <= allowed
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in response.headers


def test_a_preflight_from_another_origin_is_refused(direct: TestClient) -> None:
    response = _preflight(direct, "https://evil.example.com")
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_a_browser_reads_the_headers_it_needs(direct: TestClient, officer: dict[str, str]) -> None:
    response = direct.get("/v1/children", headers=officer | {"Origin": PORTAL})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == PORTAL
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "link", "location", "x-request-id", "retry-after"} <= exposed


def test_without_configured_origins_there_are_no_cors_headers(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = client.get("/v1/children", headers=officer | {"Origin": PORTAL})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert _preflight(client, PORTAL).status_code == 405


def _next_link(client: TestClient, officer: dict[str, str]) -> str:
    for _ in range(2):
        created = client.post("/v1/children", json=child_body(), headers=officer)
        assert created.status_code == 201, created.text
    response = client.get("/v1/children?limit=1", headers=officer | {"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    return response.headers["link"]


def test_links_are_https_behind_a_trusted_proxy(
    via_proxy: TestClient, officer: dict[str, str]
) -> None:
    link = _next_link(via_proxy, officer)
    assert link.startswith("<https://testserver/v1/children?"), link


def test_forwarded_headers_from_anyone_else_are_ignored(
    direct: TestClient, officer: dict[str, str]
) -> None:
    link = _next_link(direct, officer)
    assert link.startswith("<http://testserver/v1/children?"), link


def _scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_metrics_count_requests_by_route_template(
    client: TestClient, officer: dict[str, str]
) -> None:
    child = client.post("/v1/children", json=child_body(), headers=officer).json()
    before = _scrape(client)
    for _ in range(3):
        assert client.get(f"/v1/children/{child['id']}", headers=officer).status_code == 200
    assert client.get("/v1/children/not-a-uuid", headers=officer).status_code == 422
    assert client.get("/nowhere").status_code == 404
    after = _scrape(client)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    one_child = {"method": "GET", "route": "/v1/children/{child_id}"}
    assert delta("cases_http_requests_total", **one_child, status="200") == 3
    assert delta("cases_http_requests_total", **one_child, status="422") == 1
    assert delta("cases_http_request_duration_seconds_count", **one_child, status="200") == 3
    assert delta("cases_http_requests_total", method="GET", route="<unmatched>", status="404") == 1
    labels = [dict(key[1]) for key in after if key[0] == "cases_http_requests_total"]
    assert not any(child["id"] in label.get("route", "") for label in labels)
    assert not any("/metrics" in label.get("route", "") for label in labels)
    assert ("cases_matching_circuit_breaker_state", ()) in after


def test_metrics_are_not_in_the_openapi_document(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_metrics_can_be_turned_off(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"metrics_enabled": False}))
    with TestClient(app) as client:
        assert client.get("/metrics").status_code == 404


def test_settings_read_origins_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASES_CORS_ORIGINS", f"{PORTAL}, https://other.example.gov.uk")
    assert Settings().cors_origins == [PORTAL, "https://other.example.gov.uk"]
