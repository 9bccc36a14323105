"""The lawful life of a request for an EHC needs assessment, as a state machine."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "EVENT_TARGETS",
    "FINAL_STATES",
    "IllegalTransition",
    "RequestEvent",
    "RequestState",
    "allowed_transitions",
    "is_final",
    "transition",
]


class RequestState(StrEnum):
    """Where a request stands."""

    RECEIVED = "received"
    DECIDED_TO_ASSESS = "decided_to_assess"
    REFUSED_TO_ASSESS = "refused_to_assess"
    ADVICE_REQUESTED = "advice_requested"
    DECIDED_TO_ISSUE = "decided_to_issue"
    DECIDED_NOT_TO_ISSUE = "decided_not_to_issue"
    DRAFT_ISSUED = "draft_issued"
    FINAL_ISSUED = "final_issued"
    WITHDRAWN = "withdrawn"


class RequestEvent(StrEnum):
    """What an officer (or the family, for a withdrawal) does to move a request on."""

    DECIDE_TO_ASSESS = "decide_to_assess"
    REFUSE_TO_ASSESS = "refuse_to_assess"
    REQUEST_ADVICE = "request_advice"
    DECIDE_TO_ISSUE = "decide_to_issue"
    DECIDE_NOT_TO_ISSUE = "decide_not_to_issue"
    ISSUE_DRAFT = "issue_draft"
    ISSUE_FINAL = "issue_final"
    WITHDRAW = "withdraw"


EVENT_TARGETS: Mapping[RequestEvent, RequestState] = MappingProxyType(
    {
        RequestEvent.DECIDE_TO_ASSESS: RequestState.DECIDED_TO_ASSESS,
        RequestEvent.REFUSE_TO_ASSESS: RequestState.REFUSED_TO_ASSESS,
        RequestEvent.REQUEST_ADVICE: RequestState.ADVICE_REQUESTED,
        RequestEvent.DECIDE_TO_ISSUE: RequestState.DECIDED_TO_ISSUE,
        RequestEvent.DECIDE_NOT_TO_ISSUE: RequestState.DECIDED_NOT_TO_ISSUE,
        RequestEvent.ISSUE_DRAFT: RequestState.DRAFT_ISSUED,
        RequestEvent.ISSUE_FINAL: RequestState.FINAL_ISSUED,
        RequestEvent.WITHDRAW: RequestState.WITHDRAWN,
    }
)

FINAL_STATES = frozenset(
    {
        RequestState.REFUSED_TO_ASSESS,
        RequestState.DECIDED_NOT_TO_ISSUE,
        RequestState.FINAL_ISSUED,
        RequestState.WITHDRAWN,
    }
)
"""States a request never leaves (a later tribunal order starts a new request)."""

_FORWARD: Mapping[RequestState, tuple[RequestState, ...]] = MappingProxyType(
    {
        RequestState.RECEIVED: (RequestState.DECIDED_TO_ASSESS, RequestState.REFUSED_TO_ASSESS),
        RequestState.DECIDED_TO_ASSESS: (RequestState.ADVICE_REQUESTED,),
        RequestState.ADVICE_REQUESTED: (
            RequestState.DECIDED_TO_ISSUE,
            RequestState.DECIDED_NOT_TO_ISSUE,
        ),
        RequestState.DECIDED_TO_ISSUE: (RequestState.DRAFT_ISSUED,),
        RequestState.DRAFT_ISSUED: (RequestState.FINAL_ISSUED,),
    }
)


class IllegalTransition(Exception):
    """A request cannot move from ``current`` to ``target``; ``allowed`` lists where it can go."""

    def __init__(
        self, current: RequestState, target: RequestState, allowed: frozenset[RequestState]
    ) -> None:
        self.current = current
        self.target = target
        self.allowed = allowed
        names = ", ".join(sorted(allowed)) or "nothing (final state)"
        super().__init__(f"a request that is {current} cannot become {target}; allowed: {names}")


def is_final(state: RequestState) -> bool:
    """Return whether ``state`` is final (no transition leaves it)."""
    return state in FINAL_STATES


def allowed_transitions(state: RequestState) -> frozenset[RequestState]:
    """Return the states ``state`` may move to (withdrawal from any non-final state)."""
    if is_final(state):
        return frozenset()
    return frozenset((*_FORWARD[state], RequestState.WITHDRAWN))


def transition(state: RequestState, event_or_target: RequestEvent | RequestState) -> RequestState:
    """Return the new state, or raise IllegalTransition for a move the law does not allow."""
    if isinstance(event_or_target, RequestEvent):
        target = EVENT_TARGETS[event_or_target]
    else:
        target = event_or_target
    allowed = allowed_transitions(state)
    if target not in allowed:
        raise IllegalTransition(state, target, allowed)
    return target
