"""The provisions directory's operations. Services flush; the request's unit of work commits."""

import uuid

from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.core.errors import Conflict, InvalidInput, NotFound
from cases_api.core.etag import check_if_match
from cases_api.core.time import utcnow
from cases_api.provisions.models import Establishment, Provision, ProvisionNeed
from cases_api.provisions.schemas import (
    EstablishmentCreate,
    EstablishmentUpdate,
    ProvisionCreate,
    ProvisionUpdate,
    check_provision_rules,
)
from send_contracts import NeedCode


def _ensure_may_write_in(scope: Scope, la_code: str) -> None:
    scope.require_directory_write_in(la_code)


def get_establishment(session: Session, *, urn: int) -> Establishment:
    """The establishment with this URN."""
    establishment = session.get(Establishment, urn)
    if establishment is None:
        raise NotFound(f"No establishment with URN {urn}.")
    return establishment


def create_establishment(
    session: Session, *, data: EstablishmentCreate, scope: Scope
) -> Establishment:
    """Add an establishment to the directory."""
    _ensure_may_write_in(scope, data.la_code)
    if session.get(Establishment, data.urn) is not None:
        raise Conflict(f"An establishment with URN {data.urn} is already in the directory.")
    establishment = Establishment(
        **data.model_dump(exclude={"location"}),
        latitude=data.location.lat,
        longitude=data.location.lon,
    )
    session.add(establishment)
    session.flush()
    return establishment


def update_establishment(
    session: Session,
    *,
    urn: int,
    changes: EstablishmentUpdate,
    if_match: str | None,
    scope: Scope,
) -> Establishment:
    """Change the fields sent, if the caller saw the current version."""
    establishment = get_establishment(session, urn=urn)
    _ensure_may_write_in(scope, establishment.la_code)
    check_if_match(if_match, current_version=establishment.version)
    values = changes.model_dump(exclude_unset=True, exclude={"location"})
    if changes.location is not None:
        values |= {"latitude": changes.location.lat, "longitude": changes.location.lon}
    low = values.get("statutory_low_age", establishment.statutory_low_age)
    high = values.get("statutory_high_age", establishment.statutory_high_age)
    if low is None or high is None or low > high:
        raise InvalidInput("The statutory age range would be reversed or missing.")
    for name, value in values.items():
        if value is None:
            raise InvalidInput(f"{name} cannot be set to null.")
        setattr(establishment, name, value)
    establishment.updated_at = utcnow()
    session.flush()
    return establishment


def get_provision(session: Session, *, provision_id: uuid.UUID) -> Provision:
    """The provision with this id."""
    provision = session.get(Provision, provision_id)
    if provision is None:
        raise NotFound(f"No provision with id {provision_id}.")
    return provision


def create_provision(session: Session, *, data: ProvisionCreate, scope: Scope) -> Provision:
    """Add a provision at an establishment already in the directory."""
    establishment = session.get(Establishment, data.establishment_urn)
    if establishment is None:
        raise InvalidInput(
            f"establishment_urn {data.establishment_urn} is not in the directory; add it first."
        )
    _ensure_may_write_in(scope, establishment.la_code)
    provision = Provision(
        establishment=establishment,
        name=data.name,
        kind=data.kind,
        min_age=data.min_age,
        max_age=data.max_age,
        places_total=data.places_total,
        places_taken=data.places_taken,
        place_funding_pence=data.costs.place_funding_pence,
        top_up_pence=data.costs.top_up_pence,
        fee_pence=data.costs.fee_pence,
        figures_as_of=data.figures_as_of,
        need_rows=_need_rows(data.designated_needs),
    )
    session.add(provision)
    session.flush()
    return provision


def update_provision(
    session: Session,
    *,
    provision_id: uuid.UUID,
    changes: ProvisionUpdate,
    if_match: str | None,
    scope: Scope,
) -> Provision:
    """Change the fields sent, if the caller saw the current version and the result is valid."""
    provision = get_provision(session, provision_id=provision_id)
    _ensure_may_write_in(scope, provision.establishment.la_code)
    check_if_match(if_match, current_version=provision.version)
    sent = changes.model_fields_set
    for name in sent:
        if getattr(changes, name) is None:
            raise InvalidInput(f"{name} cannot be set to null.")
    costs = changes.costs
    needs = changes.designated_needs if changes.designated_needs is not None else None
    try:
        check_provision_rules(
            kind=provision.kind,
            min_age=_pick(changes.min_age, provision.min_age),
            max_age=_pick(changes.max_age, provision.max_age),
            places_total=_pick(changes.places_total, provision.places_total),
            places_taken=_pick(changes.places_taken, provision.places_taken),
            places_held=provision.places_held,
            fee_pence=costs.fee_pence if costs is not None else provision.fee_pence,
            designated_needs=needs if needs is not None else provision.designated_needs,
        )
    except ValueError as error:
        raise InvalidInput.broken_rule(error) from error
    for name in ("name", "min_age", "max_age", "places_total", "places_taken", "figures_as_of"):
        if name in sent:
            setattr(provision, name, getattr(changes, name))
    if costs is not None:
        provision.place_funding_pence = costs.place_funding_pence
        provision.top_up_pence = costs.top_up_pence
        provision.fee_pence = costs.fee_pence
    if needs is not None:
        provision.need_rows = _need_rows(needs)
    # Touch the row itself so its version (the ETag) moves even when only the needs changed.
    provision.updated_at = utcnow()
    session.flush()
    return provision


def _pick(new: int | None, current: int) -> int:
    return current if new is None else new


def _need_rows(needs: list[NeedCode]) -> list[ProvisionNeed]:
    return [ProvisionNeed(need=need) for need in sorted(set(needs))]
