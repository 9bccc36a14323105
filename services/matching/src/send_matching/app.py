"""The application factory."""

from __future__ import annotations

import os
import sys

import anyio
import highspy
from fastapi import FastAPI

from send_contracts.docs import install_offline_docs
from send_contracts.gateway import CorsPolicy, install_gateway
from send_contracts.logs import configure_logging
from send_contracts.problems import install_problems
from send_contracts.request_id import RequestIdMiddleware
from send_matching.api import health_router, router
from send_matching.metrics import HTTP
from send_matching.middleware import BodyLimitMiddleware
from send_matching.settings import Settings, get_settings

# What a browser client may send and read: the proposal calls need no more.
CORS = CorsPolicy(
    methods=("GET", "POST"),
    request_headers=("Authorization", "Content-Type", "X-Request-ID"),
    response_headers=("X-Request-ID", "Retry-After"),
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging("matching", level=settings.log_level)
    _silence_highs_banner()
    app = FastAPI(
        title="SEND placement matching",
        version="1.0.0",
        summary="Stateless, explained placement proposals for SEND (contract v1).",
        openapi_tags=[
            {"name": "proposals", "description": "Who goes where, why, and at what cost."},
            {"name": "health", "description": "Liveness."},
        ],
        docs_url=None,  # served offline by install_offline_docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.solver_limiter = anyio.CapacityLimiter(settings.solver_threads)
    install_problems(app)
    app.include_router(router)
    app.include_router(health_router)
    install_offline_docs(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    # Outside the body limit: the 413 carries the request id too.
    app.add_middleware(RequestIdMiddleware, logger="send_matching.access")
    install_gateway(app, settings, cors=CORS, metrics=HTTP)
    return app


def _silence_highs_banner() -> None:
    """HiGHS prints a banner to the process's stdout on its first use; the logs there are JSON.

    Its first instance is made here, at start-up and before any request thread runs, with file
    descriptor 1 pointed at /dev/null for that moment.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
