"""Calling `POST /v1/proposals` on the matching service."""

import contextlib
from typing import Any

import httpx2
import pybreaker
import stamina
import structlog
from pydantic import ValidationError

from cases_api.core.errors import DomainError
from cases_api.metrics.instruments import (
    BREAKER_STATES,
    MATCHING_BREAKER_STATE,
    MATCHING_CALLS,
    PROPOSAL_SOLVE_SECONDS,
    PROPOSALS,
)
from cases_api.settings import Settings
from send_contracts.matching import ProposalRequest, ProposalResponse

log = structlog.get_logger(__name__)


class MatchingUnavailable(DomainError):
    """The matching service is down, slow, or failing; nothing was changed here."""

    status = 503
    title = "Matching service unavailable"
    type_slug = "matching-unavailable"


class MatchingContractBroken(DomainError):
    """The matching service answered something that breaks the contract; nothing was stored."""

    status = 502
    title = "Bad gateway"
    type_slug = "matching-contract-broken"

    def __init__(self, detail: str) -> None:
        # A broken answer is unlikely to mend itself within seconds: ask for a longer wait.
        super().__init__(detail, headers={"Retry-After": "60"})


class _ServerFailing(Exception):
    """A 5xx from the matching service: counted by the breaker, retried when it is a 503."""

    def __init__(self, status: int) -> None:
        super().__init__(f"matching answered {status}")
        self.status = status


class _BreakerStateGauge(pybreaker.CircuitBreakerListener):
    """Keeps the breaker's state in a gauge, as it changes."""

    def state_change(
        self,
        cb: pybreaker.CircuitBreaker,
        old_state: pybreaker.CircuitBreakerState | None,
        new_state: pybreaker.CircuitBreakerState,
    ) -> None:
        MATCHING_BREAKER_STATE.set(BREAKER_STATES[str(new_state.name)])


def _retryable(error: Exception) -> bool:
    # Only failures where the request certainly did no work on the other side, or the service
    # said so (503); a read timeout is not retried, the solve may still be running.
    if isinstance(error, httpx2.ConnectError | httpx2.ConnectTimeout | httpx2.PoolTimeout):
        return True
    return isinstance(error, _ServerFailing) and error.status == 503


class MatchingClient:
    """One per process; thread-safe."""

    def __init__(
        self, settings: Settings, *, transport: httpx2.BaseTransport | None = None
    ) -> None:
        self._settings = settings
        self._http = httpx2.Client(
            base_url=settings.matching_url,
            transport=transport,
            headers={"Accept": "application/json"},
        )
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=settings.matching_breaker_failures,
            reset_timeout=settings.matching_breaker_reset_s,
            name="matching",
            listeners=[_BreakerStateGauge()],
        )
        MATCHING_BREAKER_STATE.set(BREAKER_STATES[self.breaker_state])

    def close(self) -> None:
        """Release the connection pool."""
        self._http.close()

    @property
    def breaker_state(self) -> str:
        """`closed`, `open` or `half-open`."""
        return str(self._breaker.current_state)

    def propose(
        self, request: ProposalRequest, *, request_id: str | None = None
    ) -> ProposalResponse:
        """The matching service's proposal for this request, checked against the contract."""
        try:
            body = self._breaker.call(self._post_with_retries, request, request_id)
        except pybreaker.CircuitBreakerError as error:
            MATCHING_CALLS.labels("circuit_open").inc()
            raise self._unavailable("is failing and is being given time to recover") from error
        except (httpx2.TimeoutException, httpx2.TransportError, _ServerFailing) as error:
            MATCHING_CALLS.labels("unavailable").inc()
            log.warning("matching_call_failed", error=repr(error))
            raise self._unavailable(f"did not answer in time or failed ({error})") from error
        except MatchingContractBroken:
            MATCHING_CALLS.labels("contract_broken").inc()
            raise
        try:
            proposal = _checked_response(body, request)
        except MatchingContractBroken:
            MATCHING_CALLS.labels("contract_broken").inc()
            raise
        MATCHING_CALLS.labels("ok").inc()
        PROPOSALS.labels(str(proposal.status)).inc()
        PROPOSAL_SOLVE_SECONDS.observe(proposal.solver.seconds)
        return proposal

    def _unavailable(self, what: str) -> MatchingUnavailable:
        retry_after = (
            int(self._settings.matching_breaker_reset_s) if self.breaker_state == "open" else 5
        )
        return MatchingUnavailable(
            f"The matching service {what}. Nothing was changed; retry later.",
            headers={"Retry-After": str(max(1, retry_after))},
        )

    def _post_with_retries(self, request: ProposalRequest, request_id: str | None) -> bytes:
        timeout = httpx2.Timeout(
            connect=self._settings.matching_connect_timeout_s,
            read=request.options.time_limit_s + self._settings.matching_read_margin_s,
            write=10.0,
            pool=self._settings.matching_connect_timeout_s,
        )
        headers = {"X-Request-ID": request_id} if request_id else {}
        payload = request.model_dump(mode="json")
        for attempt in stamina.retry_context(
            on=_retryable,
            attempts=self._settings.matching_retries + 1,
            wait_initial=0.1,
            wait_max=1.0,
        ):
            with attempt:
                response = self._http.post(
                    "/v1/proposals", json=payload, headers=headers, timeout=timeout
                )
                if response.status_code >= 500:
                    raise _ServerFailing(response.status_code)
                if response.status_code != 200:
                    raise _refused(response)
                return response.content
        raise AssertionError("unreachable: stamina re-raises the last error")  # pragma: no cover


def _refused(response: httpx2.Response) -> MatchingContractBroken:
    detail: Any = response.text[:500]
    with contextlib.suppress(ValueError):
        parsed = response.json()
        if isinstance(parsed, dict):
            detail = parsed.get("detail", detail)
    return MatchingContractBroken(
        f"The matching service refused the request ({response.status_code}): {detail}"
    )


def _checked_response(body: bytes, request: ProposalRequest) -> ProposalResponse:
    try:
        proposal = ProposalResponse.model_validate_json(body)
    except ValidationError as error:
        raise MatchingContractBroken(
            f"The matching service's answer breaks the contract: {error.error_count()} "
            f"invalid fields, first: {error.errors()[0]['loc']}"
        ) from error
    asked = [child.id for child in request.children]
    answered = [a.child_id for a in proposal.assignments] + [u.child_id for u in proposal.unplaced]
    if sorted(asked) != sorted(answered):
        raise MatchingContractBroken(
            "The matching service's answer does not account for each child exactly once."
        )
    known = {provision.id for provision in request.provisions}
    if any(assignment.provision_id not in known for assignment in proposal.assignments):
        raise MatchingContractBroken("The matching service named a provision it was not given.")
    return proposal
