"""The matching client's metrics: calls by outcome, proposals with their solve time, and the
circuit breaker's state as a gauge that follows it."""

from pathlib import Path

import httpx2
import pytest
from prometheus_client import REGISTRY
from test_matching_client import REQUEST, _answer

from cases_api.matching_client import MatchingClient, MatchingContractBroken, MatchingUnavailable
from cases_api.settings import Settings


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _client(tmp_path: Path, answer: httpx2.Response, **overrides: object) -> MatchingClient:
    settings = Settings(data_dir=tmp_path, matching_retries=0, **overrides)  # type: ignore[arg-type]
    return MatchingClient(settings, transport=httpx2.MockTransport(lambda _: answer))


def test_a_proposal_is_counted_with_its_solve_time(tmp_path: Path) -> None:
    before = (
        _value("cases_matching_calls_total", outcome="ok"),
        _value("cases_proposals_total", status="optimal"),
        _value("cases_proposal_solve_seconds_count"),
        _value("cases_proposal_solve_seconds_sum"),
    )
    _client(tmp_path, httpx2.Response(200, json=_answer(["c-1"]))).propose(REQUEST)
    after = (
        _value("cases_matching_calls_total", outcome="ok"),
        _value("cases_proposals_total", status="optimal"),
        _value("cases_proposal_solve_seconds_count"),
        _value("cases_proposal_solve_seconds_sum"),
    )
    assert after[0] - before[0] == 1
    assert after[1] - before[1] == 1
    assert after[2] - before[2] == 1
    assert after[3] - before[3] == pytest.approx(0.01)


def test_failures_are_counted_by_outcome_and_the_breaker_state_is_a_gauge(
    tmp_path: Path,
) -> None:
    broken = _client(tmp_path, httpx2.Response(200, content=b"<html>"))
    before = _value("cases_matching_calls_total", outcome="contract_broken")
    with pytest.raises(MatchingContractBroken):
        broken.propose(REQUEST)
    assert _value("cases_matching_calls_total", outcome="contract_broken") - before == 1

    failing = _client(tmp_path, httpx2.Response(500), matching_breaker_failures=2)
    assert _value("cases_matching_circuit_breaker_state") == 0
    unavailable = _value("cases_matching_calls_total", outcome="unavailable")
    refused = _value("cases_matching_calls_total", outcome="circuit_open")
    for _ in range(3):
        with pytest.raises(MatchingUnavailable):
            failing.propose(REQUEST)
    assert _value("cases_matching_circuit_breaker_state") == 2  # open
    assert _value("cases_matching_calls_total", outcome="unavailable") - unavailable == 1
    # The second failure opens the breaker (pybreaker raises its own error on it), the third is
    # refused without a call.
    assert _value("cases_matching_calls_total", outcome="circuit_open") - refused == 2
