"""Corrections of a request's wrongly recorded dates. The stored date takes the right value (so
the clock and the officer views count from it) and an append-only correction keeps the old one,
the reason and who corrected it. Services flush; the request's unit of work commits."""

import itertools
import uuid
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.assessments.models import (
    AdviceRequestRecord,
    AssessmentRequest,
    RequestCorrection,
    RequestTransition,
)
from cases_api.assessments.schemas import CorrectedField, CorrectionCreate
from cases_api.assessments.service import (
    ensure_lawful_timeline,
    get_request,
    saved,
    writable_request,
)
from cases_api.core.errors import InvalidInput, NotFound
from cases_api.core.etag import check_if_match
from cases_api.core.time import utcnow
from cases_api.plans.models import IN_FORCE_KINDS, Plan, PlanVersion, VersionKind
from cases_api.statutory import (
    AdviceType,
    CommentWindowOpen,
    RequestState,
    require_can_finalise_draft,
    review_due,
)

_STATE_FIELDS = {
    CorrectedField(f"{state.value}_on"): state
    for state in RequestState
    if state is not RequestState.RECEIVED  # its day is `received_on`
}
# The plan's version that put the request in the state: the two dates are one fact.
_ISSUED_WITH_THE_PLAN = {
    RequestState.DRAFT_ISSUED: VersionKind.DRAFT,
    RequestState.FINAL_ISSUED: VersionKind.FINAL,
}
_COMMENTED_KINDS = (VersionKind.DRAFT, VersionKind.AMENDMENT_NOTICE)


def correct_date(
    session: Session,
    *,
    request_id: uuid.UUID,
    data: CorrectionCreate,
    if_match: str | None,
    scope: Scope,
) -> tuple[RequestCorrection, AssessmentRequest]:
    """Put the right date in place of a wrong one, if the request's timeline stays lawful;
    returns the correction and the corrected request."""
    request = writable_request(session, request_id=request_id, scope=scope)
    check_if_match(if_match, current_version=request.version)
    new = data.new_value
    if data.field is CorrectedField.RECEIVED_ON:
        old = request.received_on
        request.received_on = new
    elif data.field is CorrectedField.DECISION_NOTICE_SENT_ON:
        old = _decision_notice_sent_on(request)
        request.decision_notice_sent_on = new
    elif data.field in _STATE_FIELDS:
        step = _step(request, _STATE_FIELDS[data.field])
        old = step.occurred_on
        step.occurred_on = new
    else:
        advice, attribute = _advice(request, data.field)
        old = getattr(advice, attribute)
        setattr(advice, attribute, new)
    if new == old:
        raise InvalidInput(f"{data.field} is already {old}; there is nothing to correct.")
    _ensure_in_order(request)
    state = _STATE_FIELDS.get(data.field)
    kind = _ISSUED_WITH_THE_PLAN.get(state) if state is not None else None
    moved = False
    if kind is not None:
        for plan in _plans_of(session, request):
            moved = _move_plan_version(plan, kind=kind, old=old, new=new) or moved
    if not moved:  # the plan's versions were checked as they moved
        _ensure_comment_window_respected(request)
    ensure_lawful_timeline(request)
    correction = RequestCorrection(
        field=data.field.value,
        old_value=old,
        new_value=new,
        reason=data.reason,
        corrected_by=scope.principal.subject,
    )
    request.corrections.append(correction)
    saved(session, request)
    # Read from the plan's versions, which a draft correction may have moved.
    session.expire(request, ["commented_draft_on", "comments_waived"])
    return correction, request


def list_corrections(
    session: Session, *, request_id: uuid.UUID, scope: Scope
) -> list[RequestCorrection]:
    """The request's corrections, oldest first."""
    return list(get_request(session, request_id=request_id, scope=scope).corrections)


def get_correction(
    session: Session, *, request_id: uuid.UUID, correction_id: uuid.UUID, scope: Scope
) -> RequestCorrection:
    """One correction of the request."""
    request = get_request(session, request_id=request_id, scope=scope)
    found = next((c for c in request.corrections if c.id == correction_id), None)
    if found is None:
        raise NotFound(f"No correction {correction_id} on this request.")
    return found


def _step(request: AssessmentRequest, state: RequestState) -> RequestTransition:
    step = next((t for t in request.transitions if t.to_state is state), None)
    if step is None:
        raise InvalidInput(
            f"The request never became {state} (it is {request.state}): there is no "
            f"{state}_on to correct."
        )
    return step


def _decision_notice_sent_on(request: AssessmentRequest) -> date:
    if request.decision_notice_sent_on is None:
        raise InvalidInput(
            "No decision notice is recorded as sent: record it "
            f"(POST /v1/assessment-requests/{request.id}/decision-notice)."
        )
    return request.decision_notice_sent_on


