"""A plan moving with the family to another LA (reg 15) and a change of health commissioning body
(reg 16) over HTTP: who records what, who sees what, and the deadlines with their legal basis."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from plans_helpers import create_plan, final_plan, make_child
from sqlalchemy.orm import Session

from cases_api.auth.principal import Role

Auth = Callable[..., dict[str, str]]


def _deadlines(body: dict[str, Any]) -> list[tuple[str, str, str | None, str, str]]:
    return [
        (d["kind"], d["due"], d["done"], d["status"], d["legal_basis"]) for d in body["deadlines"]
    ]


def _move(client: TestClient, headers: dict[str, str], plan: dict[str, Any], **body: Any) -> Any:
    return client.post(f"/v1/plans/{plan['id']}/la-transfers", json=body, headers=headers)


def test_a_move_learnt_late_then_the_transfer_moves_the_case_to_the_new_la(
    client: TestClient, officer: dict[str, str], session: Session, auth: Auth
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    response = _move(
        client,
        officer,
        plan,
        new_la_code="856",
        moved_on="2026-10-30",
        old_la_aware_on="2026-10-26",
    )
    assert response.status_code == 201, response.text
    transfer = response.json()
    assert response.headers["Location"] == f"/v1/la-transfers/{transfer['id']}"
    assert (transfer["old_la_code"], transfer["new_la_code"]) == ("855", "856")
    assert transfer["plan_last_reviewed_on"] == "2026-04-20"
    # Told on Monday 26 October, four working days before the move: 15 working days from then.
    transfer_due = transfer["deadlines"][0]
    assert (transfer_due["due"], transfer_due["legal_basis"]) == (
        "2026-11-13",
        "SEND Regulations 2014 reg 15(2)",
    )
    assert transfer_due["detail"] == "within 15 working days of becoming aware"

    new_la = auth(Role.OFFICER, la_code="856")
    seen = client.get(f"/v1/la-transfers/{transfer['id']}", headers=new_la)
    assert seen.status_code == 200
    assert client.get(f"/v1/plans/{plan['id']}", headers=new_la).status_code == 404
    too_early = client.post(
        f"/v1/la-transfers/{transfer['id']}/family-notice",
        json={"family_notified_on": "2026-11-02"},
        headers=new_la | {"If-Match": transfer["etag"]},
    )
    assert too_early.status_code == 409
    not_theirs = client.post(
        f"/v1/la-transfers/{transfer['id']}/transfer",
        json={"transferred_on": "2026-11-02"},
        headers=new_la | {"If-Match": transfer["etag"]},
    )
    assert not_theirs.status_code == 403

    done = client.post(
        f"/v1/la-transfers/{transfer['id']}/transfer",
        json={"transferred_on": "2026-11-02"},
        headers=officer | {"If-Match": transfer["etag"]},
    )
    assert done.status_code == 200, done.text
    on_day = client.get(
        f"/v1/la-transfers/{transfer['id']}", params={"as_of": "2026-11-02"}, headers=new_la
    ).json()
    assert _deadlines(on_day) == [
        ("plan_transfer", "2026-11-13", "2026-11-02", "met", "SEND Regulations 2014 reg 15(2)"),
        (
            "transfer_notice_to_family",
            "2026-12-14",
            None,
            "pending",
            "SEND Regulations 2014 reg 15(4)",
        ),
        # 12 months from 20 April 2026 end 19 April 2027, later than 3 months from the transfer.
        ("transfer_review", "2027-04-19", None, "pending", "SEND Regulations 2014 reg 15(5)"),
    ]
    # The case is the new LA's now; the old LA keeps the transfer record only.
    assert client.get(f"/v1/plans/{plan['id']}", headers=new_la).status_code == 200
    assert client.get(f"/v1/plans/{plan['id']}", headers=officer).status_code == 404
    assert client.get(f"/v1/la-transfers/{transfer['id']}", headers=officer).status_code == 200

    told = client.post(
        f"/v1/la-transfers/{transfer['id']}/family-notice",
        json={"family_notified_on": "2026-11-20"},
        headers=new_la | {"If-Match": done.json()["etag"]},
    )
    assert told.status_code == 200, told.text
    assert told.json()["deadlines"][1]["status"] == "met"
    listed = client.get("/v1/la-transfers", headers=new_la).json()["items"]
    assert [t["id"] for t in listed] == [transfer["id"]]
    assert (
        client.get("/v1/la-transfers", headers=auth(Role.OFFICER, la_code="857")).json()["items"]
        == []
    )


def test_a_review_overdue_by_twelve_months_gets_three_months_after_the_transfer(
    client: TestClient, officer: dict[str, str], session: Session, auth: Auth
) -> None:
    plan = final_plan(
        client, officer, make_child(session), draft_on="2025-11-01", final_on="2025-11-20"
    )
    transfer = _move(
        client,
        officer,
        plan,
        new_la_code="856",
        moved_on="2026-11-30",
        old_la_aware_on="2026-10-01",
    ).json()
    assert transfer["deadlines"][0]["due"] == "2026-11-30"  # told in time: on the day of the move
    assert transfer["deadlines"][0]["detail"] == "on the day of the move"
    done = client.post(
        f"/v1/la-transfers/{transfer['id']}/transfer",
        json={"transferred_on": "2026-11-30"},
        headers=officer | {"If-Match": transfer["etag"]},
    ).json()
    # 3 months starting with 30 November: no 30 February, so the period ends with February.
    assert done["deadlines"][2]["due"] == "2027-02-28"
    new_la = auth(Role.OFFICER, la_code="856")
    moved_plan = client.get(f"/v1/plans/{plan['id']}", headers=new_la).json()
    assert moved_plan["next_review_due"] == "2027-02-28"


def test_bad_moves_are_refused_and_change_nothing(
    client: TestClient, officer: dict[str, str], session: Session, auth: Auth
) -> None:
    child = make_child(session)
    draft = create_plan(client, officer, child)
    body = {"new_la_code": "856", "moved_on": "2026-10-30", "old_la_aware_on": "2026-10-26"}
    assert _move(client, officer, draft, **body).status_code == 409
    plan = final_plan(client, officer, make_child(session))
    same = _move(client, officer, plan, **(body | {"new_la_code": "855"}))
    assert same.status_code == 422
    assert same.json()["errors"][0]["location"] == "body.new_la_code"
    future = _move(client, officer, plan, **(body | {"old_la_aware_on": "2099-01-01"}))
    assert future.status_code == 422
    assert _move(client, auth(Role.OFFICER, la_code="856"), plan, **body).status_code == 404
    assert _move(client, auth(Role.SERVICE), plan, **body).status_code == 403
    first = _move(client, officer, plan, **body)
    assert first.status_code == 201
    assert _move(client, officer, plan, **body).status_code == 409
    early = client.post(
        f"/v1/la-transfers/{first.json()['id']}/transfer",
        json={"transferred_on": "2026-10-25"},
        headers=officer | {"If-Match": first.json()["etag"]},
    )
    assert early.status_code == 422
    assert client.get(f"/v1/plans/{plan['id']}", headers=officer).status_code == 200


def test_a_new_commissioning_body_has_fifteen_working_days(
    client: TestClient, officer: dict[str, str], session: Session, auth: Auth
) -> None:
    plan = final_plan(client, officer, make_child(session))
    response = client.post(
        f"/v1/plans/{plan['id']}/commissioning-changes",
        json={
            "old_body": "NHS Leicester ICB",
            "new_body": "NHS Derby ICB",
            "new_body_aware_on": "2026-11-02",
        },
        headers=officer,
    )
    assert response.status_code == 201, response.text
    change = response.json()
    assert _deadlines(change) == [
        ("health_body_response", "2026-11-20", None, "overdue", "SEND Regulations 2014 reg 16")
    ]
    read = client.get(
        f"/v1/commissioning-changes/{change['id']}",
        params={"as_of": "2026-11-23"},
        headers=officer,
    ).json()
    assert (read["deadlines"][0]["status"], read["deadlines"][0]["days_late"]) == ("overdue", 3)
    answered = client.post(
        f"/v1/commissioning-changes/{change['id']}/answer",
        json={"answered_on": "2026-11-20"},
        headers=officer | {"If-Match": change["etag"]},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["deadlines"][0]["status"] == "met"
    other = auth(Role.OFFICER, la_code="856")
    assert client.get(f"/v1/commissioning-changes/{change['id']}", headers=other).status_code == 404
    same_body = client.post(
        f"/v1/plans/{plan['id']}/commissioning-changes",
        json={
            "old_body": "NHS Derby ICB",
            "new_body": "nhs derby icb",
            "new_body_aware_on": "2026-11-02",
        },
        headers=officer,
    )
    assert same_body.status_code == 422
