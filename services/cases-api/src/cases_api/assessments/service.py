"""Requests for assessment: receipt, lawful transitions (draft and final with the plan),
advice and exceptions.

Services flush; the request's unit of work commits.
"""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cases_api.access import Scope
from cases_api.access.requests import check_new_request
from cases_api.assessments.clock import timeline_of
from cases_api.assessments.models import (
    AdviceRequestRecord,
    AssessmentRequest,
    ClockExceptionRecord,
    RequestTransition,
)
from cases_api.assessments.schemas import (
    AdviceRequestCreate,
    AdviserDates,
    AssessmentRequestCreate,
    ClockExceptionCreate,
    TransitionCreate,
)
from cases_api.auth.principal import Role
from cases_api.core.errors import Conflict, InvalidInput, NotFound
from cases_api.core.time import today, utcnow
from cases_api.plans.models import VersionKind
from cases_api.statutory import (
    FINAL_STATES,
    ClockException,
    IllegalTransition,
    RequestState,
    StatutoryRuleError,
    allowed_transitions,
    transition,
)


def get_request(session: Session, *, request_id: uuid.UUID, scope: Scope) -> AssessmentRequest:
    """The request for assessment with this id, if the caller may see it."""
    request = session.get(AssessmentRequest, request_id)
    if request is None or not scope.can_see_request(request, session):
        raise NotFound(f"No request for assessment with id {request_id}.")
    return request


def writable_request(session: Session, *, request_id: uuid.UUID, scope: Scope) -> AssessmentRequest:
    """The request, if the caller may change it (404 out of scope, 403 not its LA's officer)."""
    request = get_request(session, request_id=request_id, scope=scope)
    scope.require_write_in(request.la_code)
    return request


def receive_request(
    session: Session, *, data: AssessmentRequestCreate, scope: Scope
) -> AssessmentRequest:
    """Record a request for an EHC needs assessment; its clock starts on the day received."""
    submitted_by_urn = check_new_request(scope, data, today=today())
    child = scope.find_child(session, data.child_id)
    if child is None:
        raise InvalidInput(f"child_id {data.child_id} is not a child; record the child first.")
    if scope.role is Role.OFFICER:
        scope.require_write(child)
    open_request = session.scalar(
        sa.select(AssessmentRequest.id).where(
            AssessmentRequest.child_id == child.id,
            AssessmentRequest.state.not_in(list(FINAL_STATES)),
        )
    )
    if open_request is not None:
        raise Conflict(
            "This child already has an open request for assessment.",
            open_request_id=str(open_request),
        )
    request = AssessmentRequest(
        child=child,
        la_code=child.la_code,
        source=data.source,
        received_on=data.received_on,
        state=RequestState.RECEIVED,
        assigned_officer=data.assigned_officer,
        submitted_by_urn=submitted_by_urn,
        transitions=[],
        advice_requests=[],
        exceptions=[],
    )
    session.add(request)
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent receipt for the same child won the race
        raise Conflict("This child already has an open request for assessment.") from error
    return request


def assign_request(
    session: Session,
    *,
    request_id: uuid.UUID,
    assigned_officer: str | None,
    scope: Scope,
) -> AssessmentRequest:
    """Give the request to an officer (or to no one)."""
    request = writable_request(session, request_id=request_id, scope=scope)
    request.assigned_officer = assigned_officer
    return saved(session, request)


def record_comment_waiver(
    session: Session, *, request_id: uuid.UUID, scope: Scope
) -> AssessmentRequest:
    """Refuse: the family's waiver is recorded on the plan, where the window is checked."""
    request = writable_request(session, request_id=request_id, scope=scope)
    raise Conflict(
        "The family's waiver of the comment window is recorded on the plan: on the draft when "
        "it is sent (POST /v1/plans with comments_waived), or when the plan is made final "
        "(POST /v1/plans/{plan_id}/versions with kind final and comments_waived).",
        current_state=request.state.value,
        use="POST /v1/plans/{plan_id}/versions",
    )


# The request enters these states with its plan, never on its own (issue 10).
_ENTERED_WITH_THE_PLAN = {
    RequestState.DRAFT_ISSUED: (
        "POST /v1/plans",
        "issue the draft plan with POST /v1/plans naming this request (assessment_request_id)",
    ),
    RequestState.FINAL_ISSUED: (
        "POST /v1/plans/{plan_id}/versions",
        "make its plan final with POST /v1/plans/{plan_id}/versions (kind final)",
    ),
}


