"""Prometheus metrics of the matching service: HTTP requests by route template (served by
`send_contracts.metrics`), proposals.

Registered once per process in the default registry. With several worker processes,
`PROMETHEUS_MULTIPROC_DIR` makes prometheus_client keep each process's values in files there,
and `/metrics` adds them up.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from send_contracts.metrics import LATENCY_BUCKETS, HttpMetrics
from send_matching.solver import Proposal

HTTP = HttpMetrics("matching", latency_buckets=(*LATENCY_BUCKETS, 120.0))
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


def record_proposal(children: int, proposal: Proposal) -> None:
    PROPOSALS.labels(str(proposal.status)).inc()
    SOLVE_SECONDS.observe(proposal.solver.seconds)
    CHILDREN_PER_REQUEST.observe(children)
