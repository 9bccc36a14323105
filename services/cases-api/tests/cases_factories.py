"""Request bodies for tests, valid by default; override what a test is about."""

from typing import Any

_next_urn = [130_000]


def establishment_body(**overrides: Any) -> dict[str, Any]:
    _next_urn[0] += 1
    body: dict[str, Any] = {
        "urn": _next_urn[0],
        "name": "Castle Rock High School",
        "la_code": "855",
        "establishment_type": "Academy converter",
        "phase": "secondary",
        "statutory_low_age": 11,
        "statutory_high_age": 18,
        "postcode": "le11 3tu",
        "location": {"lat": 52.772, "lon": -1.206},
    }
    return body | overrides


def provision_body(establishment_urn: int, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "establishment_urn": establishment_urn,
        "name": "Castle Rock ASD Resource Base",
        "kind": "resource_base",
        "designated_needs": ["ASD", "SLCN"],
        "min_age": 11,
        "max_age": 16,
        "places_total": 12,
        "places_taken": 10,
        "costs": {"place_funding_pence": 600_000, "top_up_pence": 1_250_000},
        "figures_as_of": "2026-09-01",
    }
    return body | overrides
