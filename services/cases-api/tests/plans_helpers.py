"""Test helpers for plans, reviews, transfers and placements: children as rows, plans via HTTP."""

import itertools
from datetime import date
from typing import Any

from cases_factories import plan_body, plan_version_body
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cases_api.children.models import Child, SenStatus, Sex

_names = itertools.count(1)


def make_child(
    session: Session, *, date_of_birth: date = date(2016, 3, 10), la_code: str = "855"
) -> Child:
    """A child row, committed into the test's transaction."""
    n = next(_names)
    child = Child(
        la_code=la_code,
        given_name=f"Child{n}",
        family_name="Test",
        date_of_birth=date_of_birth,
        sex=Sex.MALE,
        home_postcode="LE11 3TU",
        sen_status=SenStatus.EHC_PLAN,
    )
    session.add(child)
    session.commit()
    return child


def create_plan(
    client: TestClient, headers: dict[str, str], child: Child, **overrides: Any
) -> dict[str, Any]:
    response = client.post("/v1/plans", json=plan_body(str(child.id), **overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def add_version(
    client: TestClient,
    headers: dict[str, str],
    plan: dict[str, Any],
    kind: str,
    issued_on: str,
    **overrides: Any,
) -> Any:
    """POST the next version with the plan's current ETag; returns the response."""
    etag = client.get(f"/v1/plans/{plan['id']}", headers=headers).headers["ETag"]
    return client.post(
        f"/v1/plans/{plan['id']}/versions",
        json=plan_version_body(kind, issued_on, **overrides),
        headers=headers | {"If-Match": etag},
    )


def final_plan(
    client: TestClient,
    headers: dict[str, str],
    child: Child,
    *,
    draft_on: str = "2026-04-01",
    final_on: str = "2026-04-20",
    **final_overrides: Any,
) -> dict[str, Any]:
    """A plan drafted and made final after the comment window; returns the plan as read."""
    plan = create_plan(client, headers, child, issued_on=draft_on)
    response = add_version(client, headers, plan, "final", final_on, **final_overrides)
    assert response.status_code == 201, response.text
    return dict(client.get(f"/v1/plans/{plan['id']}", headers=headers).json())
