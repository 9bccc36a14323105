"""Children, guardians and their links. Services flush; the request's unit of work commits."""

import uuid

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cases_api.access import Scope
from cases_api.children.models import Child, ChildGuardian, ChildNeed, Guardian
from cases_api.children.schemas import ChildCreate, ChildUpdate, GuardianCreate, GuardianLinkCreate
from cases_api.core.errors import Conflict, InvalidInput, NotFound, UnknownReference
from cases_api.core.etag import check_if_match
from cases_api.core.time import today, utcnow
from send_contracts import NeedCode

_NULLABLE = frozenset({"ethnicity", "upn", "uln", "home_location", "current_school_urn"})


def get_child(session: Session, *, child_id: uuid.UUID, scope: Scope) -> Child:
    """The child with this id, if the caller may see it."""
    return scope.require_child(session, child_id)


def _writable_child(session: Session, *, child_id: uuid.UUID, scope: Scope) -> Child:
    child = scope.require_child(session, child_id)
    scope.require_write(child)
    return child


def create_child(session: Session, *, data: ChildCreate, scope: Scope) -> Child:
    """Record a child, with ranked needs."""
    scope.require_write_in(data.la_code)
    _ensure_identifiers_free(session, upn=data.upn, uln=data.uln, child_id=None)
    location = data.home_location
    child = Child(
        **data.model_dump(exclude={"home_location", "needs"}),
        home_latitude=location.lat if location else None,
        home_longitude=location.lon if location else None,
        need_rows=_need_rows(data.needs),
    )
    session.add(child)
    _flush_unique_identifiers(session)
    return child


def update_child(
    session: Session,
    *,
    child_id: uuid.UUID,
    changes: ChildUpdate,
    if_match: str | None,
    scope: Scope,
) -> Child:
    """Change the fields sent, if the caller saw the current version."""
    child = _writable_child(session, child_id=child_id, scope=scope)
    check_if_match(if_match, current_version=child.version)
    sent = changes.model_fields_set
    for name in sent - _NULLABLE:
        if getattr(changes, name) is None:
            raise InvalidInput(f"{name} cannot be set to null.")
    _ensure_identifiers_free(
        session,
        upn=changes.upn if "upn" in sent else None,
        uln=changes.uln if "uln" in sent else None,
        child_id=child.id,
    )
    if changes.needs is not None:
        # Ranks are the primary key: delete the old rows first so re-ranking never collides.
        child.need_rows = []
        session.flush()
        child.need_rows = _need_rows(changes.needs)
    if "current_school_urn" in sent:
        _record_school_move(child, new_urn=changes.current_school_urn)
    for name in sent - {"home_location", "needs"}:
        setattr(child, name, getattr(changes, name))
    if "home_location" in sent:
        location = changes.home_location
        child.home_latitude = location.lat if location else None
        child.home_longitude = location.lon if location else None
    # Touch the row itself so its version (the ETag) moves even when only the needs changed.
    child.updated_at = utcnow()
    _flush_unique_identifiers(session)
    return child


def _record_school_move(child: Child, *, new_urn: int | None) -> None:
    """Remember the school the child leaves and the day, so its access ends after the grace
    period (`access.ties`) rather than at once or never."""
    if child.current_school_urn is not None and child.current_school_urn != new_urn:
        child.previous_school_urn = child.current_school_urn
        child.left_previous_school_on = today()


def _ensure_identifiers_free(
    session: Session, *, upn: str | None, uln: str | None, child_id: uuid.UUID | None
) -> None:
    for column, value in ((Child.upn, upn), (Child.uln, uln)):
        if value is None:
            continue
        query = sa.select(Child.id).where(column == value)
        if child_id is not None:
            query = query.where(Child.id != child_id)
        if session.scalar(query) is not None:
            raise Conflict(f"Another child already has {column.key.upper()} {value}.")


