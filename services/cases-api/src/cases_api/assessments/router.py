"""HTTP routes of requests for assessment: receipt, transitions, advice, exceptions, disputes.

Thin: parse, call the service, present. The officer views live in `views_router`.
"""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, Reason, policy
from cases_api.assessments import corrections, disputes, queries, service
from cases_api.assessments.models import (
    AssessmentRequest,
    DisputeKind,
    RequestSource,
)
from cases_api.assessments.queries import DisputeFilters, RequestFilters, RequestSort
from cases_api.assessments.schemas import (
    AdviceReceipt,
    AdviceRequestCreate,
    AdviserDates,
    AssessmentRequestCreate,
    AssessmentRequestRead,
    Assignment,
    ClockExceptionCreate,
    CorrectionCreate,
    CorrectionRead,
    DecisionNotice,
    DisputeEventCreate,
    DisputeEventRead,
    TransitionCreate,
    present_correction,
    present_dispute,
    present_request,
)
from cases_api.auth.deps import Officer
from cases_api.core.deps import SessionDep
from cases_api.core.errors import InvalidInput
from cases_api.core.etag import etag_for
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link, single_page
from cases_api.core.schemas import IsoDate
from cases_api.core.time import today
from cases_api.idempotency.deps import Idempotency, IdempotencyDep, respond_created
from cases_api.plans.http import IF_MATCH_PROBLEMS, IfMatch
from cases_api.statutory import RequestState

router = APIRouter(tags=["assessment requests"])

AsOfQuery = Annotated[
    IsoDate | None,
    Query(
        ge=date(2000, 1, 1),
        le=date(2100, 12, 31),
        description="Evaluate the clock on this day instead of today.",
    ),
]
DateQuery = Annotated[IsoDate | None, Query(ge=date(2000, 1, 1), le=date(2100, 12, 31))]


def _present(
    request: AssessmentRequest, response: Response, as_of: date | None = None
) -> AssessmentRequestRead:
    read = present_request(request, as_of=as_of or today())
    response.headers["ETag"] = read.etag
    return read


def _created(
    request: AssessmentRequest, response: Response, idempotency: Idempotency
) -> AssessmentRequestRead:
    read = present_request(request, as_of=today())
    location = f"/v1/assessment-requests/{read.id}"
    respond_created(response, idempotency, body=read, location=location, etag=read.etag)
    return read


