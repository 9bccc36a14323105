"""HTTP routes of annual reviews and the overdue-reviews view. Thin: parse, call, present."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, policy
from cases_api.auth.deps import Officer
from cases_api.core.deps import SessionDep
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link
from cases_api.core.time import today
from cases_api.idempotency.deps import IdempotencyDep, respond_created
from cases_api.plans.http import AsOfQuery, IfMatch, LaCodeQuery, ViewCount, with_etag
from cases_api.plans.service import get_plan
from cases_api.reviews import queries, scheduling, service
from cases_api.reviews.queries import OverdueFilters
from cases_api.reviews.schemas import (
    MeetingLogistics,
    OverdueReviewRead,
    ReviewCreate,
    ReviewDecision,
    ReviewRead,
    ScheduledReviewCreate,
    ScheduledReviewRead,
    ScheduledReviewUpdate,
    present_overdue,
    present_review,
    present_scheduled,
)

router = APIRouter(tags=["annual reviews"])


def _overdue_filters(
    scope: ScopeDep,
    as_of: AsOfQuery = None,
    la_code: LaCodeQuery = None,
    min_days_overdue: Annotated[
        int, Query(ge=1, le=3650, description="Only reviews at least this many days overdue.")
    ] = 1,
) -> OverdueFilters:
    return OverdueFilters(
        as_of=as_of or today(),
        la_code=la_code,
        min_days_overdue=min_days_overdue,
        scope=scope,
    )


OverdueFiltersDep = Annotated[OverdueFilters, Depends(_overdue_filters)]


@router.post(
    "/plans/{plan_id}/reviews",
    status_code=status.HTTP_201_CREATED,
    operation_id="recordReview",
    summary="Record an annual review meeting held; the next review falls due 12 months on",
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def record_review(
    plan_id: uuid.UUID,
    body: ReviewCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> ReviewRead:
    """Records an annual review meeting that was held, with when its notice, advice and report
    went out; the next review falls due 12 months after the meeting, and the decision within
    four weeks. A draft or ceased plan is 409; a meeting in the future or before the last
    one is 422. Who may call: officers of the LA that holds the record. Other roles get 403;
    a record you may not see is 404. Send an `Idempotency-Key` to retry safely: the same key
    and body within 24 hours replay the first answer; the same key with another body is 422."""
    on = today()
    review = service.record_review(session, plan_id=plan_id, data=body, today=on, scope=scope)
    created = present_review(review, get_plan(session, plan_id=plan_id, scope=scope), as_of=on)
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/annual-reviews/{created.id}",
        etag=created.etag,
    )
    return created


@router.get(
    "/plans/{plan_id}/reviews",
    operation_id="listPlanReviews",
    summary="A plan's annual reviews, oldest first, with their milestones",
    dependencies=[policy(Audit.read("plans", "plan_id"), scopes=("plans:read",))],
)
def list_plan_reviews(
    plan_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    as_of: AsOfQuery = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[ReviewRead]:
    """A plan's annual reviews, oldest first, each with its milestones (notice, advice, report,
    decision) and their status. Who may call: the LA's officers; the child's school and
    family, for their own children; service clients with the scopes named under `security`.
    Administrators get 403. A record you may not see is 404, exactly as one that does not
    exist."""
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    reviews, next_cursor = queries.list_reviews(
        session, plan_id=plan_id, scope=scope, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    on = as_of or today()
    return Page(
        items=[present_review(review, plan, as_of=on) for review in reviews],
        next_cursor=next_cursor,
    )


@router.get(
    "/annual-reviews/overdue",
    operation_id="listOverdueReviews",
    summary="Plans whose annual review meeting is overdue, longest overdue first",
    dependencies=[policy(Audit.read("overdue"), scopes=("plans:read",))],
)
def list_overdue_reviews(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: OverdueFiltersDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[OverdueReviewRead]:
    """Plans whose annual review meeting is overdue (more than 12 months since the last),
    longest overdue first. Who may call: the LA's officers (their LA's cases); schools and
    families (only their own children's); service clients with the scopes named under
    `security`. Administrators get 403."""
    rows, next_cursor = queries.list_overdue(session, filters=filters, limit=limit, cursor=cursor)
    set_next_link(request, response, next_cursor)
    return Page(
        items=[present_overdue(plan, child, as_of=filters.as_of) for plan, child in rows],
        next_cursor=next_cursor,
    )


@router.get(
    "/annual-reviews/overdue/count",
    operation_id="countOverdueReviews",
    summary="How many plans are overdue for their annual review (same filters as the list)",
    dependencies=[policy(Audit.read("count"), scopes=("plans:read",))],
)
def count_overdue_reviews(
    session: SessionDep,
    filters: OverdueFiltersDep,
) -> ViewCount:
    """How many plans are overdue for their annual review, with the same filters as the list.
    Who may call: the LA's officers (their LA's cases); schools and families (only their own
    children's); service clients with the scopes named under `security`. Administrators get
    403."""
    return ViewCount(count=queries.count_overdue(session, filters=filters), as_of=filters.as_of)


@router.get(
    "/annual-reviews/decisions-overdue",
    operation_id="listReviewDecisionsOverdue",
    summary="Reviews whose decision is overdue: no decision four weeks after the meeting, or a "
    "decision to amend without its amendment notice (reg 20(10), reg 22(2))",
    dependencies=[policy(Audit.read("decisions-overdue"), scopes=("plans:read",))],
)
def list_review_decisions_overdue(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: OverdueFiltersDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[ReviewRead]:
    """Reviews whose decision is overdue: no decision four weeks after the meeting (reg
    20(10)), or a decision to amend without its amendment notice (reg 22(2)). Who may call:
    the LA's officers (their LA's cases); schools and families (only their own children's);
    service clients with the scopes named under `security`. Administrators get 403."""
    rows, next_cursor = queries.list_decisions_overdue(
        session, filters=filters, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    return Page(
        items=[present_review(review, plan, as_of=filters.as_of) for review, plan in rows],
        next_cursor=next_cursor,
    )


@router.get(
    "/annual-reviews/decisions-overdue/count",
    operation_id="countReviewDecisionsOverdue",
    summary="How many review decisions are overdue (same filters as the list)",
    dependencies=[policy(Audit.read("count"), scopes=("plans:read",))],
)
def count_review_decisions_overdue(session: SessionDep, filters: OverdueFiltersDep) -> ViewCount:
    """How many review decisions are overdue, with the same filters as the list. Who may call:
    the LA's officers (their LA's cases); schools and families (only their own children's);
    service clients with the scopes named under `security`. Administrators get 403."""
    count = queries.count_decisions_overdue(session, filters=filters)
    return ViewCount(count=count, as_of=filters.as_of)


@router.get(
    "/annual-reviews/{review_id:uuid}",
    operation_id="getReview",
    summary="Read an annual review with each milestone's status",
    dependencies=[policy(Audit.read("annual-reviews", "review_id"), scopes=("plans:read",))],
)
def get_review(
    review_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    as_of: AsOfQuery = None,
) -> ReviewRead:
    """Reads an annual review with each milestone's due date and status, and its `ETag`. Who
    may call: the LA's officers; the child's school and family, for their own children;
    service clients with the scopes named under `security`. Administrators get 403. A record
    you may not see is 404, exactly as one that does not exist."""
    review = service.get_review(session, review_id=review_id, scope=scope)
    plan = get_plan(session, plan_id=review.plan_id, scope=scope)
    found = present_review(review, plan, as_of=as_of or today())
    with_etag(response, found.etag)
    return found


@router.patch(
    "/annual-reviews/{review_id:uuid}",
    operation_id="decideReview",
    summary="Record the decision after the meeting: maintain, amend or cease (needs If-Match)",
    dependencies=[policy(Audit.write("annual-reviews", "review_id"))],
)
def decide_review(
    review_id: uuid.UUID,
    body: ReviewDecision,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> ReviewRead:
    """Records the LA's decision after the review meeting: maintain the plan, amend it, or
    cease it, with the day the family was told. Deciding twice is 409. Who may call:
    officers of the LA that holds the record. Other roles get 403; a record you may not see
    is 404. Needs `If-Match` with the ETag of your last read: 428 without it, 412 when the
    record has changed since (read it again)."""
    on = today()
    review = service.decide_review(
        session, review_id=review_id, data=body, if_match=if_match, today=on, scope=scope
    )
    plan = get_plan(session, plan_id=review.plan_id, scope=scope)
    decided = present_review(review, plan, as_of=on)
    with_etag(response, decided.etag)
    return decided


@router.patch(
    "/annual-reviews/{review_id:uuid}/meeting",
    operation_id="recordReviewMeetingLogistics",
    summary="Record when the meeting's notice, advice and report went out (reg 20(3), (4), (7); "
    "reg 21) (needs If-Match)",
    dependencies=[policy(Audit.write("annual-reviews", "review_id"))],
)
def record_meeting_logistics(
    review_id: uuid.UUID,
    body: MeetingLogistics,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> ReviewRead:
    """Records when the meeting's invitations, the advice and the report went out (reg 20(3),
    (4), (7); reg 21), so their milestones show met or late. Who may call: officers of the
    LA that holds the record. Other roles get 403; a record you may not see is 404. Needs
    `If-Match` with the ETag of your last read: 428 without it, 412 when the record has
    changed since (read it again)."""
    on = today()
    review = service.record_logistics(
        session, review_id=review_id, data=body, if_match=if_match, today=on, scope=scope
    )
    plan = get_plan(session, plan_id=review.plan_id, scope=scope)
    recorded = present_review(review, plan, as_of=on)
    with_etag(response, recorded.etag)
    return recorded


@router.post(
    "/plans/{plan_id}/scheduled-review",
    status_code=status.HTTP_201_CREATED,
    operation_id="scheduleReviewMeeting",
    summary="Schedule the plan's next review meeting before it is held; its notice and advice "
    "fall due two weeks before it (reg 20(3), (4); reg 21)",
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def schedule_review_meeting(
    plan_id: uuid.UUID,
    body: ScheduledReviewCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> ScheduledReviewRead:
    """Schedules the plan's next review meeting before it is held; its invitations and advice
    fall due two weeks before it (reg 20(3), (4); reg 21). A meeting already scheduled is
    409. Who may call: officers of the LA that holds the record. Other roles get 403; a
    record you may not see is 404. Send an `Idempotency-Key` to retry safely: the same key
    and body within 24 hours replay the first answer; the same key with another body is 422."""
    on = today()
    scheduled = scheduling.schedule(session, plan_id=plan_id, data=body, today=on, scope=scope)
    created = present_scheduled(
        scheduled, get_plan(session, plan_id=plan_id, scope=scope), as_of=on
    )
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/plans/{plan_id}/scheduled-review",
        etag=created.etag,
    )
    return created


@router.get(
    "/plans/{plan_id}/scheduled-review",
    operation_id="getScheduledReviewMeeting",
    summary="The plan's scheduled review meeting with its notice and advice deadlines",
    dependencies=[policy(Audit.read("plans", "plan_id"), scopes=("plans:read",))],
)
def get_scheduled_review_meeting(
    plan_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    as_of: AsOfQuery = None,
) -> ScheduledReviewRead:
    """The plan's scheduled review meeting with the deadlines of its notice and advice; 404
    when none is scheduled. Who may call: the LA's officers; the child's school and family,
    for their own children; service clients with the scopes named under `security`.
    Administrators get 403. A record you may not see is 404, exactly as one that does not
    exist."""
    scheduled = scheduling.get_scheduled(session, plan_id=plan_id, scope=scope)
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    found = present_scheduled(scheduled, plan, as_of=as_of or today())
    with_etag(response, found.etag)
    return found


@router.patch(
    "/plans/{plan_id}/scheduled-review",
    operation_id="updateScheduledReviewMeeting",
    summary="Move the scheduled review meeting, or record its notice and advice as they go out "
    "(needs If-Match)",
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def update_scheduled_review_meeting(
    plan_id: uuid.UUID,
    body: ScheduledReviewUpdate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> ScheduledReviewRead:
    """Moves the scheduled meeting to another day (its notice and advice deadlines move with
    it), or records its notice and advice as they go out. A new day that does not fit
    (before the advice went out, or the plan's last meeting) is 422. Who may call: officers
    of the LA that holds the record. Other roles get 403; a record you may not see is 404.
    Needs `If-Match` with the ETag of your last read: 428 without it, 412 when the record
    has changed since (read it again)."""
    on = today()
    scheduled = scheduling.update_scheduled(
        session, plan_id=plan_id, data=body, if_match=if_match, today=on, scope=scope
    )
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    updated = present_scheduled(scheduled, plan, as_of=on)
    with_etag(response, updated.etag)
    return updated


@router.delete(
    "/plans/{plan_id}/scheduled-review",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="cancelScheduledReviewMeeting",
    summary="Cancel the scheduled review meeting (needs If-Match)",
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def cancel_scheduled_review_meeting(
    plan_id: uuid.UUID,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    if_match: IfMatch = None,
) -> None:
    """Cancels the scheduled review meeting; 204. Who may call: officers of the LA that holds
    the record. Other roles get 403; a record you may not see is 404. Needs `If-Match` with
    the ETag of your last read: 428 without it, 412 when the record has changed since (read
    it again)."""
    scheduling.cancel_scheduled(session, plan_id=plan_id, if_match=if_match, scope=scope)