def _flush_unique_identifiers(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent write took the UPN or ULN first
        raise Conflict("Another child already has this UPN or ULN.") from error
    except StaleDataError as error:  # a concurrent update with the same If-Match won
        raise Conflict(
            "Someone else changed this child at the same moment; read it again."
        ) from error


def _need_rows(needs: list[NeedCode]) -> list[ChildNeed]:
    return [ChildNeed(rank=rank, need=need) for rank, need in enumerate(needs, start=1)]


def get_guardian(session: Session, *, guardian_id: uuid.UUID, scope: Scope) -> Guardian:
    """The guardian account with this id, if the caller may see it."""
    guardian = _visible_guardian(session, guardian_id=guardian_id, scope=scope)
    if guardian is None:
        raise NotFound(f"No guardian with id {guardian_id}.")
    return guardian


def create_guardian(session: Session, *, data: GuardianCreate, scope: Scope) -> Guardian:
    """Record a parent's or carer's portal account. A duplicate external id names the account
    that holds it, by id when the caller may see that account (without, when it may not: the
    id would be a way into a record the caller has no business with)."""
    taken = session.scalar(sa.select(Guardian.id).where(Guardian.external_id == data.external_id))
    if taken is not None:
        if find_guardian_by_external_id(session, external_id=data.external_id, scope=scope):
            raise Conflict(
                f"Guardian {taken} already has external_id {data.external_id!r}: link that "
                "account instead of creating another.",
                existing_id=str(taken),
                existing=f"/v1/guardians/{taken}",
            )
        raise Conflict(
            f"A guardian account with external_id {data.external_id!r} already exists, linked "
            "to children outside your scope; ask the LA that holds it."
        )
    guardian = Guardian(**data.model_dump())
    session.add(guardian)
    session.flush()
    return guardian


def link_guardian(
    session: Session, *, child_id: uuid.UUID, data: GuardianLinkCreate, scope: Scope
) -> ChildGuardian:
    """Link a guardian to a child, unverified until an officer verifies it."""
    child = _writable_child(session, child_id=child_id, scope=scope)
    guardian = _visible_guardian(session, guardian_id=data.guardian_id, scope=scope)
    if guardian is None:
        raise UnknownReference(
            f"guardian_id {data.guardian_id} is not a known guardian; create it first."
        )
    if session.get(ChildGuardian, (child.id, guardian.id)) is not None:
        raise Conflict("This guardian is already linked to this child.")
    link = ChildGuardian(
        child=child, guardian=guardian, relationship_to_child=data.relationship_to_child
    )
    session.add(link)
    session.flush()
    return link


def verify_guardian_link(
    session: Session, *, child_id: uuid.UUID, guardian_id: uuid.UUID, scope: Scope
) -> ChildGuardian:
    """Mark a link verified by this officer (idempotent: the first verification is kept)."""
    child = _writable_child(session, child_id=child_id, scope=scope)
    link = session.get(ChildGuardian, (child.id, guardian_id))
    if link is None:
        raise NotFound(f"Guardian {guardian_id} is not linked to child {child_id}.")
    if not link.verified:
        link.verified = True
        link.verified_at = utcnow()
        link.verified_by = scope.principal.subject
        session.flush()
    return link


def find_guardian_by_external_id(
    session: Session, *, external_id: str, scope: Scope
) -> Guardian | None:
    """The guardian account holding this external id, if the caller may see it."""
    query = sa.select(Guardian).where(Guardian.external_id == external_id, scope.guardians_filter())
    return session.scalar(query)


def _visible_guardian(session: Session, *, guardian_id: uuid.UUID, scope: Scope) -> Guardian | None:
    query = sa.select(Guardian).where(Guardian.id == guardian_id, scope.guardians_filter())
    return session.scalar(query)


def list_guardian_links(
    session: Session, *, child_id: uuid.UUID, scope: Scope
) -> list[ChildGuardian]:
    """The child's guardians, oldest link first."""
    child = scope.require_child(session, child_id)
    return sorted(child.guardian_links, key=lambda link: (link.created_at, str(link.guardian_id)))


def restrict_child_contact(
    session: Session,
    *,
    child_id: uuid.UUID,
    do_not_disclose: bool,
    if_match: str | None,
    scope: Scope,
) -> Child:
    """Set or clear the child's do-not-disclose flag (officers of the child's LA)."""
    child = _writable_child(session, child_id=child_id, scope=scope)
    check_if_match(if_match, current_version=child.version)
    child.do_not_disclose = do_not_disclose
    child.updated_at = utcnow()  # the ETag moves: the record as others see it changed
    _flush_unique_identifiers(session)
    return child


def restrict_guardian_contact(
    session: Session,
    *,
    guardian_id: uuid.UUID,
    do_not_disclose: bool,
    if_match: str | None,
    scope: Scope,
) -> Guardian:
    """Set or clear a guardian's do-not-disclose flag (officers who see the account)."""
    scope.require_case_writer()
    guardian = get_guardian(session, guardian_id=guardian_id, scope=scope)
    check_if_match(if_match, current_version=guardian.version)
    guardian.do_not_disclose = do_not_disclose
    try:
        session.flush()
    except StaleDataError as error:  # a concurrent update with the same If-Match won
        raise Conflict(
            "Someone else changed this guardian at the same moment; read it again."
        ) from error
    return guardian
