"""Taking, holding and freeing a provision's places with conditional UPDATEs, never
read-then-write.

A place is free, held (promised in an allocation round while the school is consulted) or taken
(a placement). Every move is one UPDATE whose WHERE clause re-checks the figures on the row it
locks, so under concurrent requests PostgreSQL never lets two transactions have the last free
place; the CHECK constraint `places_taken + places_held <= places_total` is the backstop. Each
statement also moves `version`, so the provision's ETag stays honest.
"""

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cases_api.core.errors import Conflict
from cases_api.core.time import utcnow
from cases_api.provisions.models import Provision

_HAS_FREE_PLACE = Provision.places_taken + Provision.places_held < Provision.places_total


class NoFreePlace(Conflict):
    title = "No free place"
    type_slug = "no-free-place"


def _move(
    session: Session,
    provision: Provision,
    *,
    guard: ColumnElement[bool],
    taken: int = 0,
    held: int = 0,
) -> bool:
    result = session.execute(
        sa.update(Provision)
        .where(Provision.id == provision.id, guard)
        .values(
            places_taken=Provision.places_taken + taken,
            places_held=Provision.places_held + held,
            version=Provision.version + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    # The loaded provision is stale now: read the figures (and version) again when next used.
    session.expire(provision)
    return cast(CursorResult[Any], result).rowcount == 1


def _no_free_place(name: str, total: int, provision: Provision) -> NoFreePlace:
    return NoFreePlace(
        f"No free place at {name}: all {total} places are taken or promised.",
        provision_id=str(provision.id),
    )


def take_place(session: Session, provision: Provision) -> None:
    """Take one free place, or raise NoFreePlace (409)."""
    name, total = provision.name, provision.places_total
    if not _move(session, provision, guard=_HAS_FREE_PLACE, taken=1):
        raise _no_free_place(name, total, provision)


def free_place(session: Session, provision: Provision) -> None:
    """Give one taken place back (never below zero, should the directory's figure have been cut)."""
    _move(session, provision, guard=Provision.places_taken > 0, taken=-1)


def hold_place(session: Session, provision: Provision) -> None:
    """Promise one free place (an officer accepted a proposal), or raise NoFreePlace (409)."""
    name, total = provision.name, provision.places_total
    if not _move(session, provision, guard=_HAS_FREE_PLACE, held=1):
        raise _no_free_place(name, total, provision)


def release_hold(session: Session, provision: Provision) -> None:
    """The promise is off (the school declined, or the decision was withdrawn)."""
    _move(session, provision, guard=Provision.places_held > 0, held=-1)


def take_held_place(session: Session, provision: Provision) -> None:
    """The school agreed: the promised place becomes taken, in one statement."""
    if not _move(session, provision, guard=Provision.places_held > 0, held=-1, taken=1):
        raise Conflict(f"No place is held at {provision.name} to take.")
