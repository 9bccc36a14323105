"""HTTP routes of children and guardians. Thin: parse, call the service, present."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status

from cases_api.access import ScopeDep
from cases_api.access.policy import Audit, Reason, policy
from cases_api.access.redaction import redact_child, redact_guardian, redact_guardian_links
from cases_api.auth.deps import Officer
from cases_api.children import queries, service
from cases_api.children.models import SenStatus
from cases_api.children.queries import ChildFilters, ChildSort
from cases_api.children.schemas import (
    ChildCreate,
    ChildRead,
    ChildUpdate,
    ContactRestriction,
    GuardianCreate,
    GuardianLinkCreate,
    GuardianLinkRead,
    GuardianRead,
    present_child,
    present_guardian,
    present_link,
)
from cases_api.core.deps import SessionDep
from cases_api.core.errors import InvalidInput
from cases_api.core.etag import etag_for
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link, single_page
from cases_api.core.schemas import IsoDate
from cases_api.core.time import today
from cases_api.idempotency.deps import IdempotencyDep, respond_created
from send_contracts import NeedCode

router = APIRouter(tags=["children"])

IfMatch = Annotated[
    str | None,
    Header(description="The ETag from your last read of this record (required).", max_length=200),
]
DateQuery = Annotated[IsoDate | None, Query(ge=date(1900, 1, 1), le=date(2999, 12, 31))]


@router.post(
    "/children",
    status_code=status.HTTP_201_CREATED,
    operation_id="createChild",
    summary="Record a child or young person, with ranked needs",
    dependencies=[policy(Audit.write("children"))],
)
def create_child(
    body: ChildCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> ChildRead:
    """Records a child or young person in the officer's LA, with their needs ranked (the first
    is the primary need); 201 with `Location` and `ETag`. Who may call: officers of the LA
    that holds the record. Other roles get 403; a record you may not see is 404. Send an
    `Idempotency-Key` to retry safely: the same key and body within 24 hours replay the
    first answer; the same key with another body is 422."""
    created = present_child(service.create_child(session, data=body, scope=scope))
    location = f"/v1/children/{created.id}"
    respond_created(response, idempotency, body=created, location=location, etag=created.etag)
    return created


@router.get(
    "/children/{child_id}",
    operation_id="getChild",
    summary="Read a child",
    dependencies=[policy(Audit.read("children", "child_id"), scopes=("children:read",))],
)
def get_child(
    child_id: uuid.UUID, session: SessionDep, scope: ScopeDep, response: Response
) -> ChildRead:
    """Reads a child's record: name, date of birth, needs, SEN status, school and LA, with its
    `ETag`. Home postcode and location are withheld where flagged do-not-disclose, and from
    callers who may not see them. Who may call: the LA's officers; the child's school and
    family, for their own children; service clients with the scopes named under `security`.
    Administrators get 403. A record you may not see is 404, exactly as one that does not
    exist."""
    found = redact_child(
        present_child(service.get_child(session, child_id=child_id, scope=scope)), scope
    )
    response.headers["ETag"] = found.etag
    return found


@router.patch(
    "/children/{child_id}",
    operation_id="updateChild",
    summary="Change a child's record or needs (needs If-Match)",
    dependencies=[policy(Audit.write("children", "child_id"))],
)
def update_child(
    child_id: uuid.UUID,
    body: ChildUpdate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> ChildRead:
    """Changes the fields sent of a child's record, or replaces the ranked needs. Who may call:
    officers of the LA that holds the record. Other roles get 403; a record you may not see
    is 404. Needs `If-Match` with the ETag of your last read: 428 without it, 412 when the
    record has changed since (read it again)."""
    updated = present_child(
        service.update_child(
            session, child_id=child_id, changes=body, if_match=if_match, scope=scope
        )
    )
    response.headers["ETag"] = updated.etag
    return updated


@router.get(
    "/children",
    operation_id="listChildren",
    summary="List children: LA, need, SEN status, date of birth or age, school, name",
    dependencies=[
        policy(
            Audit.read("children"),
            reason=Reason.bulk("lists of children", narrowed_by=("name_contains",)),
            scopes=("children:read",),
        )
    ],
)
def list_children(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    la_code: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    need: Annotated[NeedCode | None, Query(description="Has this need at any rank.")] = None,
    primary_need: NeedCode | None = None,
    sen_status: SenStatus | None = None,
    born_from: DateQuery = None,
    born_to: DateQuery = None,
    age: Annotated[int | None, Query(ge=0, le=30, description="Age in whole years today.")] = None,
    current_school_urn: Annotated[int | None, Query(ge=100000, le=9999999)] = None,
    name_contains: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    sort: ChildSort = ChildSort.NAME,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[ChildRead]:
    """Lists children, filtered by LA, need, SEN status, date of birth or age, school or part
    of the name. Officers listing across the LA must send `X-Access-Reason` unless they
    narrow the list by name. Who may call: the LA's officers; schools and families, who see
    only their own children's rows; service clients with the scopes named under `security`.
    Administrators get 403. Filtering by another LA gives an empty page, never its rows.
    Follow `next_cursor` (or the `Link: rel="next"` header) for the next page."""
    if born_from is not None and born_to is not None and born_from > born_to:
        raise InvalidInput("born_from is after born_to.")
    filters = ChildFilters(
        la_code=la_code,
        need=need,
        primary_need=primary_need,
        sen_status=sen_status,
        born_from=born_from,
        born_to=born_to,
        age=age,
        current_school_urn=current_school_urn,
        name_contains=name_contains,
    )
    rows, next_cursor = queries.list_children(
        session, filters=filters, scope=scope, sort=sort, limit=limit, cursor=cursor, today=today()
    )
    set_next_link(request, response, next_cursor)
    items = [redact_child(present_child(row), scope) for row in rows]
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/guardians",
    status_code=status.HTTP_201_CREATED,
    operation_id="createGuardian",
    summary="Record a parent's or carer's portal account",
    tags=["guardians"],
    dependencies=[policy(Audit.write("guardians"))],
)
def create_guardian(
    body: GuardianCreate,
    session: SessionDep,
    _: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> GuardianRead:
    """Records the portal account of a parent or carer (their identity provider's external id,
    name and contact details); link it to a child next. An external id already recorded is
    409. Who may call: officers; other roles get 403. Send an `Idempotency-Key` to retry
    safely: the same key and body within 24 hours replay the first answer; the same key with
    another body is 422."""
    created = present_guardian(service.create_guardian(session, data=body, scope=scope))
    respond_created(response, idempotency, body=created, location=f"/v1/guardians/{created.id}")
    return created


@router.get(
    "/guardians",
    operation_id="findGuardians",
    summary="Find a guardian account by its external id (the identity provider's id)",
    tags=["guardians"],
    dependencies=[policy(Audit.read("guardians"), scopes=("guardians:read",))],
)
def find_guardians(
    session: SessionDep,
    scope: ScopeDep,
    external_id: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="The guardian's external id, as the parent's token carries it.",
        ),
    ],
) -> Page[GuardianRead]:
    """A lookup, not a browse: at most one account, and only one the caller may see."""
    found = service.find_guardian_by_external_id(session, external_id=external_id, scope=scope)
    return Page(items=[present_guardian(found)] if found else [], next_cursor=None)


@router.get(
    "/guardians/{guardian_id}",
    operation_id="getGuardian",
    summary="Read a guardian account",
    tags=["guardians"],
    dependencies=[policy(Audit.read("guardians", "guardian_id"), scopes=("guardians:read",))],
)
def get_guardian(
    guardian_id: uuid.UUID, session: SessionDep, scope: ScopeDep, response: Response
) -> GuardianRead:
    """Reads a guardian's account; email and phone are withheld where flagged do-not-disclose.
    A parent sees their own account; officers the guardians of their LA's children and
    accounts not linked yet; a school the verified guardians of its pupils; service clients
    need the scope under `security`. Administrators get 403. An account you may not see is
    404."""
    guardian = service.get_guardian(session, guardian_id=guardian_id, scope=scope)
    response.headers["ETag"] = etag_for(guardian.version)
    return redact_guardian(present_guardian(guardian), scope)


@router.post(
    "/children/{child_id}/guardians",
    status_code=status.HTTP_201_CREATED,
    operation_id="linkGuardian",
    summary="Link a guardian to a child (unverified until an officer verifies it)",
    tags=["guardians"],
    dependencies=[policy(Audit.write("children", "child_id"))],
)
def link_guardian(
    child_id: uuid.UUID,
    body: GuardianLinkCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> GuardianLinkRead:
    """Links a guardian's account to a child. The link stays unverified, and gives the guardian
    nothing, until an officer verifies it. A link already made is 409. Who may call:
    officers of the LA that holds the record. Other roles get 403; a record you may not see
    is 404. Send an `Idempotency-Key` to retry safely: the same key and body within 24 hours
    replay the first answer; the same key with another body is 422."""
    link = present_link(service.link_guardian(session, child_id=child_id, data=body, scope=scope))
    location = f"/v1/children/{child_id}/guardians"
    respond_created(response, idempotency, body=link, location=location)
    return link


@router.post(
    "/children/{child_id}/guardians/{guardian_id}/verification",
    operation_id="verifyGuardianLink",
    summary="Verify a guardian's link to a child (an officer has checked it)",
    tags=["guardians"],
    dependencies=[policy(Audit.write("guardians", "guardian_id"))],
)
def verify_guardian_link(
    child_id: uuid.UUID,
    guardian_id: uuid.UUID,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
) -> GuardianLinkRead:
    """Marks a guardian's link to a child as verified, after an officer has checked it: from
    then on the guardian sees the child's records. Who may call: officers of the LA that
    holds the record. Other roles get 403; a record you may not see is 404."""
    return present_link(
        service.verify_guardian_link(
            session, child_id=child_id, guardian_id=guardian_id, scope=scope
        )
    )


@router.get(
    "/children/{child_id}/guardians",
    operation_id="listChildGuardians",
    summary="A child's guardians and whether each link is verified",
    tags=["guardians"],
    dependencies=[policy(Audit.read("children", "child_id"), scopes=("guardians:read",))],
)
def list_child_guardians(
    child_id: uuid.UUID, session: SessionDep, scope: ScopeDep
) -> Page[GuardianLinkRead]:
    """The guardians linked to a child, each with whether the link is verified. Who may call:
    the LA's officers; the child's school and family, for their own children; service
    clients with the scopes named under `security`. Administrators get 403. A record you may
    not see is 404, exactly as one that does not exist."""
    links = service.list_guardian_links(session, child_id=child_id, scope=scope)
    return single_page(redact_guardian_links([present_link(link) for link in links], scope))


@router.put(
    "/children/{child_id}/contact-restriction",
    operation_id="restrictChildContact",
    summary="Flag (or clear) a child's home postcode and location as do-not-disclose "
    "(needs If-Match)",
    dependencies=[policy(Audit.write("children", "child_id"))],
)
def restrict_child_contact(
    child_id: uuid.UUID,
    body: ContactRestriction,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> ChildRead:
    """Sets (or clears) the do-not-disclose flag on a child's home postcode and location (for
    example where a parent is a risk): flagged, they are withheld from every reader but the
    LA's officers. Who may call: officers of the LA that holds the record. Other roles get
    403; a record you may not see is 404."""
    updated = present_child(
        service.restrict_child_contact(
            session,
            child_id=child_id,
            do_not_disclose=body.do_not_disclose,
            if_match=if_match,
            scope=scope,
        )
    )
    response.headers["ETag"] = updated.etag
    return updated


@router.put(
    "/guardians/{guardian_id}/contact-restriction",
    operation_id="restrictGuardianContact",
    summary="Flag (or clear) a guardian's email and phone as do-not-disclose (needs If-Match)",
    tags=["guardians"],
    dependencies=[policy(Audit.write("guardians", "guardian_id"))],
)
def restrict_guardian_contact(
    guardian_id: uuid.UUID,
    body: ContactRestriction,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> GuardianRead:
    """Sets (or clears) the do-not-disclose flag on a guardian's email and phone: flagged, they
    are withheld from every reader but the LA's officers. Who may call: officers; other
    roles get 403, and a guardian you may not see is 404."""
    guardian = service.restrict_guardian_contact(
        session,
        guardian_id=guardian_id,
        do_not_disclose=body.do_not_disclose,
        if_match=if_match,
        scope=scope,
    )
    response.headers["ETag"] = etag_for(guardian.version)
    return present_guardian(guardian)