def record_transition(
    session: Session, *, request_id: uuid.UUID, data: TransitionCreate, scope: Scope
) -> AssessmentRequest:
    """Move the request on, if the law allows the move from its current state on that date."""
    request = writable_request(session, request_id=request_id, scope=scope)
    current = request.state
    allowed = sorted(state.value for state in allowed_transitions(current))
    if data.to_state in _ENTERED_WITH_THE_PLAN:
        route, how = _ENTERED_WITH_THE_PLAN[data.to_state]
        raise Conflict(
            f"A request becomes {data.to_state} with its plan, not on its own: {how}. "
            f"This request is {current}.",
            current_state=current.value,
            allowed_transitions=allowed,
            use=route,
        )
    if data.notice_sent_on is not None:
        request.decision_notice_sent_on = data.notice_sent_on
    _enter(request, target=data.to_state, on=data.occurred_on, scope=scope)
    return saved(session, request)


def record_decision_notice(
    session: Session, *, request_id: uuid.UUID, sent_on: date, scope: Scope
) -> AssessmentRequest:
    """Record the day the notice of a refusal to assess or to issue was sent (r20(1) counts
    the time to appeal from it)."""
    request = writable_request(session, request_id=request_id, scope=scope)
    decided_on = request.appealable_decision_on()
    if decided_on is None:
        raise Conflict(
            "Only a refusal to assess or to issue sends an appealable decision notice; "
            f"this request is {request.state}.",
            current_state=request.state.value,
        )
    if request.decision_notice_sent_on is not None:
        raise Conflict(
            f"The decision notice was recorded as sent on {request.decision_notice_sent_on}."
        )
    request.decision_notice_sent_on = sent_on
    ensure_lawful_timeline(request)
    return saved(session, request)


def record_plan_issued(
    session: Session,
    *,
    request_id: uuid.UUID,
    kind: VersionKind,
    issued_on: date,
    scope: Scope,
) -> AssessmentRequest:
    """Move the request with its plan: a draft makes it draft_issued, the final final_issued."""
    request = writable_request(session, request_id=request_id, scope=scope)
    target, needed = {
        VersionKind.DRAFT: (RequestState.DRAFT_ISSUED, RequestState.DECIDED_TO_ISSUE),
        VersionKind.FINAL: (RequestState.FINAL_ISSUED, RequestState.DRAFT_ISSUED),
    }[kind]
    if request.state is not needed:
        raise Conflict(
            f"Request {request.id} is {request.state}: a {kind} plan for it needs the request "
            f"to be {needed} (it then becomes {target}).",
            current_state=request.state.value,
            needed_state=needed.value,
            assessment_request_id=str(request.id),
        )
    _enter(request, target=target, on=issued_on, scope=scope, date_name="issued_on")
    return saved(session, request)


def _enter(
    request: AssessmentRequest,
    *,
    target: RequestState,
    on: date,
    scope: Scope,
    date_name: str = "occurred_on",
) -> None:
    current = request.state
    try:
        transition(current, target)
    except IllegalTransition as error:
        allowed = sorted(state.value for state in error.allowed)
        raise Conflict(
            f"A request that is {current} cannot become {target}; "
            f"allowed: {', '.join(allowed) or 'nothing (final state)'}.",
            current_state=current.value,
            allowed_transitions=allowed,
        ) from error
    _ensure_in_order(request, on, date_name=date_name)
    request.transitions.append(
        RequestTransition(
            from_state=current, to_state=target, occurred_on=on, recorded_by=scope.principal.subject
        )
    )
    request.state = target
    ensure_lawful_timeline(request)


def _ensure_in_order(request: AssessmentRequest, on: date, *, date_name: str) -> None:
    if on < request.received_on:
        raise InvalidInput(
            f"{date_name} ({on}) is before the request was received ({request.received_on})."
        )
    previous = max((t.occurred_on for t in request.transitions), default=None)
    if previous is not None and on < previous:
        raise InvalidInput(f"{date_name} ({on}) is before the previous step ({previous}).")


def ensure_lawful_timeline(request: AssessmentRequest) -> None:
    """422 naming the statutory rule the request's dates break, if any."""
    try:
        timeline_of(request)
    except StatutoryRuleError as error:
        raise InvalidInput.broken_rule(error) from error
    decided_on = request.appealable_decision_on()
    sent_on = request.decision_notice_sent_on
    if decided_on is not None and sent_on is not None and sent_on < decided_on:
        raise InvalidInput(
            f"The decision notice ({sent_on}) cannot be sent before the decision ({decided_on})."
        )


