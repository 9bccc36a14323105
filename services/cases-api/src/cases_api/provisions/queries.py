"""Listing the directory: filters, sort orders and keyset pagination, as SQL."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cases_api.core.errors import InvalidInput
from cases_api.core.geo import bounding_box, haversine_km_sql
from cases_api.core.keyset import Keyset, fetch_page, typed
from cases_api.provisions.models import Establishment, Phase, Provision, ProvisionNeed
from send_contracts import NeedCode, ProvisionKind


class ProvisionSort(StrEnum):
    NAME = "name"
    NAME_DESC = "-name"
    ANNUAL_COST = "annual_cost"
    ANNUAL_COST_DESC = "-annual_cost"
    FREE_PLACES = "free_places"
    FREE_PLACES_DESC = "-free_places"
    DISTANCE = "distance"


class EstablishmentSort(StrEnum):
    URN = "urn"
    NAME = "name"
    NAME_DESC = "-name"


@dataclass(frozen=True, kw_only=True)
class NearPoint:
    lat: float
    lon: float
    within_km: float | None = None


@dataclass(frozen=True, kw_only=True)
class ProvisionFilters:
    kinds: Sequence[ProvisionKind] = ()
    need: NeedCode | None = None
    la_code: str | None = None
    phase: Phase | None = None
    age: int | None = None
    has_free_places: bool | None = None
    establishment_urn: int | None = None
    near: NearPoint | None = None


ANNUAL_COST_SQL = sa.func.coalesce(
    Provision.fee_pence, Provision.place_funding_pence + Provision.top_up_pence
)
FREE_PLACES_SQL = Provision.places_total - Provision.places_taken - Provision.places_held


def _filter_clauses(filters: ProvisionFilters) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.kinds:
        clauses.append(Provision.kind.in_(list(filters.kinds)))
    if filters.need is not None:
        # Designated for this need, or for no need in particular (open to any).
        designated = sa.select(ProvisionNeed.provision_id).where(
            ProvisionNeed.provision_id == Provision.id
        )
        clauses.append(
            sa.or_(
                designated.where(ProvisionNeed.need == filters.need).exists(),
                ~designated.exists(),
            )
        )
    if filters.la_code is not None:
        clauses.append(Establishment.la_code == filters.la_code)
    if filters.phase is not None:
        clauses.append(Establishment.phase == filters.phase)
    if filters.age is not None:
        clauses.append(Provision.min_age <= filters.age)
        # A school-year age; the statutory high age is the age pupils leave at (contract 1.1).
        clauses.append(Provision.max_age > filters.age)
    if filters.has_free_places is True:
        clauses.append(FREE_PLACES_SQL > 0)
    elif filters.has_free_places is False:
        clauses.append(FREE_PLACES_SQL <= 0)
    if filters.establishment_urn is not None:
        clauses.append(Provision.establishment_urn == filters.establishment_urn)
    near = filters.near
    if near is not None and near.within_km is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(near.lat, near.lon, near.within_km)
        clauses.append(Establishment.latitude.between(min_lat, max_lat))
        clauses.append(Establishment.longitude.between(min_lon, max_lon))
        clauses.append(_distance(near) <= near.within_km)
    return clauses


def _distance(near: NearPoint) -> ColumnElement[float]:
    return haversine_km_sql(
        Establishment.latitude, Establishment.longitude, from_lat=near.lat, from_lon=near.lon
    )


_NUMBER = typed(int, float)
_TEXT = typed(str)


def _keyset(sort: ProvisionSort, near: NearPoint | None) -> Keyset:
    key: ColumnElement[Any]
    if sort is ProvisionSort.DISTANCE:
        if near is None:
            raise InvalidInput("sort=distance needs near_lat and near_lon.")
        key, parse_key = _distance(near), _NUMBER
    elif sort.value.endswith("name"):
        key, parse_key = Provision.name.expression, _TEXT
    elif sort.value.endswith("annual_cost"):
        key, parse_key = ANNUAL_COST_SQL, _NUMBER
    else:
        key, parse_key = FREE_PLACES_SQL, _NUMBER
    return Keyset(
        name=sort.value,
        key=key,
        tiebreak=Provision.id.expression,
        descending=sort.value.startswith("-"),
        parse=lambda k, tiebreak: (parse_key(k), uuid.UUID(str(tiebreak))),
    )


def list_provisions(
    session: Session,
    *,
    filters: ProvisionFilters,
    sort: ProvisionSort,
    limit: int,
    cursor: str | None,
) -> tuple[list[tuple[Provision, float | None]], str | None]:
    """One page of provisions (with distance from the near point, if any) and the next cursor."""
    keyset = _keyset(sort, filters.near)
    distance = _distance(filters.near) if filters.near is not None else sa.null()
    query = (
        sa.select(Provision, distance.label("distance_km"))
        .join(Provision.establishment)
        .where(*_filter_clauses(filters))
    )
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [(row.Provision, row.distance_km) for row in rows], next_cursor


def list_establishments(
    session: Session,
    *,
    la_code: str | None,
    phase: Phase | None,
    name_contains: str | None,
    sort: EstablishmentSort,
    limit: int,
    cursor: str | None,
) -> tuple[list[Establishment], str | None]:
    """One page of establishments and the next cursor."""
    by_urn = sort is EstablishmentSort.URN
    parse_key = typed(int) if by_urn else _TEXT
    keyset = Keyset(
        name=sort.value,
        key=(Establishment.urn if by_urn else Establishment.name).expression,
        tiebreak=Establishment.urn.expression,
        descending=sort is EstablishmentSort.NAME_DESC,
        parse=lambda k, urn: (parse_key(k), int(urn)),
    )
    query = sa.select(Establishment)
    if la_code is not None:
        query = query.where(Establishment.la_code == la_code)
    if phase is not None:
        query = query.where(Establishment.phase == phase)
    if name_contains is not None:
        escaped = name_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Establishment.name.ilike(f"%{escaped}%", escape="\\"))
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.Establishment for row in rows], next_cursor
