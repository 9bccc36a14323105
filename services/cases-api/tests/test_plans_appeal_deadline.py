"""The family's last day to appeal a final or amended plan, as the officer and the family read it
on the plan: counted from the day it was issued, moved out of August and off non-working days."""

from datetime import date

from fastapi.testclient import TestClient
from plans_helpers import add_version, create_plan, final_plan, make_child
from sqlalchemy.orm import Session


def test_a_plan_made_final_on_20_june_can_be_appealed_until_1_september(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    # 20 June + 2 months = 20 August, in August: r12(3)(a) moves it to the first working day
    # after 31 August; Monday 31 August 2026 is itself the summer bank holiday.
    plan = final_plan(client, officer, make_child(session), final_on="2026-06-20")
    assert plan["appeal"] == {
        "last_day": "2026-09-01",
        "raw_last_day": "2026-08-20",
        "counted_from": "2026-06-20",
        "provisional": False,
        "rolled_by": "august",
        "legal_basis": plan["appeal"]["legal_basis"],
    }
    assert "r12(3)(a)" in plan["appeal"]["legal_basis"]
    assert date.fromisoformat(plan["appeal"]["last_day"]).weekday() < 5


def test_an_amended_plan_restarts_the_time_to_appeal_and_a_draft_has_none(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    child = make_child(session)
    draft = create_plan(client, officer, child, issued_on="2026-03-02")
    read = client.get(f"/v1/plans/{draft['id']}", headers=officer).json()
    assert read["appeal"] is None
    assert add_version(client, officer, draft, "final", "2026-03-20").status_code == 201
    assert add_version(client, officer, draft, "amendment_notice", "2026-09-01").status_code == 201
    assert add_version(client, officer, draft, "reissue", "2026-10-26").status_code == 201
    read = client.get(f"/v1/plans/{draft['id']}", headers=officer).json()
    # 26 October + 2 months = Saturday 26 December: r12(3)(a) (25 December–1 January) moves it
    # to the first working day after 1 January 2027, Monday 4 January.
    assert read["appeal"]["counted_from"] == "2026-10-26"
    assert read["appeal"]["last_day"] == "2027-01-04"
    assert read["appeal"]["rolled_by"] == "christmas"


def test_a_decision_to_cease_or_to_keep_the_plan_carries_its_time_to_appeal(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    for outcome, extra in (("cease", {"cease_reason": 5}), ("maintain", {})):
        plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
        review = client.post(
            f"/v1/plans/{plan['id']}/reviews", json={"meeting_on": "2026-09-01"}, headers=officer
        ).json()
        decided = client.patch(
            f"/v1/annual-reviews/{review['id']}",
            json={"decision_notified_on": "2026-09-10", "outcome": outcome} | extra,
            headers=officer | {"If-Match": review["etag"]},
        )
        assert decided.status_code == 200, decided.text
        # 10 September + 2 months = Tuesday 10 November: a working day, not moved.
        assert decided.json()["appeal"]["last_day"] == "2026-11-10"
        assert decided.json()["appeal"]["counted_from"] == "2026-09-10"
        plan_now = client.get(f"/v1/plans/{plan['id']}", headers=officer).json()
        # A ceased plan has no plan appeal of its own: the review's decision is what is appealed.
        assert (plan_now["appeal"] is None) == (outcome == "cease")
