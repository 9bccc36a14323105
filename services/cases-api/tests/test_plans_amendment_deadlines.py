"""Any amendment notice (after a review, a tribunal order, or the LA's own proposal) shows the
family's representations window (reg 22(2)(c)) and the amended plan's 8 weeks (reg 22(3))."""

from fastapi.testclient import TestClient
from plans_helpers import add_version, final_plan, make_child
from sqlalchemy.orm import Session


def test_a_notice_shows_the_window_and_the_eight_weeks_until_the_reissue(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session))
    assert client.get(f"/v1/plans/{plan['id']}", headers=officer).json()["deadlines"] == []
    # 15 days beginning with 31 July end on 14 August; 8 weeks after it, 25 September.
    assert add_version(client, officer, plan, "amendment_notice", "2026-07-31").status_code == 201
    read = client.get(
        f"/v1/plans/{plan['id']}", params={"as_of": "2026-09-20"}, headers=officer
    ).json()
    assert read["status"] == "being_amended"
    assert read["representations_until"] == "2026-08-14"
    assert read["may_finalise_from"] == "2026-08-15"
    (deadline,) = read["deadlines"]
    assert deadline == {
        "kind": "amended_plan",
        "due": "2026-09-25",
        "done": None,
        "status": "due_soon",
        "days_remaining": 5,
        "days_late": None,
        "legal_basis": "SEND Regulations 2014 reg 22(3)",
        "detail": "amendment notice of 2026-07-31",
    }
    overdue = client.get(
        f"/v1/plans/{plan['id']}", params={"as_of": "2026-09-26"}, headers=officer
    ).json()
    assert (overdue["deadlines"][0]["status"], overdue["deadlines"][0]["days_late"]) == (
        "overdue",
        1,
    )

    assert add_version(client, officer, plan, "reissue", "2026-09-28").status_code == 201
    after = client.get(f"/v1/plans/{plan['id']}", headers=officer).json()
    assert after["representations_until"] is None
    assert (after["deadlines"][0]["status"], after["deadlines"][0]["days_late"]) == ("late", 3)


def test_a_waived_window_has_no_representations_day(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session))
    response = add_version(
        client, officer, plan, "amendment_notice", "2026-10-01", comments_waived=True
    )
    assert response.status_code == 201, response.text
    read = client.get(f"/v1/plans/{plan['id']}", headers=officer).json()
    assert read["representations_until"] is None
    assert read["deadlines"][0]["due"] == "2026-11-26"
