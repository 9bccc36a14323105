import itertools

import pytest

from cases_api.statutory import (
    FINAL_STATES,
    IllegalTransition,
    RequestEvent,
    RequestState,
    allowed_transitions,
    is_final,
    transition,
)

S = RequestState
# Written out by hand from the issue, independently of the implementation's table.
LAWFUL = {
    (S.RECEIVED, S.DECIDED_TO_ASSESS),
    (S.RECEIVED, S.REFUSED_TO_ASSESS),
    (S.RECEIVED, S.WITHDRAWN),
    (S.DECIDED_TO_ASSESS, S.ADVICE_REQUESTED),
    (S.DECIDED_TO_ASSESS, S.WITHDRAWN),
    (S.ADVICE_REQUESTED, S.DECIDED_TO_ISSUE),
    (S.ADVICE_REQUESTED, S.DECIDED_NOT_TO_ISSUE),
    (S.ADVICE_REQUESTED, S.WITHDRAWN),
    (S.DECIDED_TO_ISSUE, S.DRAFT_ISSUED),
    (S.DECIDED_TO_ISSUE, S.WITHDRAWN),
    (S.DRAFT_ISSUED, S.FINAL_ISSUED),
    (S.DRAFT_ISSUED, S.WITHDRAWN),
}
ALL_PAIRS = list(itertools.product(RequestState, RequestState))
EVENT_TARGET = {
    RequestEvent.DECIDE_TO_ASSESS: S.DECIDED_TO_ASSESS,
    RequestEvent.REFUSE_TO_ASSESS: S.REFUSED_TO_ASSESS,
    RequestEvent.REQUEST_ADVICE: S.ADVICE_REQUESTED,
    RequestEvent.DECIDE_TO_ISSUE: S.DECIDED_TO_ISSUE,
    RequestEvent.DECIDE_NOT_TO_ISSUE: S.DECIDED_NOT_TO_ISSUE,
    RequestEvent.ISSUE_DRAFT: S.DRAFT_ISSUED,
    RequestEvent.ISSUE_FINAL: S.FINAL_ISSUED,
    RequestEvent.WITHDRAW: S.WITHDRAWN,
}


@pytest.mark.parametrize(
    ("current", "target"), [pair for pair in ALL_PAIRS if pair in LAWFUL], ids=str
)
def test_every_lawful_transition_is_allowed(current: RequestState, target: RequestState) -> None:
    assert target in allowed_transitions(current)
    assert transition(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"), [pair for pair in ALL_PAIRS if pair not in LAWFUL], ids=str
)
def test_every_other_transition_is_refused_with_what_is_allowed(
    current: RequestState, target: RequestState
) -> None:
    assert target not in allowed_transitions(current)
    with pytest.raises(IllegalTransition) as raised:
        transition(current, target)
    error = raised.value
    assert (error.current, error.target) == (current, target)
    assert error.allowed == allowed_transitions(current)
    assert str(current) in str(error)


@pytest.mark.parametrize(
    ("current", "event"), list(itertools.product(RequestState, RequestEvent)), ids=str
)
def test_events_move_to_their_target_state_only_where_lawful(
    current: RequestState, event: RequestEvent
) -> None:
    target = EVENT_TARGET[event]
    if (current, target) in LAWFUL:
        assert transition(current, event) is target
    else:
        with pytest.raises(IllegalTransition) as raised:
            transition(current, event)
        assert raised.value.target is target


def test_final_states_allow_nothing_and_say_so() -> None:
    assert {
        S.REFUSED_TO_ASSESS,
        S.DECIDED_NOT_TO_ISSUE,
        S.FINAL_ISSUED,
        S.WITHDRAWN,
    } == FINAL_STATES
    for state in RequestState:
        assert is_final(state) is (state in FINAL_STATES)
        assert (allowed_transitions(state) == frozenset()) is is_final(state)
    with pytest.raises(IllegalTransition, match="final state"):
        transition(S.FINAL_ISSUED, S.WITHDRAWN)


def test_withdrawal_is_allowed_from_every_non_final_state() -> None:
    for state in RequestState:
        if not is_final(state):
            assert transition(state, RequestEvent.WITHDRAW) is S.WITHDRAWN


def test_the_happy_path_runs_from_receipt_to_a_final_plan() -> None:
    state = S.RECEIVED
    for event in (
        RequestEvent.DECIDE_TO_ASSESS,
        RequestEvent.REQUEST_ADVICE,
        RequestEvent.DECIDE_TO_ISSUE,
        RequestEvent.ISSUE_DRAFT,
        RequestEvent.ISSUE_FINAL,
    ):
        state = transition(state, event)
    assert state is S.FINAL_ISSUED


def test_illegal_transition_is_a_plain_exception() -> None:
    assert issubclass(IllegalTransition, Exception)
    assert not issubclass(IllegalTransition, ValueError)
