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
