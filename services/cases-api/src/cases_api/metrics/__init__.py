"""Prometheus metrics: HTTP requests by route template, calls to the matching service, proposals."""
