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


_next_child = [0]


def upn_for(serial: int) -> str:
    """A valid UPN (right check letter) for a serial number."""
    from cases_api.children.identifiers import upn_check_letter

    digits = f"855{serial:09d}"
    return upn_check_letter(digits) + digits


def child_body(**overrides: Any) -> dict[str, Any]:
    _next_child[0] += 1
    body: dict[str, Any] = {
        "la_code": "855",
        "given_name": "Amira",
        "family_name": "Khan",
        "date_of_birth": "2015-03-14",
        "sex": "F",
        "upn": upn_for(_next_child[0]),
        "home_postcode": "le11 3tu",
        "home_location": {"lat": 52.772, "lon": -1.206},
        "sen_status": "K",
        "needs": ["ASD", "SLCN"],
    }
    return body | overrides


def guardian_body(**overrides: Any) -> dict[str, Any]:
    _next_child[0] += 1
    body: dict[str, Any] = {
        "external_id": f"guardian-{_next_child[0]}",
        "display_name": "Sara Khan",
        "email": "sara@example.org",
    }
    return body | overrides


def request_body(child_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"child_id": child_id, "source": "parent", "received_on": "2025-01-06"}
    return body | overrides


def plan_sections_body(**overrides: Any) -> dict[str, Any]:
    """Sections A–K of a draft: two needs, each met by a line of F; section I blank."""
    body: dict[str, Any] = {
        "a": {
            "views": "Amir likes trains and drawing; he finds noisy rooms hard.",
            "interests": "Trains, drawing",
            "aspirations": "To go to secondary school with his friends.",
        },
        "b": [
            {"id": "B1", "need_code": "ASD", "description": "Difficulty with social interaction."},
            {"id": "B2", "need_code": "SLCN", "description": "Delayed expressive language."},
        ],
        "c": [{"id": "C1", "description": "Sleep difficulties."}],
        "d": [],
        "e": [{"id": "E1", "description": "Takes part in group work.", "need_ids": ["B1"]}],
        "f": [
            {
                "id": "F1",
                "what": "Small-group social skills teaching",
                "hours_per_week": 2.5,
                "frequency": "weekly",
                "delivered_by": "specialist teacher",
                "need_ids": ["B1"],
            },
            {
                "id": "F2",
                "what": "Speech and language therapy",
                "hours_per_week": 1,
                "frequency": "weekly",
                "delivered_by": "speech and language therapist",
                "need_ids": ["B2"],
            },
        ],
        "g": [],
        "h1": [],
        "h2": [],
        "i": None,
        "j": [],
        "k": [
            {
                "id": "K1",
                "advice": "Educational psychologist advice",
                "provided_by": "Dr N. Patel",
                "dated": "2026-03-02",
            }
        ],
    }
    return body | overrides


def plan_body(child_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "child_id": child_id,
        "issued_on": "2026-04-01",
        "sections": plan_sections_body(),
    }
    return body | overrides


def named_setting_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"setting_code": "OTH", "description": "Mainstream primary"}
    return body | overrides


def plan_version_body(kind: str, issued_on: str, **overrides: Any) -> dict[str, Any]:
    """A version whose sections are the default draft's, with section I named unless a draft."""
    sections = plan_sections_body(i=None if kind == "draft" else named_setting_body())
    body: dict[str, Any] = {"kind": kind, "issued_on": issued_on, "sections": sections}
    return body | overrides
