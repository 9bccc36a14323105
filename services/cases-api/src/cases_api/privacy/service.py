"""Subject access exports and legal holds. Services flush; the request's unit of work commits."""

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.children.models import Child, Guardian
from cases_api.core.errors import Conflict, InvalidInput, NotFound, UnknownReference
from cases_api.core.etag import check_if_match_etag
from cases_api.core.time import today, utcnow
from cases_api.privacy.document import points_into
from cases_api.privacy.gathering import gather
from cases_api.privacy.models import ExportStatus, LegalHold, SubjectAccessExport
from cases_api.privacy.schemas import ExportCreate, LegalHoldCreate, RedactionChange


def _child_for_officer(
    session: Session, *, child_id: uuid.UUID, scope: Scope, lock: bool = False
) -> Child:
    """The child, if in the caller's scope (404 otherwise) and theirs to handle (403)."""
    child = scope.require_child(session, child_id)
    scope.require_write(child)
    if lock:
        locked = sa.select(Child.id).where(Child.id == child.id).with_for_update()
        if session.scalar(locked) is None:  # purged while this request waited for the lock
            raise NotFound(f"No child with id {child_id}.")
    return child


def create_export(
    session: Session, *, child_id: uuid.UUID, data: ExportCreate, scope: Scope
) -> SubjectAccessExport:
    """Gather everything held about the child into a draft export."""
    child = _child_for_officer(session, child_id=child_id, scope=scope)
    guardian = None
    if data.requesting_guardian_id is not None:
        guardian = session.get(Guardian, data.requesting_guardian_id)
        linked = guardian is not None and any(
            link.guardian_id == guardian.id for link in child.guardian_links
        )
        if not linked:
            raise UnknownReference(
                "requesting_guardian_id is not a known guardian linked to this child."
            )
    export = SubjectAccessExport(
        child_id=child.id,
        requesting_guardian_id=guardian.id if guardian else None,
        status=ExportStatus.DRAFT,
        content=gather(session, child=child, requesting_guardian=guardian, as_of=today()),
        redacted_paths=[],
        created_by=scope.principal.subject,
    )
    session.add(export)
    session.flush()
    return export


def get_export(
    session: Session, *, child_id: uuid.UUID, export_id: uuid.UUID, scope: Scope
) -> SubjectAccessExport:
    """The export, if it is this child's."""
    _child_for_officer(session, child_id=child_id, scope=scope)
    export = session.get(SubjectAccessExport, export_id)
    if export is None or export.child_id != child_id:
        raise NotFound(f"No subject access export {export_id} for this child.")
    return export


def _draft(
    session: Session, *, child_id: uuid.UUID, export_id: uuid.UUID, scope: Scope
) -> SubjectAccessExport:
    export = get_export(session, child_id=child_id, export_id=export_id, scope=scope)
    if export.status is not ExportStatus.DRAFT:
        raise Conflict("The export has been released; it can no longer change.")
    return export


def change_redactions(
    session: Session,
    *,
    child_id: uuid.UUID,
    export_id: uuid.UUID,
    change: RedactionChange,
    scope: Scope,
) -> SubjectAccessExport:
    """Mark (or unmark) values as third-party information to withhold."""
    export = _draft(session, child_id=child_id, export_id=export_id, scope=scope)
    unknown = [path for path in change.mark if not points_into(export.content, path)]
    if unknown:
        raise InvalidInput(
            f"Not a path in this export: {', '.join(unknown[:5])}.",
            errors=[
                {"location": "body.mark", "message": f"no such path {path}"} for path in unknown
            ],
        )
    marked = (set(export.redacted_paths) | set(change.mark)) - set(change.unmark)
    export.redacted_paths = sorted(marked)
    session.flush()
    return export


def release_export(
    session: Session, *, child_id: uuid.UUID, export_id: uuid.UUID, scope: Scope
) -> SubjectAccessExport:
    """Freeze the export with its redactions, ready to give to the family."""
    export = _draft(session, child_id=child_id, export_id=export_id, scope=scope)
    export.status = ExportStatus.RELEASED
    export.released_by = scope.principal.subject
    export.released_at = utcnow()
    session.flush()
    return export


def hold_etag(hold: LegalHold) -> str:
    """A hold is never changed, only lifted and perhaps placed again: when it was placed tells
    one hold from another."""
    return f'"h{hold.placed_at.timestamp():.6f}"'


def get_legal_hold(
    session: Session, *, child_id: uuid.UUID, scope: Scope, lock: bool = False
) -> LegalHold:
    """The child's legal hold; with `lock`, the child's row locked until the transaction ends."""
    _child_for_officer(session, child_id=child_id, scope=scope, lock=lock)
    hold = session.get(LegalHold, child_id)
    if hold is None:
        raise NotFound("This child's records are not under legal hold.")
    return hold


def place_legal_hold(
    session: Session, *, child_id: uuid.UUID, data: LegalHoldCreate, scope: Scope
) -> LegalHold:
    """Keep the child's records past their disposal date, for the reason given."""
    # The lock makes a purge deciding about this child wait for the hold, or the hold for it.
    _child_for_officer(session, child_id=child_id, scope=scope, lock=True)
    if session.get(LegalHold, child_id) is not None:
        raise Conflict("This child's records are already under legal hold.")
    hold = LegalHold(child_id=child_id, reason=data.reason, placed_by=scope.principal.subject)
    session.add(hold)
    session.flush()
    return hold


def lift_legal_hold(
    session: Session, *, child_id: uuid.UUID, if_match: str | None, scope: Scope
) -> None:
    """Let the retention rules apply to the child again (the reason is in the audit trail)."""
    # Locked like placing one, so of two lifts at once the second finds no hold (404) rather
    # than deleting a row already gone.
    hold = get_legal_hold(session, child_id=child_id, scope=scope, lock=True)
    check_if_match_etag(if_match, current_etag=hold_etag(hold))
    session.delete(hold)
    session.flush()