def _advice(request: AssessmentRequest, field: CorrectedField) -> tuple[AdviceRequestRecord, str]:
    _, kind, attribute = field.value.split(".")
    advice = next((a for a in request.advice_requests if a.advice is AdviceType(kind)), None)
    if advice is None:
        raise InvalidInput(f"No {kind} advice is recorded on this request: nothing to correct.")
    if getattr(advice, attribute) is None:
        raise InvalidInput(
            f"The {kind} advice has not arrived yet: record its receipt "
            f"(POST /v1/assessment-requests/{request.id}/advice/{advice.id}/receipt)."
        )
    return advice, attribute


def _in_path_order(transitions: Iterable[RequestTransition]) -> list[RequestTransition]:
    """The steps as the request took them: each leaves the state the one before entered."""
    by_origin = {step.from_state: step for step in transitions}
    ordered: list[RequestTransition] = []
    state = RequestState.RECEIVED
    while state in by_origin and len(ordered) < len(by_origin):
        ordered.append(by_origin[state])
        state = ordered[-1].to_state
    return ordered


def _ensure_in_order(request: AssessmentRequest) -> None:
    born = request.child.date_of_birth
    if request.received_on < born:
        raise InvalidInput(
            f"received_on ({request.received_on}) is before the child was born ({born})."
        )
    before, before_on = "received_on", request.received_on
    for step in _in_path_order(request.transitions):
        name = f"{step.to_state}_on"
        if step.occurred_on < before_on:
            raise InvalidInput(
                f"{name} ({step.occurred_on}) would be before {before} ({before_on}): a "
                "request's steps happen in the order it took them."
            )
        before, before_on = name, step.occurred_on
    decided = request.entered_on(RequestState.DECIDED_TO_ASSESS)
    for advice in request.advice_requests:
        # reg 6(1): advice is sought for the assessment, so after the decision to assess.
        if decided is not None and advice.requested_on < decided:
            raise InvalidInput(
                f"{advice.advice} advice would be requested ({advice.requested_on}) before the "
                f"decision to assess ({decided})."
            )
        if advice.received_on is not None and advice.received_on < advice.requested_on:
            raise InvalidInput(
                f"{advice.advice} advice would arrive ({advice.received_on}) before it was "
                f"requested ({advice.requested_on})."
            )
    for exception in request.exceptions:
        if exception.ends_on < request.received_on:
            raise InvalidInput(
                f"The {exception.ground} exception ends ({exception.ends_on}) before the request "
                f"would be received ({request.received_on})."
            )


def _ensure_comment_window_respected(request: AssessmentRequest) -> None:
    drafted = request.entered_on(RequestState.DRAFT_ISSUED)
    final = request.entered_on(RequestState.FINAL_ISSUED)
    if drafted is None or final is None:
        return
    _require_window(drafted, final, comments_waived=request.comments_waived, what="the final")


def _require_window(sent_on: date, final_on: date, *, comments_waived: bool, what: str) -> None:
    try:
        require_can_finalise_draft(
            draft_sent_on=sent_on, on=final_on, comments_waived=comments_waived
        )
    except CommentWindowOpen as error:
        # reg 13(1): the family has 15 days to comment on the draft unless they waive them.
        raise InvalidInput(
            f"{what} ({final_on}) would be inside the family's 15-day comment window on the "
            f"draft of {sent_on} (reg 13(1)), which they did not waive: it may be final from "
            f"{error.may_finalise_from}.",
            may_finalise_from=error.may_finalise_from.isoformat(),
        ) from error


def _plans_of(session: Session, request: AssessmentRequest) -> list[Plan]:
    query = sa.select(Plan).where(Plan.assessment_request_id == request.id).order_by(Plan.id)
    with session.no_autoflush:  # the request's changes flush once, checked, in `saved`
        return list(session.scalars(query))


def _move_plan_version(plan: Plan, *, kind: VersionKind, old: date, new: date) -> bool:
    """The plan's version that moved the request was issued on the corrected day too; returns
    whether the plan held such a version."""
    version = next((v for v in plan.versions if v.kind is kind and v.issued_on == old), None)
    if version is None:
        return False
    version.issued_on = new
    _ensure_versions_in_order(plan.versions)
    if kind is VersionKind.FINAL and plan.made_on == old:
        plan.made_on = new
        if plan.last_review_meeting_on is None:
            plan.next_review_due = review_due(plan_made_on=new)
    # Touch the row so the plan's ETag moves with the date of one of its versions.
    plan.updated_at = utcnow()
    return True


def _ensure_versions_in_order(versions: list[PlanVersion]) -> None:
    for before, after in itertools.pairwise(versions):
        if after.issued_on < before.issued_on:
            raise InvalidInput(
                f"The plan's version {after.number} ({after.kind}, {after.issued_on}) would be "
                f"issued before version {before.number} ({before.kind}, {before.issued_on})."
            )
        if after.kind in IN_FORCE_KINDS and before.kind in _COMMENTED_KINDS:
            _require_window(
                before.issued_on,
                after.issued_on,
                comments_waived=before.comments_waived or after.comments_waived,
                what=f"The plan's {after.kind} version {after.number}",
            )
