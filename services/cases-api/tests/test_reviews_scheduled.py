"""The next review meeting scheduled before it is held: its notice and advice fall due two weeks
before it (SEND Regulations 2014 reg 20(3), (4); reg 21 out of school), shown on the schedule's
read and in the officers' deadline queues as work to do; it can be moved or cancelled, and
recording the meeting held consumes it."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from plans_helpers import create_plan, final_plan, make_child
from sqlalchemy.orm import Session

from cases_api.auth.principal import Role
from cases_api.core.time import today
from cases_api.statutory.review_meetings import meeting_notice_deadlines

Auth = Callable[..., dict[str, str]]


def _path(plan: dict[str, Any]) -> str:
    return f"/v1/plans/{plan['id']}/scheduled-review"


def _schedule(
    client: TestClient, headers: dict[str, str], session: Session, **body: Any
) -> tuple[dict[str, Any], Any]:
    plan = final_plan(client, headers, make_child(session), final_on="2026-04-20")
    response = client.post(_path(plan), json=body, headers=headers)
    return plan, response


def _deadlines(read: dict[str, Any]) -> list[tuple[str, str, str | None, str, str]]:
    return [
        (d["kind"], d["due"], d["done"], d["status"], d["legal_basis"]) for d in read["deadlines"]
    ]


def _queue(client: TestClient, headers: dict[str, str], view: str, **params: Any) -> Any:
    response = client.get(f"/v1/deadlines/{view}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [
        (row["record"], row["deadline"]["kind"], row["deadline"]["due"], row["path"])
        for row in response.json()["items"]
        if row["record"] == "scheduled_review"
    ]


def test_a_meeting_on_20_november_without_notice_is_due_soon_then_overdue(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan, response = _schedule(client, officer, session, meeting_on="2026-11-20")
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == _path(plan)
    assert response.headers["ETag"] == response.json()["etag"]
    read = client.get(_path(plan), params={"as_of": "2026-11-01"}, headers=officer).json()
    assert (read["meeting_on"], read["review_due_on"], read["attends_school"]) == (
        "2026-11-20",
        "2027-04-19",
        True,
    )
    assert _deadlines(read) == [
        ("review_invitations", "2026-11-06", None, "due_soon", "SEND Regulations 2014 reg 20(3)"),
        (
            "review_advice_circulated",
            "2026-11-06",
            None,
            "due_soon",
            "SEND Regulations 2014 reg 20(4)",
        ),
    ]
    assert read["deadlines"][0]["days_remaining"] == 5
    path = _path(plan)
    due_soon = _queue(client, officer, "due-soon", as_of="2026-11-01")
    assert due_soon == [  # the same day: by kind
        ("scheduled_review", "review_advice_circulated", "2026-11-06", path),
        ("scheduled_review", "review_invitations", "2026-11-06", path),
    ]
    assert _queue(client, officer, "overdue", as_of="2026-11-01") == []
    assert _queue(client, officer, "overdue", as_of="2026-11-07") == due_soon
    # On the meeting's day the notice can no longer be sent in time: compliance counts it.
    assert _queue(client, officer, "overdue", as_of="2026-11-20") == []
    compliance = client.get(
        "/v1/deadlines/compliance",
        params={"period_from": "2026-11-01", "period_to": "2026-11-30", "as_of": "2026-11-20"},
        headers=officer,
    ).json()
    kinds = {k["kind"]: k for k in compliance["kinds"]}
    assert (kinds["review_invitations"]["due"], kinds["review_invitations"]["overdue"]) == (1, 1)


def test_notice_and_advice_recorded_as_they_go_out_with_if_match(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan, created = _schedule(client, officer, session, meeting_on="2026-11-20")
    etag = created.json()["etag"]
    notice = {"invitations_sent_on": "2026-11-05"}
    assert client.patch(_path(plan), json=notice, headers=officer).status_code == 428
    sent = client.patch(_path(plan), json=notice, headers=officer | {"If-Match": etag})
    assert sent.status_code == 200, sent.text
    assert sent.headers["ETag"] != etag
    # A second officer still holding the first ETag is told the record changed.
    stale = client.patch(
        _path(plan),
        json={"advice_circulated_on": "2026-11-04"},
        headers=officer | {"If-Match": etag},
    )
    assert stale.status_code == 412
    assert _queue(client, officer, "overdue", as_of="2026-11-07") == [
        ("scheduled_review", "review_advice_circulated", "2026-11-06", _path(plan))
    ]
    late = client.patch(
        _path(plan),
        json={"advice_circulated_on": "2026-11-09"},
        headers=officer | {"If-Match": sent.json()["etag"]},
    )
    read = client.get(_path(plan), params={"as_of": "2026-11-10"}, headers=officer).json()
    assert late.status_code == 200
    assert [(d["kind"], d["status"], d["days_late"]) for d in read["deadlines"]] == [
        ("review_invitations", "met", None),
        ("review_advice_circulated", "late", 3),
    ]
    assert _queue(client, officer, "overdue", as_of="2026-11-10") == []


def test_moving_the_meeting_asks_for_a_new_notice_and_keeps_the_advice(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan, created = _schedule(
        client,
        officer,
        session,
        meeting_on="2026-11-20",
        invitations_sent_on="2026-11-02",
        advice_circulated_on="2026-11-03",
    )
    moved = client.patch(
        _path(plan),
        json={"meeting_on": "2026-12-10", "attends_school": False},
        headers=officer | {"If-Match": created.json()["etag"]},
    )
    assert moved.status_code == 200, moved.text
    read = client.get(_path(plan), params={"as_of": "2026-11-20"}, headers=officer).json()
    assert (read["meeting_on"], read["invitations_sent_on"], read["advice_circulated_on"]) == (
        "2026-12-10",
        None,
        "2026-11-03",
    )
    assert _deadlines(read) == [
        ("review_invitations", "2026-11-26", None, "due_soon", "SEND Regulations 2014 reg 21(3)"),
        (
            "review_advice_circulated",
            "2026-11-26",
            "2026-11-03",
            "met",
            "SEND Regulations 2014 reg 21(4)",
        ),
    ]
    assert _queue(client, officer, "due-soon", as_of="2026-11-20") == [
        ("scheduled_review", "review_invitations", "2026-11-26", _path(plan))
    ]


def test_a_cancelled_meeting_leaves_nothing_due(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan, created = _schedule(client, officer, session, meeting_on="2026-11-20")
    assert client.delete(_path(plan), headers=officer).status_code == 428
    stale = client.delete(_path(plan), headers=officer | {"If-Match": '"v9"'})
    assert stale.status_code == 412
    cancelled = client.delete(_path(plan), headers=officer | {"If-Match": created.json()["etag"]})
    assert cancelled.status_code == 204, cancelled.text
    assert client.get(_path(plan), headers=officer).status_code == 404
    assert _queue(client, officer, "overdue", as_of="2026-11-07") == []
    # A new meeting can then be scheduled.
    again = client.post(_path(plan), json={"meeting_on": "2026-12-03"}, headers=officer)
    assert again.status_code == 201, again.text


def test_the_held_meeting_consumes_the_schedule_and_keeps_its_papers(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan, _ = _schedule(
        client,
        officer,
        session,
        meeting_on="2026-11-20",
        attends_school=False,
        invitations_sent_on="2026-11-05",
        advice_circulated_on="2026-11-04",
    )
    held = client.post(
        f"/v1/plans/{plan['id']}/reviews",
        json={"meeting_on": "2026-11-20", "report_sent_on": "2026-11-27"},
        headers=officer,
    )
    assert held.status_code == 201, held.text
    review = held.json()
    assert (review["invitations_sent_on"], review["advice_circulated_on"]) == (
        "2026-11-05",
        "2026-11-04",
    )
    assert [(d["kind"], d["status"], d["legal_basis"]) for d in review["deadlines"]] == [
        ("review_invitations", "met", "SEND Regulations 2014 reg 21(3)"),
        ("review_advice_circulated", "met", "SEND Regulations 2014 reg 21(4)"),
        ("review_report", "met", "SEND Regulations 2014 reg 21(7)"),
    ]
    assert client.get(_path(plan), headers=officer).status_code == 404
    # The next meeting can be scheduled, after the one just held.
    before = client.post(_path(plan), json={"meeting_on": "2026-11-20"}, headers=officer)
    assert before.status_code == 422
    assert before.json()["errors"] == [
        {
            "location": "body.meeting_on",
            "message": "meeting_on must be after the plan's last review meeting (2026-11-20).",
        }
    ]
    assert (
        client.post(_path(plan), json={"meeting_on": "2027-11-01"}, headers=officer).status_code
        == 201
    )


def test_a_meeting_held_on_another_day_keeps_no_notice_of_the_old_date_and_the_body_wins(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan, _ = _schedule(
        client,
        officer,
        session,
        meeting_on="2026-11-20",
        invitations_sent_on="2026-11-05",
        advice_circulated_on="2026-11-04",
    )
    held = client.post(
        f"/v1/plans/{plan['id']}/reviews",
        json={"meeting_on": "2026-11-24", "advice_circulated_on": "2026-11-09"},
        headers=officer,
    ).json()
    assert (held["invitations_sent_on"], held["advice_circulated_on"]) == (None, "2026-11-09")
    assert held["attends_school"] is True
    assert client.get(_path(plan), headers=officer).status_code == 404


def test_dates_that_do_not_fit_the_meeting_are_refused_and_change_nothing(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan, refused = _schedule(
        client, officer, session, meeting_on="2026-04-10", invitations_sent_on="2026-04-12"
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "location": "body.meeting_on",
            "message": "meeting_on must be on or after the day the plan was made final "
            "(2026-04-20).",
        },
        {
            "location": "body.invitations_sent_on",
            "message": "invitations_sent_on must be on or before the meeting (2026-04-10).",
        },
    ]
    assert client.get(_path(plan), headers=officer).status_code == 404
    created = client.post(_path(plan), json={"meeting_on": "2026-11-20"}, headers=officer)
    late_notice = client.patch(
        _path(plan),
        json={"invitations_sent_on": "2026-11-21"},
        headers=officer | {"If-Match": created.json()["etag"]},
    )
    assert late_notice.status_code == 422
    assert late_notice.json()["errors"] == [
        {
            "location": "body.invitations_sent_on",
            "message": "invitations_sent_on must be on or before the meeting (2026-11-20).",
        }
    ]
    future = (today() + timedelta(days=400)).isoformat()
    ahead = client.patch(
        _path(plan),
        json={"meeting_on": future, "invitations_sent_on": future},
        headers=officer | {"If-Match": created.json()["etag"]},
    )
    assert ahead.status_code == 422
    assert ahead.json()["errors"][0]["message"] == "invitations_sent_on cannot be after today."
    assert client.get(_path(plan), headers=officer).json()["meeting_on"] == "2026-11-20"
    second = client.post(_path(plan), json={"meeting_on": "2026-12-01"}, headers=officer)
    assert second.status_code == 409


def test_only_a_final_plan_is_scheduled(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    draft = create_plan(client, officer, make_child(session))
    response = client.post(_path(draft), json={"meeting_on": "2026-11-20"}, headers=officer)
    assert response.status_code == 409


def test_another_la_sees_and_changes_none(
    client: TestClient, officer: dict[str, str], session: Session, auth: Auth
) -> None:
    plan, created = _schedule(client, officer, session, meeting_on="2026-11-20")
    other = auth(Role.OFFICER, la_code="856")
    etag = created.json()["etag"]
    assert client.get(_path(plan), headers=other).status_code == 404
    moved = client.patch(
        _path(plan), json={"meeting_on": "2026-12-01"}, headers=other | {"If-Match": etag}
    )
    assert moved.status_code == 404
    assert client.delete(_path(plan), headers=other | {"If-Match": etag}).status_code == 404
    assert _queue(client, other, "due-soon", as_of="2026-11-01") == []
    assert _queue(client, other, "overdue", as_of="2026-11-07", la_code="855") == []
    assert client.get(_path(plan), headers=officer).json()["meeting_on"] == "2026-11-20"


@given(
    meeting_on=st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    lead=st.integers(0, 60),
)
def test_notice_sent_at_least_two_weeks_before_is_met_else_late(
    meeting_on: date, lead: int
) -> None:
    sent = meeting_on - timedelta(days=lead)
    notice, advice = meeting_notice_deadlines(
        meeting_on=meeting_on, today=meeting_on, invitations_sent_on=sent
    )
    assert notice.due == advice.due == meeting_on - timedelta(days=14)
    assert notice.status.value == ("met" if lead >= 14 else "late")
    assert advice.status.value == "overdue"


def test_a_move_with_its_new_notice_and_a_move_before_the_advice_or_last_meeting(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session), final_on="2026-04-20")
    held = client.post(
        f"/v1/plans/{plan['id']}/reviews", json={"meeting_on": "2026-06-10"}, headers=officer
    )
    assert held.status_code == 201, held.text
    created = client.post(
        _path(plan),
        json={"meeting_on": "2026-11-20", "advice_circulated_on": "2026-11-03"},
        headers=officer,
    ).json()
    etag = {"If-Match": created["etag"]}
    earlier = client.patch(_path(plan), json={"meeting_on": "2026-11-02"}, headers=officer | etag)
    assert earlier.status_code == 422
    assert earlier.json()["errors"] == [
        {
            "location": "body.advice_circulated_on",
            "message": "advice_circulated_on must be on or before the meeting (2026-11-02).",
        }
    ]
    before_last = client.patch(
        _path(plan), json={"meeting_on": "2026-06-01"}, headers=officer | etag
    )
    assert before_last.status_code == 422
    assert before_last.json()["errors"][0]["location"] == "body.meeting_on"
    moved = client.patch(
        _path(plan),
        json={"meeting_on": "2026-11-27", "invitations_sent_on": "2026-11-10"},
        headers=officer | etag,
    )
    assert moved.status_code == 200, moved.text
    read = client.get(_path(plan), params={"as_of": "2026-11-12"}, headers=officer).json()
    assert [(d["kind"], d["due"], d["status"]) for d in read["deadlines"]] == [
        ("review_invitations", "2026-11-13", "met"),
        ("review_advice_circulated", "2026-11-13", "met"),
    ]
    assert (
        client.patch(_path(plan), json={}, headers=officer | {"If-Match": read["etag"]}).status_code
        == 422
    )
