"""HTTP routes of placements. Thin: parse, call the service, present."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from cases_api.access import Scope, ScopeDep
from cases_api.access.policy import Audit, Reason, policy
from cases_api.access.redaction import redact_placement
from cases_api.auth.deps import Officer
from cases_api.core.deps import SessionDep
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link
from cases_api.idempotency.deps import IdempotencyDep, respond_created
from cases_api.placements import queries, service
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.placements.queries import PlacementFilters
from cases_api.placements.schemas import (
    PlacementCreate,
    PlacementEnd,
    PlacementRead,
    present_placement,
)
from cases_api.plans.http import IF_MATCH_PROBLEMS, IfMatch, with_etag

router = APIRouter(tags=["placements"])


@router.post(
    "/placements",
    status_code=status.HTTP_201_CREATED,
    operation_id="createPlacement",
    summary="Place a child at a provision, taking one of its places (409 when none is free)",
    dependencies=[policy(Audit.write("placements"))],
)
def create_placement(
    body: PlacementCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> PlacementRead:
    """Places a child at a provision from a start date, taking one of its places; 409 when none
    is free or the child already has a place there. Who may call: officers of the LA that
    holds the record. Other roles get 403; a record you may not see is 404. Send an
    `Idempotency-Key` to retry safely: the same key and body within 24 hours replay the
    first answer; the same key with another body is 422."""
    created = present_placement(service.create_placement(session, data=body, scope=scope))
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/placements/{created.id}",
        etag=created.etag,
    )
    return created


@router.get(
    "/placements",
    operation_id="listPlacements",
    summary="List placements",
    dependencies=[
        policy(
            Audit.read("placements"),
            reason=Reason.bulk("lists of placements", narrowed_by=("child_id", "provision_id")),
            scopes=("placements:read",),
        )
    ],
)
def list_placements(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    child_id: uuid.UUID | None = None,
    provision_id: uuid.UUID | None = None,
    placement_status: Annotated[PlacementStatus | None, Query(alias="status")] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[PlacementRead]:
    """Lists placements with their costs, filtered by child, provision or whether current.
    Officers listing across the LA must send `X-Access-Reason` unless they narrow the list
    to one child or provision. Who may call: the LA's officers; schools and families, who
    see only their own children's rows; service clients with the scopes named under
    `security`. Administrators get 403. Filtering by another LA gives an empty page, never
    its rows. Follow `next_cursor` (or the `Link: rel="next"` header) for the next page."""
    filters = PlacementFilters(
        child_id=child_id,
        provision_id=provision_id,
        status=placement_status,
        scope=scope,
    )
    rows, next_cursor = queries.list_placements(
        session, filters=filters, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    items = [_as_seen(row, scope) for row in rows]
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/placements/{placement_id}",
    operation_id="getPlacement",
    summary="Read a placement",
    dependencies=[policy(Audit.read("placements", "placement_id"), scopes=("placements:read",))],
)
def get_placement(
    placement_id: uuid.UUID, session: SessionDep, scope: ScopeDep, response: Response
) -> PlacementRead:
    """Reads a placement with its provision, dates and cost, and its `ETag`. Who may call: the
    LA's officers; the child's school and family, for their own children; service clients
    with the scopes named under `security`. Administrators get 403. A record you may not see
    is 404, exactly as one that does not exist."""
    found = _as_seen(service.get_placement(session, placement_id=placement_id, scope=scope), scope)
    with_etag(response, found.etag)
    return found


@router.post(
    "/placements/{placement_id}/end",
    operation_id="endPlacement",
    summary="End a placement and free its place (needs If-Match)",
    responses=IF_MATCH_PROBLEMS,
    dependencies=[policy(Audit.write("placements", "placement_id"))],
)
def end_placement(
    placement_id: uuid.UUID,
    body: PlacementEnd,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> PlacementRead:
    """Ends a placement on a given day and frees its place. Ending it twice is 409. Who may
    call: officers of the LA that holds the record. Other roles get 403; a record you may
    not see is 404. Needs `If-Match` with the ETag of your last read: 428 without it, 412
    when the record has changed since (read it again)."""
    ended = present_placement(
        service.end_placement(
            session, placement_id=placement_id, data=body, if_match=if_match, scope=scope
        )
    )
    with_etag(response, ended.etag)
    return ended


def _as_seen(placement: Placement, scope: Scope) -> PlacementRead:
    return redact_placement(
        present_placement(placement),
        scope,
        establishment_urn=placement.provision.establishment_urn,
    )