def add_advice_request(
    session: Session, *, request_id: uuid.UUID, data: AdviceRequestCreate, scope: Scope
) -> AssessmentRequest:
    """Record that the LA asked for one kind of advice (and, if given, when it arrived)."""
    request = writable_request(session, request_id=request_id, scope=scope)
    decided_on = request.entered_on(RequestState.DECIDED_TO_ASSESS)
    if decided_on is None:
        raise Conflict(
            f"Advice is sought only after the decision to assess; this request is {request.state}.",
            current_state=request.state.value,
        )
    if data.requested_on < decided_on:
        raise InvalidInput(
            f"requested_on ({data.requested_on}) is before the decision to assess ({decided_on})."
        )
    if any(advice.advice is data.advice for advice in request.advice_requests):
        raise Conflict(f"{data.advice} advice is already recorded on this request.")
    request.advice_requests.append(
        AdviceRequestRecord(
            advice=data.advice,
            requested_on=data.requested_on,
            received_on=data.received_on,
            request_received_on=data.request_received_on,
            appointment_missed_on=data.appointment_missed_on,
        )
    )
    ensure_lawful_timeline(request)
    return saved(session, request)


def record_adviser_dates(
    session: Session,
    *,
    request_id: uuid.UUID,
    advice_id: uuid.UUID,
    data: AdviserDates,
    scope: Scope,
) -> AssessmentRequest:
    """Record when the adviser received the LA's request, or the family missed an appointment."""
    request = writable_request(session, request_id=request_id, scope=scope)
    advice = next((a for a in request.advice_requests if a.id == advice_id), None)
    if advice is None:
        raise NotFound(f"No advice request {advice_id} on this request.")
    for name in ("request_received_on", "appointment_missed_on"):
        new: date | None = getattr(data, name)
        old: date | None = getattr(advice, name)
        if new is None:
            continue
        if old is not None:
            raise Conflict(f"{name} was already recorded as {old} on this advice.")
        setattr(advice, name, new)
    ensure_lawful_timeline(request)
    return saved(session, request)


def record_advice_received(
    session: Session,
    *,
    request_id: uuid.UUID,
    advice_id: uuid.UUID,
    received_on: date,
    scope: Scope,
) -> AssessmentRequest:
    """Record the day the advice arrived."""
    request = writable_request(session, request_id=request_id, scope=scope)
    advice = next((a for a in request.advice_requests if a.id == advice_id), None)
    if advice is None:
        raise NotFound(f"No advice request {advice_id} on this request.")
    if advice.received_on is not None:
        raise Conflict(f"This advice was already received on {advice.received_on}.")
    if received_on < advice.requested_on:
        raise InvalidInput(
            f"received_on ({received_on}) is before the advice was requested "
            f"({advice.requested_on})."
        )
    advice.received_on = received_on
    ensure_lawful_timeline(request)  # not before the adviser received the request
    return saved(session, request)


def add_clock_exception(
    session: Session, *, request_id: uuid.UUID, data: ClockExceptionCreate, scope: Scope
) -> AssessmentRequest:
    """Record an exception to the time limits, with its ground and dates."""
    request = writable_request(session, request_id=request_id, scope=scope)
    try:
        ClockException(
            ground=data.ground,
            start=data.starts_on,
            end=data.ends_on,
            advice_requested_on=data.advice_requested_on,
        )
    except StatutoryRuleError as error:
        raise InvalidInput.broken_rule(error) from error
    if data.ends_on < request.received_on:
        raise InvalidInput(
            f"The exception ends ({data.ends_on}) before the request was received "
            f"({request.received_on}); it cannot affect the clock."
        )
    request.exceptions.append(
        ClockExceptionRecord(
            ground=data.ground,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            advice_requested_on=data.advice_requested_on,
            note=data.note,
        )
    )
    return saved(session, request)


def saved(session: Session, request: AssessmentRequest) -> AssessmentRequest:
    """Flush the request's changes, moving its version (409 if someone else moved it first)."""
    # Touch the row itself so its version (the ETag) moves even when only a child row changed.
    request.updated_at = utcnow()
    _flush(session)
    return request


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict(
            "Someone else changed this request at the same moment; read it again and retry."
        ) from error
