"""Which rows a caller may see, as SQL conditions, and whether it may change what it sees.

Every read and write of case data asks a `Scope`: lists add its conditions to their queries,
reads of one record go through `require_*` (404 when out of scope: no hint that it exists),
and writes on a visible record go through `require_write` / `require_case_writer` (403).
"""

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from cases_api.access.ties import school_child_ids
from cases_api.assessments.models import AssessmentRequest
from cases_api.auth.principal import Principal, Role
from cases_api.children.models import UNLINKED_CHILD, Child, ChildGuardian, Guardian
from cases_api.core.errors import Forbidden, NotFound, UnknownReference
from cases_api.core.time import today
from cases_api.provisions.models import Provision
from cases_api.rounds.models import Consultation

_LA_WIDE = (Role.OFFICER, Role.SERVICE)
ChildIdColumn = ColumnElement[uuid.UUID] | QueryableAttribute[uuid.UUID]
CASE_WRITERS = (Role.OFFICER,)
# Admins configure the service (the provision directory) and read the audit trail; a child's
# records are for the people working with the child, so an admin's scope holds no child at all.
DIRECTORY_WRITERS = (Role.OFFICER, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class Scope:
    """What one caller may see and change, derived from its token only."""

    principal: Principal

    @property
    def role(self) -> Role:
        return self.principal.role

    # --- children -------------------------------------------------------------------------

    def visible_child_ids(self) -> sa.Select[uuid.UUID]:
        """A subquery of the ids of the children the caller may see."""
        principal = self.principal
        if principal.role is Role.ADMIN:
            return sa.select(Child.id).where(sa.false())
        if principal.role in _LA_WIDE:
            return sa.select(Child.id).where(Child.la_code == (principal.la_code or ""))
        if principal.role is Role.PARENT:
            return (
                sa.select(ChildGuardian.child_id)
                .join(Guardian, Guardian.id == ChildGuardian.guardian_id)
                .where(
                    ChildGuardian.verified.is_(True),
                    Guardian.external_id == (principal.guardian_external_id or ""),
                )
            )
        return self._school_child_ids()

    def _school_child_ids(self) -> sa.Select[uuid.UUID]:
        """Children tied to one of the school's URNs today, or until the grace period after
        the tie ended (`access.ties`)."""
        return school_child_ids(list(self.principal.school_urns), today=today())

    def children_filter(self, child_id: ChildIdColumn) -> ColumnElement[bool]:
        """A condition on a column holding a child's id: true for the children in scope."""
        if self.role in _LA_WIDE:
            # A probe of the child's row per record, not the LA's whole caseload as a set.
            owner = aliased(Child)
            return (
                sa.select(owner.id)
                .where(owner.id == child_id, owner.la_code == (self.principal.la_code or ""))
                .exists()
            )
        return child_id.in_(self.visible_child_ids())

    def children_rows_filter(self) -> ColumnElement[bool]:
        """The same condition for queries of the children table itself."""
        if self.role in _LA_WIDE:
            return Child.la_code == (self.principal.la_code or "")
        return Child.id.in_(self.visible_child_ids())

    def require_child(self, session: Session, child_id: uuid.UUID) -> Child:
        """The child, if in scope (404 otherwise)."""
        child = self.find_child(session, child_id)
        if child is None:
            raise NotFound(f"No child with id {child_id}.")
        return child

    def find_child(self, session: Session, child_id: uuid.UUID) -> Child | None:
        """The child, if it exists and is in scope: one query for the row and the scope."""
        query = (
            sa.select(Child)
            .where(Child.id == child_id, self.children_rows_filter())
            .options(UNLINKED_CHILD)
        )
        return session.scalars(query).one_or_none()

    def can_see_child(self, session: Session, child_id: uuid.UUID) -> bool:
        """Whether the child is in scope."""
        query = sa.select(Child.id).where(Child.id == child_id, self.children_rows_filter())
        return session.scalar(query) is not None

    def require_visible(self, session: Session, child_id: uuid.UUID, *, missing: str) -> None:
        """404 with ``missing`` unless the record's child is in scope."""
        if not self.can_see_child(session, child_id):
            raise NotFound(missing)

    # --- requests for assessment ------------------------------------------------------------

    def requests_filter(self) -> ColumnElement[bool]:
        """Requests in scope: officers and service clients see the requests their LA received."""
        if self.role in _LA_WIDE:
            return AssessmentRequest.la_code == (self.principal.la_code or "")
        return self.children_filter(AssessmentRequest.child_id)

    def can_see_request(self, request: AssessmentRequest, session: Session) -> bool:
        """Whether the request is in scope."""
        if self.role in _LA_WIDE:
            return request.la_code == self.principal.la_code
        return self.can_see_child(session, request.child_id)

    # --- guardians ------------------------------------------------------------------------

    def guardians_filter(self) -> ColumnElement[bool]:
        """Guardian accounts in scope: a parent sees itself; others, the guardians of children
        they see (schools: by a verified link); officers also the accounts not linked to any child
        yet (they create them)."""
        if self.role is Role.PARENT:
            return Guardian.external_id == (self.principal.guardian_external_id or "")
        links = sa.select(ChildGuardian.guardian_id).where(
            self.children_filter(ChildGuardian.child_id)
        )
        if self.role is Role.SCHOOL:  # an unverified claimant is nobody the school deals with
            links = links.where(ChildGuardian.verified.is_(True))
        linked_to_visible = Guardian.id.in_(links)
        if self.role is Role.OFFICER:
            unlinked = (
                ~sa.select(ChildGuardian.guardian_id)
                .where(ChildGuardian.guardian_id == Guardian.id)
                .exists()
            )
            return sa.or_(linked_to_visible, unlinked)
        return linked_to_visible

    # --- consultations --------------------------------------------------------------------

    def consultations_filter(self) -> ColumnElement[bool]:
        """Consultations in scope: a school sees those sent to its establishments; officers and
        service clients those about their LA's children; parents those about their children."""
        if self.role is Role.SCHOOL:
            return Consultation.provision_id.in_(
                sa.select(Provision.id).where(
                    Provision.establishment_urn.in_(list(self.principal.school_urns))
                )
            )
        return self.children_filter(Consultation.child_id)

    # --- disputes ----------------------------------------------------------------------------

    def require_sees_disputes(self) -> None:
        """403 for schools: mediation and tribunal records are the family's and the LA's, not
        what teaching the child needs."""
        if self.role is Role.SCHOOL:
            raise Forbidden("Schools do not read mediation and tribunal records.")

    # --- la-wide records (rounds, the directory) --------------------------------------------

    def la_filter(
        self, la_code: ColumnElement[str] | QueryableAttribute[str]
    ) -> ColumnElement[bool]:
        """LA-owned case records in scope (rounds): officers and clients see their own LA's."""
        if self.role in _LA_WIDE:
            return la_code == (self.principal.la_code or "")
        return sa.false()

    def sees_la(self, la_code: str) -> bool:
        """Whether the caller sees this LA's LA-wide records."""
        return self.role in _LA_WIDE and self.principal.la_code == la_code

    # --- writes ---------------------------------------------------------------------------

    def require_case_writer(self) -> None:
        """403 unless the caller's role changes case records at all (officers)."""
        if self.role not in CASE_WRITERS:
            raise Forbidden("Only the LA's officers change case records.")

    def require_write_in(self, la_code: str) -> None:
        """403 unless the caller may change this LA's case records: its own officers."""
        self.require_case_writer()
        self._require_own_la(la_code)

    def require_directory_write_in(self, la_code: str) -> None:
        """403 unless the caller may change this LA's entries in the provision directory:
        its own officers and administrators."""
        if self.role not in DIRECTORY_WRITERS:
            raise Forbidden("Only the LA's officers and administrators change the directory.")
        self._require_own_la(la_code)

    def _require_own_la(self, la_code: str) -> None:
        if self.principal.la_code != la_code:
            raise Forbidden(f"You may change only your own LA's records (LA {la_code}).")

    def require_write(self, child: Child) -> None:
        """403 unless the caller may change this (visible) child's case records."""
        self.require_write_in(child.la_code)

    def child_in_body(self, session: Session, child_id: uuid.UUID) -> Child:
        """The child a request body names, once the caller may write for it (422 if unknown or
        out of scope, alike, so a body cannot probe for children)."""
        child = self.find_child(session, child_id)
        if child is None:
            raise UnknownReference(f"child_id {child_id} is not a known child.")
        self.require_write(child)
        return child
