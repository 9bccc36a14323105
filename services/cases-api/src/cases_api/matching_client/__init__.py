"""The HTTP client of the matching service: timeouts, safe retries, a circuit breaker, and a
response checked against the contract before anyone relies on it."""

from cases_api.matching_client.client import (
    MatchingClient,
    MatchingContractBroken,
    MatchingUnavailable,
)

__all__ = ["MatchingClient", "MatchingContractBroken", "MatchingUnavailable"]
