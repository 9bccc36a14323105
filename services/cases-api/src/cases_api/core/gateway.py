"""Serving behind a gateway and to browsers: CORS, trusted forwarded headers, metrics.

Applied as ASGI middleware so any server gets them; `cases-api serve` also passes the trusted
proxies to uvicorn, which applies the same rule (the second pass changes nothing).
"""

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from cases_api.metrics.install import install_metrics
from cases_api.settings import Settings

# What a browser client sends and reads beyond the CORS-safelisted headers.
CORS_REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Access-Reason",
    "X-Request-ID",
)
CORS_RESPONSE_HEADERS = ("ETag", "Link", "Location", "X-Request-ID", "Retry-After")


def install_gateway(app: FastAPI, settings: Settings) -> None:
    """Add the middleware, outermost last: forwarded headers, then metrics, then CORS."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=list(CORS_REQUEST_HEADERS),
            expose_headers=list(CORS_RESPONSE_HEADERS),
            allow_credentials=False,  # bearer tokens, never cookies
            max_age=600,
        )
    if settings.metrics_enabled:
        install_metrics(app)
    if settings.forwarded_allow_ips:
        app.add_middleware(
            ProxyHeadersMiddleware,
            trusted_hosts=settings.forwarded_allow_ips,
        )
