"""Taking and freeing a provision's places with conditional UPDATEs, never read-then-write.

Under concurrent requests PostgreSQL re-checks `places_taken < places_total` on the row version it
locks, so no two transactions can take the last place; the CHECK constraint on provisions is the
backstop. Each statement also moves `version`, so the provision's ETag stays honest.
"""

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from cases_api.core.errors import Conflict
from cases_api.core.time import utcnow
from cases_api.provisions.models import Provision


class NoFreePlace(Conflict):
    title = "No free place"
    type_slug = "no-free-place"


def _change_places(session: Session, provision: Provision, *, by: int) -> bool:
    guard = (
        Provision.places_taken < Provision.places_total if by > 0 else Provision.places_taken > 0
    )
    result = session.execute(
        sa.update(Provision)
        .where(Provision.id == provision.id, guard)
        .values(
            places_taken=Provision.places_taken + by,
            version=Provision.version + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    # The loaded provision is stale now: read the figures (and version) again when next used.
    session.expire(provision)
    return cast(CursorResult[Any], result).rowcount == 1


def take_place(session: Session, provision: Provision) -> None:
    """Take one place, or raise NoFreePlace (409) if every place is taken."""
    name, total = provision.name, provision.places_total
    if not _change_places(session, provision, by=1):
        raise NoFreePlace(
            f"No free place at {name}: all {total} places are taken.",
            provision_id=str(provision.id),
        )


def free_place(session: Session, provision: Provision) -> None:
    """Give one place back (never below zero, should the directory's figure have been cut)."""
    _change_places(session, provision, by=-1)
