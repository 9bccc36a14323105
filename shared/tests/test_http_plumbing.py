"""The shared request ids, HTTP metrics and gateway set-up on a small app, as a client sees them."""

import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from pydantic_settings import SettingsConfigDict

from send_contracts.gateway import CorsPolicy, GatewaySettings, install_gateway
from send_contracts.metrics import HttpMetrics
from send_contracts.request_id import RequestIdMiddleware

# Registered once per process in the default registry, as a service does.
_METRICS = HttpMetrics("plumbingtest", latency_buckets=(0.1, 1.0))
_CORS = CorsPolicy(
    methods=("GET",), request_headers=("X-Request-ID",), response_headers=("X-Request-ID",)
)


class _Settings(GatewaySettings):
    model_config = SettingsConfigDict(env_prefix="PLUMBINGTEST_")


def _app(settings: _Settings) -> FastAPI:
    app = FastAPI()
    items = APIRouter(prefix="/items")

    @items.get("/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    app.include_router(items, prefix="/v1")
    app.add_middleware(RequestIdMiddleware, logger="plumbingtest.access")
    install_gateway(app, settings, cors=_CORS, metrics=_METRICS)
    return app


def test_settings_read_comma_separated_origins_with_the_service_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLUMBINGTEST_CORS_ORIGINS", " https://a.example , https://b.example,")
    monkeypatch.setenv("PLUMBINGTEST_METRICS_ENABLED", "false")
    settings = _Settings()
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.metrics_enabled is False
    assert settings.forwarded_allow_ips == ""


def test_a_sane_request_id_is_echoed_and_a_bad_one_replaced() -> None:
    client = TestClient(_app(_Settings()))
    echoed = client.get("/v1/items/1", headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"]
    assert echoed == "abc-1"
    made = client.get("/v1/items/1", headers={"X-Request-ID": "not ok!"}).headers["X-Request-ID"]
    assert made != "not ok!"
    assert len(made) == 32


def test_metrics_count_by_prefixed_name_and_full_route_template_never_the_scrape() -> None:
    client = TestClient(_app(_Settings()))
    item = {"method": "GET", "route": "/v1/items/{item_id}", "status": "200"}
    before = REGISTRY.get_sample_value("plumbingtest_http_requests_total", item) or 0.0
    client.get("/v1/items/41")
    client.get("/v1/items/42")
    client.get("/nowhere")
    scrape = client.get("/metrics")
    assert scrape.status_code == 200
    assert REGISTRY.get_sample_value("plumbingtest_http_requests_total", item) == before + 2
    text = scrape.text
    assert 'plumbingtest_http_requests_total{method="GET",route="<unmatched>",status="404"}' in text
    assert 'plumbingtest_http_request_duration_seconds_bucket{le="1.0",' in text
    assert 'route="/metrics"' not in text
    assert "/v1/items/41" not in text


def test_gateway_adds_only_what_the_settings_turn_on() -> None:
    bare = TestClient(_app(_Settings(metrics_enabled=False)))
    assert bare.get("/metrics").status_code == 404
    assert (
        "access-control-allow-origin"
        not in bare.get("/v1/items/1", headers={"Origin": "https://a.example"}).headers
    )

    browser = TestClient(_app(_Settings(cors_origins=["https://a.example"])))
    preflight = browser.options(
        "/v1/items/1",
        headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["access-control-allow-origin"] == "https://a.example"
    assert preflight.headers["access-control-allow-methods"] == "GET"


def test_forwarded_headers_count_only_from_trusted_proxies() -> None:
    def seen(settings: _Settings) -> dict[str, str]:
        app = _app(settings)

        @app.get("/seen")
        def where(request: Request) -> dict[str, str]:
            return {
                "scheme": request.url.scheme,
                "client": request.client.host if request.client else "",
            }

        client = TestClient(app, client=("10.0.0.1", 1234))
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        return dict(client.get("/seen", headers=forwarded).json())

    assert seen(_Settings()) == {"scheme": "http", "client": "10.0.0.1"}
    assert seen(_Settings(forwarded_allow_ips="10.0.0.1")) == {
        "scheme": "https",
        "client": "203.0.113.7",
    }
