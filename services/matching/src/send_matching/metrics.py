"""Prometheus metrics of the matching service: HTTP requests by route template, proposals.

Registered once per process in the default registry. With several worker processes,
`PROMETHEUS_MULTIPROC_DIR` makes prometheus_client keep each process's values in files there,
and `/metrics` adds them up.
"""

from __future__ import annotations

import os
import time

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from send_matching.solver import Proposal

HTTP_REQUESTS = Counter(
    "matching_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "matching_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
)
PROPOSALS = Counter("matching_proposals", "Proposals made, by status.", ["status"])
SOLVE_SECONDS = Histogram(
    "matching_solve_seconds",
    "Solver time per proposal.",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0),
)
CHILDREN_PER_REQUEST = Histogram(
    "matching_children_per_request",
    "Children in each proposal request.",
    buckets=(1, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000),
)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"


def record_proposal(children: int, proposal: Proposal) -> None:
    PROPOSALS.labels(str(proposal.status)).inc()
    SOLVE_SECONDS.observe(proposal.solver.seconds)
    CHILDREN_PER_REQUEST.observe(children)


class RouteTemplates:
    """The full path template of each route (`/v1/children/{child_id}`), never the raw path, so no
    identifier becomes a label value. A route inside an included router only knows its path
    within that router; the app's route contexts know the whole one."""

    def __init__(self) -> None:
        self._by_route: dict[int, str] | None = None

    def of(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is None:
            return UNMATCHED
        if self._by_route is None and hasattr(scope.get("app"), "routes"):
            self._by_route = {
                id(context.original_route): context.path_format
                for context in iter_route_contexts(scope["app"].routes)
                if context.path_format is not None
            }
        template = (self._by_route or {}).get(id(route)) or getattr(route, "path_format", None)
        return template if isinstance(template, str) else UNMATCHED


class HttpMetricsMiddleware:
    """Pure ASGI: counts and times every HTTP request but the scrapes themselves."""

    def __init__(self, app: ASGIApp, *, skip_path: str = "/metrics") -> None:
        self.app = app
        self.skip_path = skip_path
        self.templates = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == self.skip_path:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            labels = (method, self.templates.of(scope), str(status))
            HTTP_REQUESTS.labels(*labels).inc()
            HTTP_LATENCY.labels(*labels).observe(time.perf_counter() - started)


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


async def metrics(_: Request) -> Response:
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)


def install_metrics(app: FastAPI) -> None:
    """Serve `/metrics` (no auth, left out of the OpenAPI document)."""
    app.add_middleware(HttpMetricsMiddleware)
    app.add_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
