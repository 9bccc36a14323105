"""HTTP routes of EHC plans. Thin: parse, call the service, present."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, Reason, policy
from cases_api.access.redaction import redact_diff, redact_submission, redact_version
from cases_api.auth.deps import Officer
from cases_api.core.deps import SessionDep
from cases_api.core.etag import etag_for
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link, single_page
from cases_api.idempotency.deps import Idempotency, IdempotencyDep, respond_created
from cases_api.plans import family, queries, service
from cases_api.plans.family_schemas import (
    DraftCommentsCreate,
    FamilySubmissionRead,
    FamilyViewsCreate,
    present_submission,
)
from cases_api.plans.http import IF_MATCH_PROBLEMS, AsOfQuery, IfMatch, with_etag
from cases_api.plans.models import FamilySubmission, PlanVersion, SubmissionKind
from cases_api.plans.queries import PlanFilters
from cases_api.plans.schemas import (
    AmendedPlanIssue,
    PlanCreate,
    PlanDiffRead,
    PlanRead,
    PlanStatus,
    PlanVersionCreate,
    PlanVersionRead,
    PlanVersionSummary,
    present_plan,
    present_version,
    present_version_summary,
)

router = APIRouter(tags=["plans"])

VersionNumber = Annotated[int, Path(ge=1, le=100_000, description="1 is the first draft.")]


@router.post(
    "/plans",
    status_code=status.HTTP_201_CREATED,
    operation_id="createPlan",
    summary="Start a child's EHC plan with its draft (version 1)",
    dependencies=[policy(Audit.write("plans"))],
)
def create_plan(
    body: PlanCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> PlanRead:
    """Starts a child's EHC plan from an assessment that decided to issue one, with its draft
    as version 1 (sections A–K) sent to the family on `issued_on`; the family's 15 days to
    comment run from it. A child whose plan has not ceased already has one (409: add a
    version to it instead). Who may call: officers of the LA that holds the record. Other
    roles get 403; a record you may not see is 404. Send an `Idempotency-Key` to retry
    safely: the same key and body within 24 hours replay the first answer; the same key with
    another body is 422."""
    created = present_plan(service.create_plan(session, data=body, scope=scope))
    respond_created(
        response, idempotency, body=created, location=f"/v1/plans/{created.id}", etag=created.etag
    )
    return created


@router.get(
    "/plans",
    operation_id="listPlans",
    summary="List plans, newest first",
    dependencies=[
        policy(
            Audit.read("plans"),
            reason=Reason.bulk("lists of plans", narrowed_by=("child_id",)),
            scopes=("plans:read",),
        )
    ],
)
def list_plans(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    child_id: uuid.UUID | None = None,
    la_code: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    plan_status: Annotated[PlanStatus | None, Query(alias="status")] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[PlanRead]:
    """Lists EHC plans, newest first, filtered by child, LA or status. Officers listing across
    the LA must send `X-Access-Reason` unless they narrow the list to one child. Who may
    call: the LA's officers; schools and families, who see only their own children's rows;
    service clients with the scopes named under `security`. Administrators get 403.
    Filtering by another LA gives an empty page, never its rows. Follow `next_cursor` (or
    the `Link: rel="next"` header) for the next page."""
    filters = PlanFilters(
        child_id=child_id,
        la_code=la_code,
        status=plan_status,
        scope=scope,
    )
    plans, next_cursor = queries.list_plans(session, filters=filters, limit=limit, cursor=cursor)
    set_next_link(request, response, next_cursor)
    return Page(items=[present_plan(plan) for plan in plans], next_cursor=next_cursor)


@router.get(
    "/plans/{plan_id}",
    operation_id="getPlan",
    summary="Read a plan",
    dependencies=[policy(Audit.read("plans", "plan_id"), scopes=("plans:read",))],
)
def get_plan(
    plan_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    as_of: AsOfQuery = None,
) -> PlanRead:
    """Reads a plan: its status, latest version, named setting, milestones (final plan,
    reviews, amendments) and `ETag`. Who may call: the LA's officers; the child's school and
    family, for their own children; service clients with the scopes named under `security`.
    Administrators get 403. A record you may not see is 404, exactly as one that does not
    exist."""
    found = present_plan(service.get_plan(session, plan_id=plan_id, scope=scope), as_of=as_of)
    with_etag(response, found.etag)
    return found


@router.post(
    "/plans/{plan_id}/versions",
    status_code=status.HTTP_201_CREATED,
    operation_id="addPlanVersion",
    summary="Issue the plan's next version: draft, final, amendment notice or re-issue "
    "(needs If-Match with the plan's ETag)",
    responses=IF_MATCH_PROBLEMS,
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def add_plan_version(
    plan_id: uuid.UUID,
    body: PlanVersionCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> PlanVersionRead:
    """Issues the plan's next version: a draft, the final plan, an amendment notice, or a
    re-issue. Versions follow the statutory order (a final plan only after the family's
    comment window, for example); an out-of-order version is 409. Who may call: officers of
    the LA that holds the record. Other roles get 403; a record you may not see is 404.
    Needs `If-Match` with the ETag of your last read: 428 without it, 412 when the record
    has changed since (read it again). Send an `Idempotency-Key` to retry safely: the same
    key and body within 24 hours replay the first answer; the same key with another body is
    422."""
    version = service.add_version(
        session, plan_id=plan_id, data=body, if_match=if_match, scope=scope
    )
    return _created_version(session, version, response=response, idempotency=idempotency)


@router.post(
    "/plans/{plan_id}/amended-plan",
    status_code=status.HTTP_201_CREATED,
    operation_id="issueAmendedPlan",
    summary="Issue the amended plan as the latest amendment notice proposed it, once the "
    "family's 15 days have run and the school consulted has agreed (needs If-Match)",
    responses=IF_MATCH_PROBLEMS,
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def issue_amended_plan(
    plan_id: uuid.UUID,
    body: AmendedPlanIssue,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
    if_match: IfMatch = None,
) -> PlanVersionRead:
    """Issues the amended plan exactly as the latest amendment notice proposed it, once the
    family's 15 days have run and the school consulted has agreed; before then it is 409
    saying what is still awaited. Who may call: officers of the LA that holds the record.
    Other roles get 403; a record you may not see is 404. Needs `If-Match` with the ETag of
    your last read: 428 without it, 412 when the record has changed since (read it again).
    Send an `Idempotency-Key` to retry safely: the same key and body within 24 hours replay
    the first answer; the same key with another body is 422."""
    version = service.issue_amended_plan(
        session,
        plan_id=plan_id,
        issued_on=body.issued_on,
        comments_waived=body.comments_waived,
        if_match=if_match,
        scope=scope,
    )
    return _created_version(session, version, response=response, idempotency=idempotency)


def _created_version(
    session: Session, version: PlanVersion, *, response: Response, idempotency: Idempotency
) -> PlanVersionRead:
    created = present_version(version).model_copy(
        update={"warnings": service.named_setting_warnings(session, version=version)}
    )
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/plans/{version.plan_id}/versions/{version.number}",
        etag=etag_for(version.plan.version),
    )
    return created


@router.get(
    "/plans/{plan_id}/versions",
    operation_id="listPlanVersions",
    summary="Every version of a plan, oldest first",
    dependencies=[policy(Audit.read("plans", "plan_id"), scopes=("plans:read",))],
)
def list_plan_versions(
    plan_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[PlanVersionSummary]:
    """Every version of a plan, oldest first, with its kind and issue date (the sections are
    read one version at a time). Who may call: the LA's officers; the child's school and
    family, for their own children; service clients with the scopes named under `security`.
    Administrators get 403. A record you may not see is 404, exactly as one that does not
    exist."""
    service.get_plan(session, plan_id=plan_id, scope=scope)
    versions, next_cursor = queries.list_versions(
        session, plan_id=plan_id, scope=scope, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    return Page(items=[present_version_summary(v) for v in versions], next_cursor=next_cursor)


@router.get(
    "/plans/{plan_id}/versions/{number}",
    operation_id="getPlanVersion",
    summary="Read one version of a plan, with its sections A–K",
    dependencies=[policy(Audit.read("versions", "number"), scopes=("plans:read",))],
)
def get_plan_version(
    plan_id: uuid.UUID, number: VersionNumber, session: SessionDep, scope: ScopeDep
) -> PlanVersionRead:
    """Reads one version of a plan with its sections A–K. An unknown version number is 404. Who
    may call: the LA's officers; the child's school and family, for their own children;
    service clients with the scopes named under `security`. Administrators get 403. A record
    you may not see is 404, exactly as one that does not exist."""
    found = service.get_version(session, plan_id=plan_id, number=number, scope=scope)
    return redact_version(present_version(found), scope)


@router.get(
    "/plans/{plan_id}/versions/{number}/diff/{other}",
    operation_id="diffPlanVersions",
    summary="What changed from one version to another, section by section",
    dependencies=[policy(Audit.read("versions", "number"), scopes=("plans:read",))],
)
def diff_plan_versions(
    plan_id: uuid.UUID,
    number: VersionNumber,
    other: VersionNumber,
    session: SessionDep,
    scope: ScopeDep,
) -> PlanDiffRead:
    """What changed from one version of a plan to another, section by section (added, removed,
    changed), for the family and the school to see the amendments. Who may call: the LA's
    officers; the child's school and family, for their own children; service clients with
    the scopes named under `security`. Administrators get 403. A record you may not see is
    404, exactly as one that does not exist."""
    diff = service.diff_versions(
        session, plan_id=plan_id, from_number=number, to_number=other, scope=scope
    )
    return redact_diff(diff, scope)


@router.post(
    "/plans/{plan_id}/family-views",
    status_code=status.HTTP_201_CREATED,
    operation_id="submitFamilyViews",
    summary="The family's views, interests and aspirations for section A",
    tags=["family"],
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def submit_family_views(
    plan_id: uuid.UUID,
    body: FamilyViewsCreate,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> FamilySubmissionRead:
    """The family's views, interests and aspirations, which go into section A of the plan. Who
    may call: a verified guardian of the child, or an officer of the child's LA on the
    family's behalf; schools, service clients and administrators get 403. Send an
    `Idempotency-Key` to retry safely: the same key and body within 24 hours replay the
    first answer; the same key with another body is 422."""
    submitted = family.submit(
        session, plan_id=plan_id, kind=SubmissionKind.VIEWS, content=body.model_dump(), scope=scope
    )
    return _created_submission(submitted, response, idempotency)


def _created_submission(
    submitted: FamilySubmission, response: Response, idempotency: Idempotency
) -> FamilySubmissionRead:
    created = present_submission(submitted)
    location = f"/v1/plans/{created.plan_id}/family-submissions"
    respond_created(response, idempotency, body=created, location=location)
    return created


@router.post(
    "/plans/{plan_id}/draft-comments",
    status_code=status.HTTP_201_CREATED,
    operation_id="commentOnDraft",
    summary="The family's comments on the draft (or amendment notice) in its comment window",
    tags=["family"],
    dependencies=[policy(Audit.write("plans", "plan_id"))],
)
def comment_on_draft(
    plan_id: uuid.UUID,
    body: DraftCommentsCreate,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> FamilySubmissionRead:
    """The family's comments on the draft plan or an amendment notice, kept with the version
    they were sent on; 409 when the latest version is neither. Who may call: a verified
    guardian of the child, or an officer of the child's LA on the family's behalf; others
    get 403. Send an `Idempotency-Key` to retry safely: the same key and body within 24
    hours replay the first answer; the same key with another body is 422."""
    kind = SubmissionKind.DRAFT_COMMENTS
    submitted = family.submit(
        session, plan_id=plan_id, kind=kind, content=body.model_dump(), scope=scope
    )
    return _created_submission(submitted, response, idempotency)


@router.get(
    "/plans/{plan_id}/family-submissions",
    operation_id="listFamilySubmissions",
    summary="What the family has sent about the plan, oldest first",
    tags=["family"],
    dependencies=[policy(Audit.read("plans", "plan_id"), scopes=("plans:read",))],
)
def list_family_submissions(
    plan_id: uuid.UUID, session: SessionDep, scope: ScopeDep
) -> Page[FamilySubmissionRead]:
    """Everything the family has sent about the plan (views, comments), oldest first. Who may
    call: the LA's officers, the child's family, and service clients with the scope under
    `security`; schools get 403 (these are between the family and the LA), administrators
    too."""
    found = family.list_submissions(session, plan_id=plan_id, scope=scope)
    return single_page(redact_submission(present_submission(s), scope) for s in found)
