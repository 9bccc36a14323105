"""Prometheus metrics: HTTP requests by route template (`send_contracts.metrics`), calls to the
matching service, proposals."""
