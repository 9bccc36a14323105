"""Great-circle distances, in Python and as SQL expressions that run on SQLite and PostgreSQL."""

import math

import sqlalchemy as sa
from sqlalchemy import SQLColumnExpression
from sqlalchemy.sql.elements import ColumnElement

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), as the matching contract specifies


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_sql(
    lat: SQLColumnExpression[float],
    lon: SQLColumnExpression[float],
    *,
    from_lat: float,
    from_lon: float,
) -> ColumnElement[float]:
    """The same distance as a SQL expression (SQLite's math functions are registered on connect)."""
    f = sa.func
    half_dphi = f.radians(lat - from_lat) / 2
    half_dlmb = f.radians(lon - from_lon) / 2
    a = f.sin(half_dphi) * f.sin(half_dphi) + math.cos(math.radians(from_lat)) * f.cos(
        f.radians(lat)
    ) * f.sin(half_dlmb) * f.sin(half_dlmb)
    root = f.sqrt(a)
    # Rounding can push the root a hair above 1, where PostgreSQL's asin raises.
    clamped = sa.case((root > 1.0, 1.0), else_=root)
    return sa.cast(2 * EARTH_RADIUS_KM * f.asin(clamped), sa.Float)


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle; a cheap pre-filter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = min(180.0, math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
