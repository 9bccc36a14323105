"""Serving behind a gateway and to browsers, the same in both services: CORS from settings,
forwarded headers from trusted proxies, metrics. Needs the `http` extra.

Applied as ASGI middleware so any server gets them; a service's `serve` command may also pass the
trusted proxies to uvicorn, which applies the same rule (the second pass changes nothing).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import FastAPI
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode
from starlette.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from send_contracts.metrics import HttpMetrics, install_metrics


class GatewaySettings(BaseSettings):
    """The settings of `install_gateway`; each service's settings class extends it (and so reads
    them with its own prefix: `CASES_CORS_ORIGINS`, `MATCHING_CORS_ORIGINS`)."""

    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Browser origins allowed to call the API, comma-separated "
        "(https://portal.example.gov.uk); empty: no CORS headers at all.",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Proxies trusted for X-Forwarded-Proto and X-Forwarded-For: comma-separated "
        "IPs or networks, or * (only when nothing else can reach the port); empty: none.",
    )
    metrics_enabled: bool = Field(
        default=True, description="Serve Prometheus metrics at /metrics (no token)."
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


@dataclass(frozen=True)
class CorsPolicy:
    """What a browser client may send and read beyond the CORS-safelisted methods and headers."""

    methods: Sequence[str]
    request_headers: Sequence[str]
    response_headers: Sequence[str]


def install_gateway(
    app: FastAPI, settings: GatewaySettings, *, cors: CorsPolicy, metrics: HttpMetrics
) -> None:
    """Add the middleware, outermost last: forwarded headers, then metrics, then CORS."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=list(cors.methods),
            allow_headers=list(cors.request_headers),
            expose_headers=list(cors.response_headers),
            allow_credentials=False,  # bearer tokens, never cookies
            max_age=600,
        )
    if settings.metrics_enabled:
        install_metrics(app, metrics)
    if settings.forwarded_allow_ips:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