@router.post(
    "/assessment-requests",
    status_code=status.HTTP_201_CREATED,
    operation_id="receiveAssessmentRequest",
    summary="Record a request for an EHC needs assessment (the clock starts on receipt)",
    dependencies=[policy(Audit.write("assessment-requests"))],
)
def receive_request(
    body: AssessmentRequestCreate,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> AssessmentRequestRead:
    """Records a request for an EHC needs assessment for a child; the statutory clock starts on
    the day it was received (decision due in 6 weeks, final plan in 20). A child with an
    open request already is 409 naming it. Who may call: officers of the child's LA (any
    source and date); a parent or the child's school for their own child, dated today and
    from themselves; service clients and administrators get 403. Send an `Idempotency-Key`
    to retry safely: the same key and body within 24 hours replay the first answer; the same
    key with another body is 422."""
    received = service.receive_request(session, data=body, scope=scope)
    return _created(received, response, idempotency)


@router.get(
    "/assessment-requests",
    operation_id="listAssessmentRequests",
    summary="List requests for assessment with their clocks",
    dependencies=[
        policy(
            Audit.read("assessment-requests"),
            reason=Reason.bulk("lists of requests", narrowed_by=("assigned_officer", "child_id")),
            scopes=("assessments:read",),
        )
    ],
)
def list_requests(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    la_code: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    child_id: uuid.UUID | None = None,
    state: Annotated[list[RequestState] | None, Query(description="Repeat for several.")] = None,
    source: RequestSource | None = None,
    received_from: DateQuery = None,
    received_to: DateQuery = None,
    assigned_officer: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    as_of: AsOfQuery = None,
    sort: RequestSort = RequestSort.RECEIVED_ON,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[AssessmentRequestRead]:
    """Lists requests for assessment with their clocks, filtered by child, state, assigned
    officer, source or dates. Officers listing across the LA must send `X-Access-Reason`
    unless a filter narrows the list to ordinary case work. Who may call: the LA's officers;
    schools and families, who see only their own children's rows; service clients with the
    scopes named under `security`. Administrators get 403. Filtering by another LA gives an
    empty page, never its rows. Follow `next_cursor` (or the `Link: rel="next"` header) for
    the next page."""
    if received_from is not None and received_to is not None and received_from > received_to:
        raise InvalidInput("received_from is after received_to.")
    filters = RequestFilters(
        la_code=la_code,
        child_id=child_id,
        states=state or (),
        source=source,
        received_from=received_from,
        received_to=received_to,
        assigned_officer=assigned_officer,
        scope=scope,
    )
    rows, next_cursor = queries.list_requests(
        session, filters=filters, sort=sort, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    on = as_of or today()
    return Page(items=[present_request(row, as_of=on) for row in rows], next_cursor=next_cursor)


@router.get(
    "/assessment-requests/{request_id}",
    operation_id="getAssessmentRequest",
    summary="Read a request for assessment with its statutory clock",
    dependencies=[
        policy(Audit.read("assessment-requests", "request_id"), scopes=("assessments:read",))
    ],
)
def get_request(
    request_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    as_of: AsOfQuery = None,
) -> AssessmentRequestRead:
    """Reads a request for assessment with its history of transitions, advice, exceptions and
    each statutory milestone's due date and status, and its `ETag`. Who may call: the LA's
    officers; the child's school and family, for their own children; service clients with
    the scopes named under `security`. Administrators get 403. A record you may not see is
    404, exactly as one that does not exist."""
    found = service.get_request(session, request_id=request_id, scope=scope)
    return _present(found, response, as_of)


@router.post(
    "/assessment-requests/{request_id}/assignment",
    operation_id="assignAssessmentRequest",
    summary="Give a request to an officer (their token subject), or to no one",
    dependencies=[policy(Audit.write("assessment-requests", "request_id"))],
)
def assign_request(
    request_id: uuid.UUID,
    body: Assignment,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
) -> AssessmentRequestRead:
    """Gives the request to an officer (their token's subject) or to no one; the queues can be
    narrowed to an officer's own requests. Who may call: officers of the LA that holds the
    record. Other roles get 403; a record you may not see is 404."""
    assigned = service.assign_request(
        session,
        request_id=request_id,
        assigned_officer=body.assigned_officer,
        scope=scope,
    )
    return _present(assigned, response)


@router.post(
    "/assessment-requests/{request_id}/comment-waiver",
    operation_id="recordCommentWaiver",
    summary="Replaced: the family's waiver is recorded on the plan (always a 409 naming how)",
    deprecated=True,
    dependencies=[policy(Audit.write("assessment-requests", "request_id"))],
)
def record_comment_waiver(
    request_id: uuid.UUID,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
) -> AssessmentRequestRead:
    """Replaced: the family's waiver of their comment period is now recorded on the plan, so
    this always answers 409 naming the route to use. Kept so older clients get a clear
    answer. Who may call: officers; other roles get 403."""
    waived = service.record_comment_waiver(session, request_id=request_id, scope=scope)
    return _present(waived, response)


@router.post(
    "/assessment-requests/{request_id}/transitions",
    operation_id="transitionAssessmentRequest",
    summary="Move a request on (decide, request advice, withdraw); unlawful moves are 409, and "
    "so are draft_issued and final_issued, which come with the plan",
    dependencies=[policy(Audit.write("assessment-requests", "request_id"))],
)
def transition_request(
    request_id: uuid.UUID,
    body: TransitionCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
) -> AssessmentRequestRead:
    """Moves a request on: decide to assess or not, request advice, decide not to issue,
    withdraw. The clock and its milestones follow. A move the current state does not allow
    is 409, and so are `draft_issued` and `final_issued`, which happen when the plan's
    versions are issued. Who may call: officers of the LA that holds the record. Other roles
    get 403; a record you may not see is 404."""
    moved = service.record_transition(session, request_id=request_id, data=body, scope=scope)
    return _present(moved, response)


@router.post(
    "/assessment-requests/{request_id}/decision-notice",
    operation_id="recordDecisionNotice",
    summary="Record the day the notice of a refusal to assess or to issue was sent; the time to "
    "appeal runs from it",
    dependencies=[policy(Audit.write("assessment-requests", "request_id"))],
)
def record_decision_notice(
    request_id: uuid.UUID,
    body: DecisionNotice,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
) -> AssessmentRequestRead:
    """Records the day the notice of a refusal to assess or to issue a plan was sent to the
    family; the two months to appeal run from it. Only after such a refusal (409 otherwise).
    Who may call: officers of the LA that holds the record. Other roles get 403; a record
    you may not see is 404."""
    noticed = service.record_decision_notice(
        session, request_id=request_id, sent_on=body.sent_on, scope=scope
    )
    return _present(noticed, response)


@router.post(
    "/assessment-requests/{request_id}/corrections",
    status_code=status.HTTP_201_CREATED,
    operation_id="correctAssessmentRequestDate",
    summary="Correct a wrongly recorded date (receipt, a step, advice), with the reason; "
    "needs If-Match with the request's ETag",
    responses=IF_MATCH_PROBLEMS,
    dependencies=[policy(Audit.write("assessment-requests", "request_id"))],
)
def correct_request_date(
    request_id: uuid.UUID,
    body: CorrectionCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> CorrectionRead:
    """Corrects a date recorded wrongly (the receipt, a step, or an advice date), with the
    reason; the clock is recomputed and the old value kept in the request's corrections. Who
    may call: officers of the LA that holds the record. Other roles get 403; a record you
    may not see is 404. Needs `If-Match` with the ETag of your last read: 428 without it,
    412 when the record has changed since (read it again). Send an `Idempotency-Key` to
    retry safely: the same key and body within 24 hours replay the first answer; the same
    key with another body is 422."""
    correction, corrected = corrections.correct_date(
        session, request_id=request_id, data=body, if_match=if_match, scope=scope
    )
    created = present_correction(correction)
    location = f"/v1/assessment-requests/{request_id}/corrections/{created.id}"
    etag = etag_for(corrected.version)
    respond_created(response, idempotency, body=created, location=location, etag=etag)
    return created


@router.get(
    "/assessment-requests/{request_id}/corrections",
    operation_id="listAssessmentRequestCorrections",
    summary="The request's corrected dates, oldest first",
    dependencies=[
        policy(Audit.read("assessment-requests", "request_id"), scopes=("assessments:read",))
    ],
)
def list_request_corrections(
    request_id: uuid.UUID, session: SessionDep, scope: ScopeDep
) -> Page[CorrectionRead]:
    """The dates corrected on a request, oldest first: field, old and new value, reason, who
    and when. Who may call: the LA's officers; the child's school and family, for their own
    children; service clients with the scopes named under `security`. Administrators get
    403. A record you may not see is 404, exactly as one that does not exist."""
    found = corrections.list_corrections(session, request_id=request_id, scope=scope)
    return single_page(present_correction(correction) for correction in found)


@router.get(
    "/assessment-requests/{request_id}/corrections/{correction_id}",
    operation_id="getAssessmentRequestCorrection",
    summary="One corrected date of a request",
    dependencies=[policy(Audit.read("corrections", "correction_id"), scopes=("assessments:read",))],
)
def get_request_correction(
    request_id: uuid.UUID, correction_id: uuid.UUID, session: SessionDep, scope: ScopeDep
) -> CorrectionRead:
    """One corrected date of a request, by its id. Who may call: the LA's officers; the child's
    school and family, for their own children; service clients with the scopes named under
    `security`. Administrators get 403. A record you may not see is 404, exactly as one that
    does not exist."""
    found = corrections.get_correction(
        session, request_id=request_id, correction_id=correction_id, scope=scope
    )
    return present_correction(found)


@router.post(
    "/assessment-requests/{request_id}/advice",
    status_code=status.HTTP_201_CREATED,
    operation_id="addAdviceRequest",
    summary="Record advice the LA asked for (education, health, social care, EP)",
    dependencies=[policy(Audit.write("assessment-requests", "request_id"))],
)
def add_advice_request(
    request_id: uuid.UUID,
    body: AdviceRequestCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> AssessmentRequestRead:
    """Records advice the LA asked for during the assessment (educational, health, social care,
    educational psychology …), with the day asked; the adviser's six weeks run from when
    they receive it. Who may call: officers of the LA that holds the record. Other roles get
    403; a record you may not see is 404. Send an `Idempotency-Key` to retry safely: the
    same key and body within 24 hours replay the first answer; the same key with another
    body is 422."""
    updated = service.add_advice_request(session, request_id=request_id, data=body, scope=scope)
    return _created(updated, response, idempotency)


@router.post(
    "/assessment-requests/{request_id}/advice/{advice_id}/adviser-dates",
    operation_id="recordAdviserDates",
    summary="Record the day the adviser received the LA's request (the six weeks run from it) "
    "or the family missed the adviser's appointment (reg 8)",
    dependencies=[policy(Audit.write("advice", "advice_id"))],
)
def record_adviser_dates(
    request_id: uuid.UUID,
    advice_id: uuid.UUID,
    body: AdviserDates,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
) -> AssessmentRequestRead:
    """Records the day the adviser received the LA's request for advice (their six weeks run
    from it) or the day the family missed the adviser's appointment (an exception under reg
    8). Who may call: officers of the LA that holds the record. Other roles get 403; a
    record you may not see is 404."""
    updated = service.record_adviser_dates(
        session, request_id=request_id, advice_id=advice_id, data=body, scope=scope
    )
    return _present(updated, response)


@router.post(
    "/assessment-requests/{request_id}/advice/{advice_id}/receipt",
    operation_id="recordAdviceReceived",
    summary="Record the day requested advice arrived",
    dependencies=[policy(Audit.write("advice", "advice_id"))],
)
def record_advice_received(
    request_id: uuid.UUID,
    advice_id: uuid.UUID,
    body: AdviceReceipt,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
) -> AssessmentRequestRead:
    """Records the day requested advice arrived; the advice milestone is then met or late.
    Recording it twice is 409 (correct a wrong date with a correction instead). Who may
    call: officers of the LA that holds the record. Other roles get 403; a record you may
    not see is 404."""
    updated = service.record_advice_received(
        session,
        request_id=request_id,
        advice_id=advice_id,
        received_on=body.received_on,
        scope=scope,
    )
    return _present(updated, response)


@router.post(
    "/assessment-requests/{request_id}/exceptions",
    status_code=status.HTTP_201_CREATED,
    operation_id="addClockException",
    summary="Record an exception to the time limits (ground and dates)",
    dependencies=[policy(Audit.write("assessment-requests", "request_id"))],
)
def add_clock_exception(
    request_id: uuid.UUID,
    body: ClockExceptionCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> AssessmentRequestRead:
    """Records an exception to the time limits (the ground, such as the setting being closed or
    the family away, and its dates); the 20-week measure counts the request apart when one
    applies. Who may call: officers of the LA that holds the record. Other roles get 403; a
    record you may not see is 404. Send an `Idempotency-Key` to retry safely: the same key
    and body within 24 hours replay the first answer; the same key with another body is 422."""
    updated = service.add_clock_exception(session, request_id=request_id, data=body, scope=scope)
    return _created(updated, response, idempotency)


@router.post(
    "/dispute-events",
    status_code=status.HTTP_201_CREATED,
    operation_id="recordDisputeEvent",
    summary="Record a mediation or tribunal appeal about a request, an assessment or a plan",
    tags=["disputes"],
    dependencies=[policy(Audit.write("dispute-events"))],
)
def record_dispute(
    body: DisputeEventCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> DisputeEventRead:
    """Records a mediation or a tribunal appeal about a refusal to assess, a refusal to issue,
    or a plan, with its dates (opened, certificate, hearing, closed). Who may call: officers
    of the LA that holds the record. Other roles get 403; a record you may not see is 404.
    Send an `Idempotency-Key` to retry safely: the same key and body within 24 hours replay
    the first answer; the same key with another body is 422."""
    created = present_dispute(disputes.record_dispute(session, data=body, scope=scope))
    location = f"/v1/dispute-events/{created.id}"
    respond_created(response, idempotency, body=created, location=location)
    return created


@router.get(
    "/dispute-events/{dispute_id}",
    operation_id="getDisputeEvent",
    summary="Read a mediation or tribunal event",
    tags=["disputes"],
    dependencies=[policy(Audit.read("dispute-events", "dispute_id"), scopes=("assessments:read",))],
)
def get_dispute(dispute_id: uuid.UUID, session: SessionDep, scope: ScopeDep) -> DisputeEventRead:
    """Reads a mediation or tribunal event with its dates and outcome. Who may call: the LA's
    officers; the child's family; service clients with the scopes named under `security`.
    Schools get 403 (mediation and tribunal records are the family's and the LA's),
    administrators too. A record you may not see is 404."""
    scope.require_sees_disputes()
    return present_dispute(disputes.get_dispute(session, dispute_id=dispute_id, scope=scope))


@router.get(
    "/dispute-events",
    operation_id="listDisputeEvents",
    summary="List mediation and tribunal events by child, request or plan",
    tags=["disputes"],
    dependencies=[
        policy(
            Audit.read("dispute-events"),
            reason=Reason.bulk(
                "lists of dispute events",
                narrowed_by=("child_id", "assessment_request_id", "plan_id"),
            ),
            scopes=("assessments:read",),
        )
    ],
)
def list_disputes(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    child_id: uuid.UUID | None = None,
    assessment_request_id: uuid.UUID | None = None,
    plan_id: uuid.UUID | None = None,
    kind: DisputeKind | None = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[DisputeEventRead]:
    """Lists mediation and tribunal events, filtered by child, request or plan. Officers
    listing across the LA must send `X-Access-Reason` unless they narrow the list to one of
    these. Schools get 403. Who may call: the LA's officers; schools and families, who see
    only their own children's rows; service clients with the scopes named under `security`.
    Administrators get 403. Filtering by another LA gives an empty page, never its rows.
    Follow `next_cursor` (or the `Link: rel="next"` header) for the next page."""
    scope.require_sees_disputes()
    filters = DisputeFilters(
        child_id=child_id, assessment_request_id=assessment_request_id, plan_id=plan_id, kind=kind
    )
    rows, next_cursor = queries.list_disputes(
        session, filters=filters, scope=scope, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    return Page(items=[present_dispute(row) for row in rows], next_cursor=next_cursor)
