"""HTTP routes of the provisions directory. Thin: parse, call the service, present."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response, status

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, policy
from cases_api.auth.deps import CurrentPrincipal, OfficerOrAdmin
from cases_api.core.deps import SessionDep
from cases_api.core.errors import InvalidInput
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link
from cases_api.idempotency.deps import IdempotencyDep, respond_created
from cases_api.provisions import queries, service
from cases_api.provisions.models import Phase
from cases_api.provisions.queries import (
    EstablishmentSort,
    NearPoint,
    ProvisionFilters,
    ProvisionSort,
)
from cases_api.provisions.schemas import (
    EstablishmentCreate,
    EstablishmentRead,
    EstablishmentUpdate,
    ProvisionCreate,
    ProvisionRead,
    ProvisionUpdate,
    present_establishment,
    present_provision,
)
from send_contracts import NeedCode, ProvisionKind

router = APIRouter(tags=["provisions"])

UrnPath = Annotated[int, Path(ge=100000, le=9999999, description="The establishment's URN.")]
IfMatch = Annotated[
    str | None,
    Header(description="The ETag from your last read of this record (required).", max_length=200),
]


def _with_etag(response: Response, etag: str) -> None:
    response.headers["ETag"] = etag


@router.post(
    "/establishments",
    status_code=status.HTTP_201_CREATED,
    operation_id="createEstablishment",
    summary="Add an establishment (school, college, provider) to the directory",
    dependencies=[policy(Audit.write("establishments"))],
)
def create_establishment(
    body: EstablishmentCreate,
    session: SessionDep,
    principal: OfficerOrAdmin,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> EstablishmentRead:
    """Adds a school, college or other provider to the directory under its URN (from GIAS); 201
    with `Location` and `ETag`. A URN already in the directory is 409. Who may call:
    officers and administrators, for their own LA's entries; other roles get 403. Send an
    `Idempotency-Key` to retry safely: the same key and body within 24 hours replay the
    first answer; the same key with another body is 422."""
    created = present_establishment(service.create_establishment(session, data=body, scope=scope))
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/establishments/{created.urn}",
        etag=created.etag,
    )
    return created


@router.get(
    "/establishments/{urn}",
    operation_id="getEstablishment",
    summary="Read an establishment",
    dependencies=[policy(Audit.read("establishments", "urn"))],
)
def get_establishment(
    urn: UrnPath, session: SessionDep, _: CurrentPrincipal, response: Response
) -> EstablishmentRead:
    """Reads one establishment by its URN, with its `ETag` for a later change. An unknown URN
    is 404. Who may call: any authenticated caller; the directory is published to every
    role."""
    found = present_establishment(service.get_establishment(session, urn=urn))
    _with_etag(response, found.etag)
    return found


@router.patch(
    "/establishments/{urn}",
    operation_id="updateEstablishment",
    summary="Change an establishment (needs If-Match)",
    responses={412: {"description": "Stale If-Match"}, 428: {"description": "No If-Match"}},
    dependencies=[policy(Audit.write("establishments", "urn"))],
)
def update_establishment(
    urn: UrnPath,
    body: EstablishmentUpdate,
    session: SessionDep,
    principal: OfficerOrAdmin,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> EstablishmentRead:
    """Changes the fields sent (name, phase, address, LA …) of an establishment; the others
    stay. Who may call: officers and administrators, for their own LA's entries; other roles
    get 403. Needs `If-Match` with the ETag of your last read: 428 without it, 412 when the
    record has changed since (read it again)."""
    updated = present_establishment(
        service.update_establishment(session, urn=urn, changes=body, if_match=if_match, scope=scope)
    )
    _with_etag(response, updated.etag)
    return updated


@router.get(
    "/establishments",
    operation_id="listEstablishments",
    summary="List establishments, filtered and paginated",
    dependencies=[policy(Audit.read("establishments"))],
)
def list_establishments(
    request: Request,
    response: Response,
    session: SessionDep,
    _: CurrentPrincipal,
    la_code: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    phase: Phase | None = None,
    name_contains: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    sort: EstablishmentSort = EstablishmentSort.URN,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[EstablishmentRead]:
    """Lists the directory's establishments, filtered by LA code, phase or part of the name,
    sorted by URN or name, a page at a time (`limit`, `cursor`). Who may call: any
    authenticated caller; the directory is published to every role."""
    rows, next_cursor = queries.list_establishments(
        session,
        la_code=la_code,
        phase=phase,
        name_contains=name_contains,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )
    set_next_link(request, response, next_cursor)
    return Page(items=[present_establishment(row) for row in rows], next_cursor=next_cursor)


@router.post(
    "/provisions",
    status_code=status.HTTP_201_CREATED,
    operation_id="createProvision",
    summary="Add a provision (places of one kind) at an establishment",
    dependencies=[policy(Audit.write("provisions"))],
)
def create_provision(
    body: ProvisionCreate,
    session: SessionDep,
    principal: OfficerOrAdmin,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> ProvisionRead:
    """Adds a provision (places of one kind, for given needs and ages, with their costs in
    pence) at an establishment already in the directory; 201 with `Location` and `ETag`.
    Cross-field rules (age range, places taken and held within the total, a fee for
    independent providers) are 422. Who may call: officers and administrators, for their own
    LA's entries; other roles get 403. Send an `Idempotency-Key` to retry safely: the same
    key and body within 24 hours replay the first answer; the same key with another body is
    422."""
    created = present_provision(service.create_provision(session, data=body, scope=scope))
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/provisions/{created.id}",
        etag=created.etag,
    )
    return created


@router.get(
    "/provisions/{provision_id}",
    operation_id="getProvision",
    summary="Read a provision",
    dependencies=[policy(Audit.read("provisions", "provision_id"))],
)
def get_provision(
    provision_id: uuid.UUID, session: SessionDep, _: CurrentPrincipal, response: Response
) -> ProvisionRead:
    """Reads one provision with its places, free places and costs (pence), and its `ETag`. An
    unknown id is 404. Who may call: any authenticated caller; the directory is published to
    every role."""
    found = present_provision(service.get_provision(session, provision_id=provision_id))
    _with_etag(response, found.etag)
    return found


@router.patch(
    "/provisions/{provision_id}",
    operation_id="updateProvision",
    summary="Change a provision's places, costs or designation (needs If-Match)",
    responses={412: {"description": "Stale If-Match"}, 428: {"description": "No If-Match"}},
    dependencies=[policy(Audit.write("provisions", "provision_id"))],
)
def update_provision(
    provision_id: uuid.UUID,
    body: ProvisionUpdate,
    session: SessionDep,
    principal: OfficerOrAdmin,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> ProvisionRead:
    """Changes a provision's places, costs, needs, ages or designation; the fields not sent
    stay. Taking the total below the places taken and held in allocation rounds is 422. Who
    may call: officers and administrators, for their own LA's entries; other roles get 403.
    Needs `If-Match` with the ETag of your last read: 428 without it, 412 when the record
    has changed since (read it again)."""
    updated = present_provision(
        service.update_provision(
            session, provision_id=provision_id, changes=body, if_match=if_match, scope=scope
        )
    )
    _with_etag(response, updated.etag)
    return updated


@router.get(
    "/provisions",
    operation_id="listProvisions",
    summary="Search the directory: kind, need, LA, phase, age, free places, distance",
    dependencies=[policy(Audit.read("provisions"))],
)
def list_provisions(
    request: Request,
    response: Response,
    session: SessionDep,
    _: CurrentPrincipal,
    kind: Annotated[list[ProvisionKind] | None, Query(description="Repeat for several.")] = None,
    need: Annotated[
        NeedCode | None, Query(description="Accepts this need (designated for it, or for any).")
    ] = None,
    la_code: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    phase: Phase | None = None,
    age: Annotated[
        int | None,
        Query(
            ge=0,
            le=25,
            description="Admits a child of this school-year age (the age on the 31 August "
            "before entry: Reception 4, Year 7 11).",
        ),
    ] = None,
    has_free_places: bool | None = None,
    establishment_urn: Annotated[int | None, Query(ge=100000, le=9999999)] = None,
    near_lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    near_lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    within_km: Annotated[float | None, Query(gt=0, le=1000)] = None,
    sort: ProvisionSort = ProvisionSort.NAME,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[ProvisionRead]:
    """Searches the directory: by kind, need, LA, phase, the age of the child, whether places
    are free, and distance from a point (`near_lat`, `near_lon`, `within_km`). Paginated
    with `limit` and `cursor`. Who may call: any authenticated caller; the directory is
    published to every role."""
    if (near_lat is None) != (near_lon is None):
        raise InvalidInput("near_lat and near_lon go together.")
    if within_km is not None and near_lat is None:
        raise InvalidInput("within_km needs near_lat and near_lon.")
    near = (
        NearPoint(lat=near_lat, lon=near_lon, within_km=within_km)
        if near_lat is not None and near_lon is not None
        else None
    )
    filters = ProvisionFilters(
        kinds=kind or (),
        need=need,
        la_code=la_code,
        phase=phase,
        age=age,
        has_free_places=has_free_places,
        establishment_urn=establishment_urn,
        near=near,
    )
    rows, next_cursor = queries.list_provisions(
        session, filters=filters, sort=sort, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    return Page(
        items=[present_provision(row, distance_km=distance) for row, distance in rows],
        next_cursor=next_cursor,
    )
