"""Tribunal orders (reg 44) and unopposed appeals (reg 45) over HTTP: the steps each requires,
due within 2, 5, 10, 11 or 14 weeks of the order or the LA's concession, with their status."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from plans_helpers import create_plan, make_child
from sqlalchemy.orm import Session

from cases_api.auth.principal import Role

Auth = Callable[..., dict[str, str]]


def _appeal(
    client: TestClient, headers: dict[str, str], session: Session, kind: str = "tribunal"
) -> dict[str, Any]:
    child = make_child(session)
    plan = create_plan(client, headers, child)
    response = client.post(
        "/v1/dispute-events",
        json={
            "stage": "plan",
            "kind": kind,
            "appeal_ground": "section_i" if kind == "tribunal" else None,
            "plan_id": plan["id"],
            "child_id": str(child.id),
            "opened_on": "2026-01-05",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _order(client: TestClient, headers: dict[str, str], appeal: dict[str, Any], **body: Any) -> Any:
    return client.post(
        f"/v1/dispute-events/{appeal['id']}/tribunal-orders", json=body, headers=headers
    )


def _due(order: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(d["detail"].split(":")[0], d["due"], d["status"]) for d in order["deadlines"]]


def test_an_order_to_name_a_school_is_due_in_two_weeks(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    appeal = _appeal(client, officer, session)
    response = _order(client, officer, appeal, kind="name_school", started_on="2026-02-26")
    assert response.status_code == 201, response.text
    order = response.json()
    assert response.headers["Location"] == f"/v1/tribunal-orders/{order['id']}"
    assert order["legal_basis"] == "SEND Regulations 2014 reg 44(2)"
    (deadline,) = order["deadlines"]
    assert deadline["due"] == "2026-03-12"
    assert deadline["detail"] == "amended_plan: issue the amended plan within 2 weeks"
    assert deadline["legal_basis"] == "SEND Regulations 2014 reg 44(2)"
    late = client.get(
        f"/v1/tribunal-orders/{order['id']}", params={"as_of": "2026-03-13"}, headers=officer
    ).json()
    assert (late["deadlines"][0]["status"], late["deadlines"][0]["days_late"]) == ("overdue", 1)


def test_an_unopposed_assessment_appeal_runs_2_10_and_14_weeks_from_the_concession(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    appeal = _appeal(client, officer, session)
    order = _order(
        client, officer, appeal, kind="assess", started_on="2026-02-02", unopposed=True
    ).json()
    assert order["legal_basis"] == "SEND Regulations 2014 reg 45"
    assert _due(order) == [
        ("notify_assessment", "2026-02-16", "overdue"),
        ("assessment_decision", "2026-04-13", "overdue"),
        ("final_plan", "2026-05-11", "overdue"),
    ]
    step = client.post(
        f"/v1/tribunal-orders/{order['id']}/steps",
        json={"step": "notify_assessment", "done_on": "2026-02-16"},
        headers=officer | {"If-Match": order["etag"]},
    )
    assert step.status_code == 200, step.text
    decided = client.post(
        f"/v1/tribunal-orders/{order['id']}/steps",
        json={"step": "assessment_decision", "done_on": "2026-04-14", "plan_to_follow": False},
        headers=officer | {"If-Match": step.json()["etag"]},
    )
    assert decided.status_code == 200, decided.text
    body = decided.json()
    assert body["no_plan_decided"] is True
    assert [(d["status"], d["days_late"]) for d in body["deadlines"]] == [
        ("met", None),
        ("late", 1),
    ]
    listed = client.get(
        f"/v1/dispute-events/{appeal['id']}/tribunal-orders", headers=officer
    ).json()["items"]
    assert [o["id"] for o in listed] == [order["id"]]


def test_continue_and_amend_is_at_once_then_five_weeks(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    appeal = _appeal(client, officer, session)
    order = _order(
        client, officer, appeal, kind="continue_and_amend", started_on="2026-02-27"
    ).json()
    assert [(d["detail"].split(":")[0], d["due"]) for d in order["deadlines"]] == [
        ("continue_to_maintain", "2026-02-27"),
        ("amended_plan", "2026-04-03"),
    ]


def test_bad_orders_and_steps_are_refused_and_change_nothing(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    mediation = _appeal(client, officer, session, kind="mediation")
    assert (
        _order(client, officer, mediation, kind="assess", started_on="2026-02-02").status_code
        == 409
    )
    appeal = _appeal(client, officer, session)
    before = _order(client, officer, appeal, kind="assess", started_on="2026-01-04")
    assert before.status_code == 422
    assert "between the appeal (2026-01-05) and today" in before.json()["detail"]
    unknown = _order(client, officer, appeal, kind="pay_damages", started_on="2026-02-02")
    assert unknown.status_code == 422
    assert client.get(
        f"/v1/dispute-events/{appeal['id']}/tribunal-orders", headers=officer
    ).json() == {"items": [], "next_cursor": None}

    order = _order(client, officer, appeal, kind="amend_content", started_on="2026-02-02").json()
    headers = officer | {"If-Match": order["etag"]}
    wrong_step = client.post(
        f"/v1/tribunal-orders/{order['id']}/steps",
        json={"step": "draft_plan", "done_on": "2026-02-10"},
        headers=headers,
    )
    assert wrong_step.status_code == 422
    assert "requires amended_plan; not draft_plan" in wrong_step.json()["detail"]
    stray = client.post(
        f"/v1/tribunal-orders/{order['id']}/steps",
        json={"step": "amended_plan", "done_on": "2026-02-10", "plan_to_follow": True},
        headers=headers,
    )
    assert stray.status_code == 422
    early = client.post(
        f"/v1/tribunal-orders/{order['id']}/steps",
        json={"step": "amended_plan", "done_on": "2026-02-01"},
        headers=headers,
    )
    assert early.status_code == 422
    done = client.post(
        f"/v1/tribunal-orders/{order['id']}/steps",
        json={"step": "amended_plan", "done_on": "2026-03-09"},
        headers=headers,
    )
    assert done.status_code == 200
    assert done.json()["deadlines"][0]["status"] == "met"  # 5 weeks from 2 February: 9 March
    again = client.post(
        f"/v1/tribunal-orders/{order['id']}/steps",
        json={"step": "amended_plan", "done_on": "2026-03-09"},
        headers=officer | {"If-Match": done.json()["etag"]},
    )
    assert again.status_code == 409
    stale = client.post(
        f"/v1/tribunal-orders/{order['id']}/steps",
        json={"step": "amended_plan", "done_on": "2026-03-09"},
        headers=headers,
    )
    assert stale.status_code == 412


def test_orders_belong_to_the_childs_la(
    client: TestClient, officer: dict[str, str], session: Session, auth: Auth
) -> None:
    appeal = _appeal(client, officer, session)
    other = auth(Role.OFFICER, la_code="856")
    assert _order(client, other, appeal, kind="assess", started_on="2026-02-02").status_code == 404
    order = _order(client, officer, appeal, kind="assess", started_on="2026-02-02").json()
    assert client.get(f"/v1/tribunal-orders/{order['id']}", headers=other).status_code == 404
    service = auth(Role.SERVICE)
    assert client.get(f"/v1/tribunal-orders/{order['id']}", headers=service).status_code == 200
    assert (
        _order(client, service, appeal, kind="assess", started_on="2026-02-02").status_code == 403
    )
    assert (
        client.get(f"/v1/tribunal-orders/{order['id']}", headers=auth(Role.ADMIN)).status_code
        == 403
    )
