"""The family's voice on a plan: views for section A and comments on a draft."""

from typing import Any

import pytest
from access_world import World, build_world
from fastapi.testclient import TestClient
from plans_helpers import add_version
from sqlalchemy.orm import Session

Auth = Any


@pytest.fixture
def world(client: TestClient, session: Session, auth: Auth) -> World:
    return build_world(client, session, auth)


def _views(client: TestClient, plan_id: str, headers: dict[str, str]) -> Any:
    body = {"views": "She loves trains.", "aspirations": "To work with animals."}
    return client.post(f"/v1/plans/{plan_id}/family-views", json=body, headers=headers)


def _comment(client: TestClient, plan_id: str, headers: dict[str, str]) -> Any:
    body = {"comments": "Section F should say weekly, not termly."}
    return client.post(f"/v1/plans/{plan_id}/draft-comments", json=body, headers=headers)


def test_a_parent_sends_views_and_the_officer_reads_them(client: TestClient, world: World) -> None:
    plan_id = world.las["855"].ids["plan_id"]
    parent = world.callers["parent-855"]
    sent = _views(client, plan_id, parent)
    assert sent.status_code == 201, sent.text
    assert sent.json()["kind"] == "views"
    assert sent.json()["version_number"] == 2
    assert sent.json()["submitted_role"] == "parent"
    listed = client.get(
        f"/v1/plans/{plan_id}/family-submissions", headers=world.callers["officer-855"]
    )
    assert [s["content"]["views"] for s in listed.json()["items"]] == ["She loves trains."]


def test_comments_are_on_a_draft_or_amendment_notice_only(client: TestClient, world: World) -> None:
    plan_id = world.las["855"].ids["plan_id"]
    parent = world.callers["parent-855"]
    final = _comment(client, plan_id, parent)
    assert final.status_code == 409
    officer = world.callers["officer-855"]
    plan = client.get(f"/v1/plans/{plan_id}", headers=officer).json()
    assert add_version(client, officer, plan, "amendment_notice", "2026-06-01").status_code == 201
    commented = _comment(client, plan_id, parent)
    assert commented.status_code == 201, commented.text
    assert commented.json()["version_number"] == 3


def test_who_may_send_and_read(client: TestClient, world: World) -> None:
    plan_id = world.las["855"].ids["plan_id"]
    assert _views(client, plan_id, world.callers["parent-856"]).status_code == 404
    assert _views(client, plan_id, world.callers["officer-856"]).status_code == 404
    assert _views(client, plan_id, world.callers["school-855"]).status_code == 403
    assert _views(client, plan_id, world.callers["service-855"]).status_code == 403
    assert _views(client, plan_id, world.callers["officer-855"]).status_code == 201
    listing = f"/v1/plans/{plan_id}/family-submissions"
    assert client.get(listing, headers=world.callers["school-855"]).status_code == 403
    assert client.get(listing, headers=world.callers["parent-855"]).status_code == 200


def test_views_say_something(client: TestClient, world: World) -> None:
    plan_id = world.las["855"].ids["plan_id"]
    response = client.post(
        f"/v1/plans/{plan_id}/family-views",
        json={"views": "  "},
        headers=world.callers["parent-855"],
    )
    assert response.status_code == 422
