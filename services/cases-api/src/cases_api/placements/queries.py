"""Listing placements, latest start first."""

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access.scope import Scope
from cases_api.core.keyset import Keyset, fetch_page, typed
from cases_api.placements.models import Placement, PlacementStatus


@dataclass(frozen=True, kw_only=True)
class PlacementFilters:
    child_id: uuid.UUID | None = None
    provision_id: uuid.UUID | None = None
    status: PlacementStatus | None = None
    scope: Scope  # the caller's: required, so a query never reads every LA's rows by default


_LATEST_START_FIRST = Keyset(
    name="-starts_on",
    key=Placement.starts_on.expression,
    tiebreak=Placement.id.expression,
    descending=True,
    parse=lambda key, tiebreak: (date.fromisoformat(typed(str)(key)), uuid.UUID(str(tiebreak))),
)


def list_placements(
    session: Session, *, filters: PlacementFilters, limit: int, cursor: str | None
) -> tuple[list[Placement], str | None]:
    """One page of placements and the next cursor."""
    query = sa.select(Placement).where(filters.scope.children_filter(Placement.child_id))
    if filters.child_id is not None:
        query = query.where(Placement.child_id == filters.child_id)
    if filters.provision_id is not None:
        query = query.where(Placement.provision_id == filters.provision_id)
    if filters.status is not None:
        query = query.where(Placement.status == filters.status)
    rows, next_cursor = fetch_page(
        session, query, keyset=_LATEST_START_FIRST, limit=limit, cursor=cursor
    )
    return [row.Placement for row in rows], next_cursor
