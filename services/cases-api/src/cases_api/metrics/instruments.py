"""The metrics of the cases API, registered once per process in the default registry.

With several worker processes, `PROMETHEUS_MULTIPROC_DIR` makes prometheus_client keep each
process's values in files there, and `/metrics` adds them up (see `send_contracts.metrics`).
"""

from prometheus_client import Counter, Gauge, Histogram

from send_contracts.metrics import HttpMetrics

HTTP = HttpMetrics("cases")
MATCHING_CALLS = Counter(
    "cases_matching_calls",
    "Calls to the matching service, by outcome: ok, unavailable (down, slow or 5xx), "
    "circuit_open (refused by the breaker without calling), contract_broken.",
    ["outcome"],
)
MATCHING_BREAKER_STATE = Gauge(
    "cases_matching_circuit_breaker_state",
    "The circuit breaker in front of the matching service: 0 closed, 1 half-open, 2 open.",
    multiprocess_mode="livemax",
)
PROPOSALS = Counter(
    "cases_proposals",
    "Proposals received from the matching service, by status.",
    ["status"],
)
PROPOSAL_SOLVE_SECONDS = Histogram(
    "cases_proposal_solve_seconds",
    "Solve time the matching service reports for each proposal.",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0),
)

BREAKER_STATES = {"closed": 0, "half-open": 1, "open": 2}
