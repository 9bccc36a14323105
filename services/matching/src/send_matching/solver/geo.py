"""Great-circle distances, vectorised."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius, as the contract fixes

FloatArray = npt.NDArray[np.float64]


def haversine_km(
    lat1: FloatArray | float, lon1: FloatArray | float, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Haversine distance in km; inputs in degrees, broadcast like numpy."""
    phi1 = np.radians(lat1)
    phi2 = np.radians(lat2)
    half_dphi = (phi2 - phi1) * 0.5
    half_dlambda = np.radians(np.subtract(lon2, lon1)) * 0.5
    a = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    result: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return result
