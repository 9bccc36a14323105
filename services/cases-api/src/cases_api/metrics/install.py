"""`/metrics` and the middleware that feeds it."""

from fastapi import FastAPI

from cases_api.metrics.exposition import metrics
from cases_api.metrics.middleware import HttpMetricsMiddleware


def install_metrics(app: FastAPI) -> None:
    """Serve `/metrics` (outside `/v1`, no token, left out of the OpenAPI document)."""
    app.add_middleware(HttpMetricsMiddleware)
    app.add_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
