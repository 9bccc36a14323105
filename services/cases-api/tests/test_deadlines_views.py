"""The officers' deadline views over HTTP: overdue, due soon and compliance over review papers,
amendment notices, tribunal orders, transfers between LAs and reassessments, each row with its
legal basis and the LA that must meet it."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from plans_helpers import add_version, create_plan, final_plan, make_child
from sqlalchemy.orm import Session

from cases_api.auth.principal import Role

Auth = Callable[..., dict[str, str]]


@pytest.fixture
def world(client: TestClient, officer: dict[str, str], session: Session) -> dict[str, Any]:
    """A review with its report missing, a notice without its plan, an order and a move."""
    reviewed = final_plan(client, officer, make_child(session))
    review = client.post(
        f"/v1/plans/{reviewed['id']}/reviews",
        json={
            "meeting_on": "2026-10-15",
            "invitations_sent_on": "2026-09-30",
            "advice_circulated_on": "2026-10-01",
        },
        headers=officer,
    ).json()
    amended = final_plan(client, officer, make_child(session))
    assert (
        add_version(client, officer, amended, "amendment_notice", "2026-09-01").status_code == 201
    )
    child = make_child(session)
    appealed = create_plan(client, officer, child)
    appeal = client.post(
        "/v1/dispute-events",
        json={
            "stage": "plan",
            "kind": "tribunal",
            "appeal_ground": "section_f",
            "plan_id": appealed["id"],
            "child_id": str(child.id),
            "opened_on": "2026-06-01",
        },
        headers=officer,
    ).json()
    order = client.post(
        f"/v1/dispute-events/{appeal['id']}/tribunal-orders",
        json={"kind": "amend_content", "started_on": "2026-10-01"},
        headers=officer,
    ).json()
    moving = final_plan(client, officer, make_child(session))
    transfer = client.post(
        f"/v1/plans/{moving['id']}/la-transfers",
        json={"new_la_code": "856", "moved_on": "2026-10-19", "old_la_aware_on": "2026-10-12"},
        headers=officer,
    ).json()
    return {"review": review, "amended": amended, "order": order, "transfer": transfer}


def _rows(client: TestClient, headers: dict[str, str], view: str, **params: Any) -> Any:
    response = client.get(f"/v1/deadlines/{view}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [
        (
            row["record"],
            row["deadline"]["kind"],
            row["deadline"]["due"],
            row["deadline"]["legal_basis"],
            row["la_code"],
        )
        for row in response.json()["items"]
    ]


def test_overdue_deadlines_earliest_first_with_their_legal_basis(
    client: TestClient, officer: dict[str, str], world: dict[str, Any]
) -> None:
    assert _rows(client, officer, "overdue", as_of="2026-11-06") == [
        ("plan", "amended_plan", "2026-10-27", "SEND Regulations 2014 reg 22(3)", "855"),
        ("annual_review", "review_report", "2026-10-29", "SEND Regulations 2014 reg 20(7)", "855"),
        ("la_transfer", "plan_transfer", "2026-10-30", "SEND Regulations 2014 reg 15(2)", "855"),
        (
            "tribunal_order",
            "tribunal_order",
            "2026-11-05",
            "SEND Regulations 2014 reg 44(2)",
            "855",
        ),
    ]
    count = client.get(
        "/v1/deadlines/overdue/count", params={"as_of": "2026-11-06"}, headers=officer
    ).json()
    assert count == {
        "as_of": "2026-11-06",
        "count": 4,
        "by_kind": {
            "review_report": 1,
            "amended_plan": 1,
            "tribunal_order": 1,
            "plan_transfer": 1,
        },
    }
    only_orders = _rows(client, officer, "overdue", as_of="2026-11-06", kind="tribunal_order")
    assert [row[1] for row in only_orders] == ["tribunal_order"]


def test_due_soon_in_a_window_and_the_new_las_own_deadlines(
    client: TestClient, officer: dict[str, str], world: dict[str, Any], auth: Auth
) -> None:
    soon = _rows(client, officer, "due-soon", as_of="2026-10-20", within_days=10)
    assert [row[1] for row in soon] == ["amended_plan", "review_report", "plan_transfer"]
    assert _rows(client, officer, "due-soon", as_of="2026-10-20", within_days=0) == []
    # The old LA transfers the plan; the new LA's letter and review are its own deadlines.
    transfer = world["transfer"]
    client.post(
        f"/v1/la-transfers/{transfer['id']}/transfer",
        json={"transferred_on": "2026-10-21"},
        headers=officer | {"If-Match": transfer["etag"]},
    )
    new_la = auth(Role.OFFICER, la_code="856")
    assert _rows(client, new_la, "due-soon", as_of="2026-11-25", within_days=14) == [
        (
            "la_transfer",
            "transfer_notice_to_family",
            "2026-12-02",
            "SEND Regulations 2014 reg 15(4)",
            "856",
        )
    ]
    assert all(row[4] == "855" for row in _rows(client, officer, "due-soon", as_of="2026-11-25"))


def test_compliance_counts_met_late_and_overdue_in_a_period(
    client: TestClient, officer: dict[str, str], world: dict[str, Any]
) -> None:
    response = client.get(
        "/v1/deadlines/compliance",
        params={"period_from": "2026-09-01", "period_to": "2026-10-31", "as_of": "2026-11-06"},
        headers=officer,
    )
    assert response.status_code == 200, response.text
    kinds = {k["kind"]: k for k in response.json()["kinds"]}
    assert (kinds["review_invitations"]["due"], kinds["review_invitations"]["met"]) == (1, 1)
    assert (kinds["review_advice_circulated"]["met"], kinds["review_report"]["overdue"]) == (1, 1)
    assert kinds["review_report"]["legal_basis"] == ["SEND Regulations 2014 reg 20(7)"]
    assert kinds["amended_plan"]["overdue"] == 1
    assert "tribunal_order" not in kinds  # due 5 November, after the period
    bad = client.get(
        "/v1/deadlines/compliance",
        params={"period_from": "2026-11-01", "period_to": "2026-10-01"},
        headers=officer,
    )
    assert bad.status_code == 422


def test_another_la_sees_none_of_them(
    client: TestClient, world: dict[str, Any], auth: Auth
) -> None:
    other = auth(Role.OFFICER, la_code="857")
    assert _rows(client, other, "overdue", as_of="2026-11-06") == []
    assert _rows(client, other, "overdue", as_of="2026-11-06", la_code="855") == []


def test_papers_missed_before_a_meeting_held_are_compliance_not_work_to_do(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    # A meeting on 15 October held with no notice or advice recorded: neither can be sent in
    # time any more, so the officer's queue shows only the report still to write; the
    # compliance view counts the notice and the advice as missed.
    reviewed = final_plan(client, officer, make_child(session))
    response = client.post(
        f"/v1/plans/{reviewed['id']}/reviews", json={"meeting_on": "2026-10-15"}, headers=officer
    )
    assert response.status_code == 201, response.text
    overdue = _rows(client, officer, "overdue", as_of="2026-11-06")
    assert [row[1] for row in overdue] == ["review_report"]
    compliance = client.get(
        "/v1/deadlines/compliance",
        params={"period_from": "2026-09-01", "period_to": "2026-10-31", "as_of": "2026-11-06"},
        headers=officer,
    ).json()
    kinds = {k["kind"]: k for k in compliance["kinds"]}
    assert (kinds["review_invitations"]["due"], kinds["review_invitations"]["met"]) == (1, 0)
    assert (kinds["review_advice_circulated"]["due"], kinds["review_advice_circulated"]["met"]) == (
        1,
        0,
    )


def test_each_row_names_the_child_the_officer_sees(
    client: TestClient, officer: dict[str, str], world: dict[str, Any], session: Session
) -> None:
    response = client.get(
        "/v1/deadlines/overdue", params={"as_of": "2026-11-06"}, headers=officer
    ).json()
    children = {
        row["child_id"]: client.get(f"/v1/children/{row['child_id']}", headers=officer).json()
        for row in response["items"]
    }
    assert response["items"]
    for row in response["items"]:
        child = children[row["child_id"]]
        assert row["child_name"] == f"{child['given_name']} {child['family_name']}"
