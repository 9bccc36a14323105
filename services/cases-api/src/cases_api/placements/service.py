"""Placements: a place is taken when a placement starts and freed when it ends."""

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, InvalidInput, NotFound
from cases_api.core.etag import check_if_match
from cases_api.core.time import utcnow
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.placements.places import free_place, take_place
from cases_api.placements.schemas import PlacementCreate, PlacementEnd
from cases_api.provisions.models import Provision


def get_placement(session: Session, *, placement_id: uuid.UUID, scope: Scope) -> Placement:
    """The placement with this id, if the caller may see its child."""
    placement = session.get(Placement, placement_id)
    if placement is None or not scope.can_see_child(session, placement.child_id):
        raise NotFound(f"No placement with id {placement_id}.")
    return placement


def create_placement(session: Session, *, data: PlacementCreate, scope: Scope) -> Placement:
    """Place a child at a provision, taking one of its places (409 if none is free)."""
    child = scope.child_in_body(session, data.child_id)
    provision = session.get(Provision, data.provision_id)
    if provision is None:
        raise InvalidInput(f"provision_id {data.provision_id} is not in the directory.")
    already = session.scalar(
        sa.select(Placement.id).where(
            Placement.child_id == child.id,
            Placement.provision_id == provision.id,
            Placement.status == PlacementStatus.ACTIVE,
        )
    )
    if already is not None:
        raise Conflict(
            f"The child already has a place at this provision ({already}).",
            placement_id=str(already),
        )
    annual_cost = (
        data.annual_cost_pence
        if data.annual_cost_pence is not None
        else provision.annual_cost_pence
    )
    take_place(session, provision)
    placement = Placement(
        child_id=child.id,
        provision=provision,
        status=PlacementStatus.ACTIVE,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        annual_cost_pence=annual_cost,
    )
    session.add(placement)
    session.flush()
    return placement


def end_placement(
    session: Session,
    *,
    placement_id: uuid.UUID,
    data: PlacementEnd,
    if_match: str | None,
    scope: Scope,
) -> Placement:
    """End the placement on the day given and free its place."""
    placement = get_placement(session, placement_id=placement_id, scope=scope)
    scope.require_write(session.get_one(Child, placement.child_id))
    check_if_match(if_match, current_version=placement.version)
    if placement.status is PlacementStatus.ENDED:
        raise Conflict(f"The placement ended on {placement.ends_on} already.")
    if data.ended_on < placement.starts_on:
        raise InvalidInput(f"ended_on is before the placement started ({placement.starts_on}).")
    free_place(session, placement.provision)
    placement.status = PlacementStatus.ENDED
    placement.ends_on = data.ended_on
    placement.updated_at = utcnow()
    session.flush()
    return placement
