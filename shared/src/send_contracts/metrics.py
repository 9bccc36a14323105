"""Prometheus HTTP metrics both services expose: requests counted and timed by route template,
and `GET /metrics` for one process or all the workers. Needs the `http` extra (prometheus-client).

Each service names its own instruments with a prefix (`cases_http_requests_total`,
`matching_http_requests_total`) and keeps its other instruments itself. They live in the default
registry; with several worker processes, `PROMETHEUS_MULTIPROC_DIR` makes prometheus_client keep
each process's values in files there, and `/metrics` adds them up.
"""

import os
import time
from collections.abc import Sequence

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

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
METRICS_PATH = "/metrics"
UNMATCHED = "<unmatched>"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class HttpMetrics:
    """The request counter and latency histogram of one service; make it once per process."""

    def __init__(self, prefix: str, *, latency_buckets: Sequence[float] = LATENCY_BUCKETS) -> None:
        labels = ["method", "route", "status"]
        self.requests = Counter(
            f"{prefix}_http_requests",
            "HTTP requests answered, by method, route template and status.",
            labels,
        )
        self.latency = Histogram(
            f"{prefix}_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status.",
            labels,
            buckets=tuple(latency_buckets),
        )


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

    def __init__(
        self, app: ASGIApp, *, instruments: HttpMetrics, skip_path: str = METRICS_PATH
    ) -> None:
        self.app = app
        self.instruments = instruments
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
            self.instruments.requests.labels(*labels).inc()
            self.instruments.latency.labels(*labels).observe(time.perf_counter() - started)


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several workers: add up the values each process wrote in the shared directory.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


async def metrics(_: Request) -> Response:
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)


def install_metrics(app: FastAPI, instruments: HttpMetrics) -> None:
    """Serve `/metrics` (no token, left out of the OpenAPI document) and feed it."""
    app.add_middleware(HttpMetricsMiddleware, instruments=instruments)
    app.add_route(METRICS_PATH, metrics, methods=["GET"], include_in_schema=False)
