"""Allocation rounds and consultations through the scope.

Rounds are LA-wide work: officers of the round's LA change them, service clients of that LA read
them; parents, schools and admins are refused outright (403, whatever the id). A round of another
LA is not visible at all (404). Consultations: the school consulted, the LA's officers and service
clients, the child's verified parents (reading).
"""

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access.scope import CASE_WRITERS, Scope
from cases_api.auth.principal import Role
from cases_api.core.errors import Conflict, Forbidden, NotFound
from cases_api.rounds.models import AllocationRound, Consultation, RoundStatus

_ROUND_READERS = (Role.OFFICER, Role.SERVICE)
CONSULTATION_ANSWERERS = (Role.SCHOOL, Role.OFFICER)


def require_round_reader(scope: Scope) -> None:
    """403 for the roles that never see rounds."""
    if scope.role not in _ROUND_READERS:
        raise Forbidden("Allocation rounds are for the LA's officers.")


def visible_round(
    session: Session, *, round_id: uuid.UUID, scope: Scope, lock: bool = False
) -> AllocationRound:
    """The round, if the caller may see it; with `lock`, its row locked until the transaction ends."""
    require_round_reader(scope)
    found = session.get(
        AllocationRound, round_id, with_for_update=lock or None, populate_existing=lock
    )
    if found is None or not scope.sees_la(found.la_code):
        raise NotFound(f"No allocation round with id {round_id}.")
    return found


def open_round_for_write(session: Session, *, round_id: uuid.UUID, scope: Scope) -> AllocationRound:
    """The round, if the caller may change it and it is still open (409 once closed).

    Every change to a round or its cohort moves the round's version, so concurrent changes would
    fail the optimistic check; the row lock queues them instead (PostgreSQL `SELECT … FOR
    UPDATE`; SQLite ignores it, its write transactions begin IMMEDIATE and are serial already).
    The waiter then reads the round as committed, status and version included."""
    if scope.principal.role not in CASE_WRITERS:
        raise Forbidden("Only the LA's officers change allocation rounds.")
    found = visible_round(session, round_id=round_id, scope=scope, lock=True)
    if found.status is RoundStatus.CLOSED:
        raise Conflict("The round is closed; open a new round.", round_status="closed")
    return found


def visible_consultation(
    session: Session, *, consultation_id: uuid.UUID, scope: Scope
) -> Consultation:
    """A consultation the caller may see (404 otherwise)."""
    query = sa.select(Consultation).where(
        Consultation.id == consultation_id, scope.consultations_filter()
    )
    found = session.scalar(query)
    if found is None:
        raise NotFound(f"No consultation with id {consultation_id}.")
    return found


def require_answerer(scope: Scope) -> None:
    """403 unless the caller's role answers consultations (the school, the LA's officers)."""
    if scope.principal.role not in CONSULTATION_ANSWERERS:
        raise Forbidden("Only the school consulted, or the LA's officers, answer a consultation.")
