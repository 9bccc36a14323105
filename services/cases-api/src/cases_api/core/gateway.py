"""Serving behind a gateway and to browsers (`send_contracts.gateway`): what the cases API lets a
browser send and read.

`cases-api serve` also passes the trusted proxies to uvicorn, which applies the same rule as the
middleware (the second pass changes nothing).
"""

from fastapi import FastAPI

from cases_api.metrics.instruments import HTTP
from cases_api.settings import Settings
from send_contracts import gateway

CORS = gateway.CorsPolicy(
    methods=("GET", "POST", "PUT", "PATCH", "DELETE"),
    request_headers=(
        "Authorization",
        "Content-Type",
        "If-Match",
        "If-None-Match",
        "Idempotency-Key",
        "X-Access-Reason",
        "X-Request-ID",
    ),
    response_headers=("ETag", "Link", "Location", "X-Request-ID", "Retry-After"),
)


def install_gateway(app: FastAPI, settings: Settings) -> None:
    """CORS, metrics and forwarded headers from trusted proxies, outermost."""
    gateway.install_gateway(app, settings, cors=CORS, metrics=HTTP)
