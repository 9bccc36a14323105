"""Allocation rounds in-process against the real matching service: a whole round, and every
illegal step refused with a problem and nothing changed."""

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from cases_factories import establishment_body, plan_version_body, provision_body
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rounds_world import World, add_cohort, build_world, matching_process, open_round

from cases_api.matching_client import MatchingClient
from cases_api.settings import Settings

Auth = Callable[..., dict[str, str]]


@pytest.fixture(scope="module")
def matching_url() -> Iterator[str]:
    yield from matching_process()


@pytest.fixture
def rounds(
    app: FastAPI, client: TestClient, matching_url: str, tmp_path: Path
) -> Iterator[TestClient]:
    """The test client, with cases-api's matching client pointed at the real service."""
    original = app.state.matching_client
    app.state.matching_client = MatchingClient(
        Settings(data_dir=tmp_path, matching_url=matching_url)
    )
    try:
        yield client
    finally:
        app.state.matching_client.close()
        app.state.matching_client = original


@pytest.fixture
def world(rounds: TestClient, officer: dict[str, str]) -> World:
    return build_world(rounds, officer)


def _propose(client: TestClient, officer: dict[str, str], round_id: str) -> dict[str, Any]:
    response = client.post(f"/v1/rounds/{round_id}/proposals", headers=officer)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _placed_at(proposal: dict[str, Any]) -> dict[str, str]:
    return {a["child_id"]: a["provision_id"] for a in proposal["response"]["assignments"]}


def _provision(client: TestClient, officer: dict[str, str], provision_id: str) -> dict[str, Any]:
    return dict(client.get(f"/v1/provisions/{provision_id}", headers=officer).json())


def _progress(
    client: TestClient, officer: dict[str, str], round_id: str
) -> dict[str, dict[str, Any]]:
    headers = officer | {"X-Access-Reason": "round follow-up"}
    response = client.get(f"/v1/rounds/{round_id}/progress", headers=headers)
    assert response.status_code == 200, response.text
    return {item["child_id"]: item for item in response.json()["items"]}


def test_a_whole_round(
    rounds: TestClient, officer: dict[str, str], auth: Auth, world: World
) -> None:
    round_ = open_round(rounds, officer, budget_pence=20_000_000)
    add_cohort(rounds, officer, round_["id"], world)

    proposal = _propose(rounds, officer, round_["id"])
    assert proposal["number"] == 1
    assert len(proposal["request"]["children"]) == 2
    placed = _placed_at(proposal)
    near, other = world.near_child["id"], world.other_child["id"]
    # One free place at the resource base goes to the child who lives by it; the other child's
    # request for the full special school is refused on capacity, and the fee-paid school takes them.
    assert placed == {near: world.resource_base["id"], other: world.independent["id"]}
    refused = proposal["response"]["preferences_not_honoured"]
    assert refused == [
        {"child_id": other, "provision_id": world.special_school["id"], "reason": "capacity"}
    ]

    decision = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={"child_id": near, "decision": "accepted"},
        headers=officer,
    )
    assert decision.status_code == 201, decision.text
    consultation_id = decision.json()["consultation_id"]
    held = _provision(rounds, officer, world.resource_base["id"])
    assert (held["places_taken"], held["places_held"], held["free_places"]) == (1, 1, 0)

    consultation = rounds.get(f"/v1/consultations/{consultation_id}", headers=officer).json()
    assert consultation["status"] == "pending"
    assert consultation["due_on"] > consultation["sent_on"]

    school = auth("school", school_urns=(world.school_urn,))
    agreed = rounds.post(
        f"/v1/consultations/{consultation_id}/answer", json={"answer": "agreed"}, headers=school
    )
    assert agreed.status_code == 200, agreed.text
    assert agreed.json()["placement_id"]
    taken = _provision(rounds, officer, world.resource_base["id"])
    assert (taken["places_taken"], taken["places_held"], taken["free_places"]) == (2, 0, 0)

    # Agreement names nothing by itself: the family has the amendment notice proposing the
    # setting (sent with the decision), and an officer issues the amended plan.
    plan = rounds.get(f"/v1/plans/{world.plan_id}", headers=officer).json()
    assert plan["status"] == "being_amended"
    notice = rounds.get(
        f"/v1/plans/{world.plan_id}/versions/{plan['latest_version']['number']}", headers=officer
    ).json()
    assert notice["kind"] == "amendment_notice"
    assert notice["sections"]["i"]["provision_id"] == world.resource_base["id"]
    assert notice["sections"]["i"]["starts_on"] == "2027-09-01"
    notice_on = date.fromisoformat(notice["issued_on"])
    assert plan["amended_plan_due"] == (notice_on + timedelta(weeks=8)).isoformat()

    progress = _progress(rounds, officer, round_["id"])[near]
    assert progress["stage"] == "family_commenting"
    assert progress["notice_version"] == notice["number"]
    assert progress["comments_until"] == (notice_on + timedelta(days=14)).isoformat()
    assert progress["plan_due_by"] <= (notice_on + timedelta(weeks=8)).isoformat()
    assert progress["school_answered_on"] == notice["issued_on"]
    assert _progress(rounds, officer, round_["id"])[other]["stage"] == "proposed"

    plan_write = officer | {"If-Match": plan["etag"]}
    early = rounds.post(
        f"/v1/plans/{world.plan_id}/amended-plan",
        json={"issued_on": notice["issued_on"]},
        headers=plan_write,
    )
    assert early.status_code == 409, early.text
    assert "15-day comment window" in early.json()["detail"]
    issued = rounds.post(
        f"/v1/plans/{world.plan_id}/amended-plan",
        json={"issued_on": notice["issued_on"], "comments_waived": True},
        headers=plan_write,
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["kind"] == "reissue"
    assert issued.json()["sections"]["i"]["provision_id"] == world.resource_base["id"]
    named = rounds.get(f"/v1/plans/{world.plan_id}", headers=officer).json()
    assert named["status"] == "in_force"
    assert named["named_setting"]["provision_id"] == world.resource_base["id"]
    done = _progress(rounds, officer, round_["id"])[near]
    assert (done["stage"], done["plan_issued_on"], done["overdue"]) == (
        "plan_issued",
        notice["issued_on"],
        False,
    )

    again = rounds.post(
        f"/v1/consultations/{consultation_id}/answer", json={"answer": "agreed"}, headers=school
    )
    assert again.status_code == 409
    keyed = school | {"Idempotency-Key": "answer-retry-01"}
    with_key = rounds.post(
        f"/v1/consultations/{consultation_id}/answer", json={"answer": "agreed"}, headers=keyed
    )
    assert with_key.status_code == 409  # the first answer had no key: nothing to replay

    summary = rounds.get(f"/v1/rounds/{round_['id']}/summary", headers=officer).json()
    assert summary["cohort"] == 2
    assert summary["decisions"] == {"accepted": 1}
    assert summary["consultations"] == {"agreed": 1}
    assert summary["placements_made"] == 1
    assert summary["route"] == {"plan_issued": 1, "proposed": 1}
    assert summary["plans_overdue"] == 0
    latest_figures = summary["latest_proposal"]
    assert latest_figures["placed"] == 2
    assert latest_figures["preferences_refused_by_ground"] == {"capacity": 1}
    assert latest_figures["annual_cost_pence"] == 1_850_000 + 6_000_000
    assert latest_figures["over_budget_pence"] == 0
    assert summary["previous_proposal"] is None

    second = _propose(rounds, officer, round_["id"])
    assert [c["id"] for c in second["request"]["children"]] == [other]
    diff = rounds.get(f"/v1/rounds/{round_['id']}/proposals/1/diff/2", headers=officer).json()
    assert diff["changes"] == [
        {
            "child_id": near,
            "before_provision_id": world.resource_base["id"],
            "after_provision_id": None,
        }
    ]
    summary = rounds.get(f"/v1/rounds/{round_['id']}/summary", headers=officer).json()
    assert summary["previous_proposal"]["placed"] == 2
    assert summary["latest_proposal"]["placed"] == 1

    etag = rounds.get(f"/v1/rounds/{round_['id']}", headers=officer).headers["ETag"]
    closed = rounds.patch(
        f"/v1/rounds/{round_['id']}",
        json={"status": "closed"},
        headers=officer | {"If-Match": etag},
    )
    assert closed.status_code == 200
    late = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={"child_id": other, "decision": "accepted"},
        headers=officer,
    )
    assert late.status_code == 409


def test_a_promised_place_cannot_be_promised_twice(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    first = open_round(rounds, officer)
    add_cohort(rounds, officer, first["id"], world)
    _propose(rounds, officer, first["id"])
    accepted = rounds.post(
        f"/v1/rounds/{first['id']}/decisions",
        json={"child_id": world.near_child["id"], "decision": "accepted"},
        headers=officer,
    )
    assert accepted.status_code == 201
    second = open_round(rounds, officer, name="In-year, urgent")
    add_cohort(rounds, officer, second["id"], world)
    refused = rounds.post(
        f"/v1/rounds/{second['id']}/decisions",
        json={
            "child_id": world.other_child["id"],
            "decision": "overridden",
            "provision_id": world.resource_base["id"],
            "reason": "Closer to home than the independent school",
        },
        headers=officer,
    )
    # No proposal in the second round yet: first ask, then the override meets a full provision.
    assert refused.status_code == 409
    _propose(rounds, officer, second["id"])
    refused = rounds.post(
        f"/v1/rounds/{second['id']}/decisions",
        json={
            "child_id": world.other_child["id"],
            "decision": "overridden",
            "provision_id": world.resource_base["id"],
            "reason": "Closer to home than the independent school",
        },
        headers=officer,
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/no-free-place"
    decisions = rounds.get(f"/v1/rounds/{second['id']}/decisions", headers=officer).json()
    assert decisions["items"] == []


def test_a_declined_consultation_frees_the_place_and_the_child(
    rounds: TestClient, officer: dict[str, str], auth: Auth, world: World
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    decision = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={"child_id": world.near_child["id"], "decision": "accepted"},
        headers=officer,
    ).json()
    school = auth("school", school_urns=(world.school_urn,))
    no_reason = rounds.post(
        f"/v1/consultations/{decision['consultation_id']}/answer",
        json={"answer": "declined"},
        headers=school,
    )
    assert no_reason.status_code == 422
    keyed = school | {"Idempotency-Key": "decline-0000001"}
    body = {"answer": "declined", "reason": "The base is full for Year 7 after appeals."}
    path = f"/v1/consultations/{decision['consultation_id']}/answer"
    declined = rounds.post(path, json=body, headers=keyed)
    assert declined.status_code == 200
    replayed = rounds.post(path, json=body, headers=keyed)
    assert replayed.status_code == 200
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json() == declined.json()
    freed = _provision(rounds, officer, world.resource_base["id"])
    assert (freed["places_held"], freed["free_places"]) == (0, 1)
    second = _propose(rounds, officer, round_["id"])
    assert len(second["request"]["children"]) == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"decision": "rejected"}, 422),
        ({"decision": "overridden", "reason": "Family's wish"}, 422),
        ({"decision": "accepted", "provision_id": "00000000-0000-0000-0000-000000000000"}, 422),
    ],
)
def test_decisions_need_their_reasons(
    rounds: TestClient, officer: dict[str, str], world: World, body: dict[str, Any], status: int
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    response = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={"child_id": world.near_child["id"]} | body,
        headers=officer,
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_an_inadmissible_override_is_refused(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    etag = rounds.get(f"/v1/rounds/{round_['id']}", headers=officer).headers["ETag"]
    response = rounds.patch(
        f"/v1/rounds/{round_['id']}/children/{world.near_child['id']}",
        json={"suitable_kinds": ["mainstream"]},
        headers=officer | {"If-Match": etag},
    )
    assert response.status_code == 200
    override = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={
            "child_id": world.near_child["id"],
            "decision": "overridden",
            "provision_id": world.independent["id"],
            "reason": "Family prefer it",
        },
        headers=officer,
    )
    assert override.status_code == 422
    assert "not among the child's suitable kinds" in override.json()["detail"]


def test_rejecting_keeps_the_child_for_the_next_proposal(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    rejected = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={
            "child_id": world.other_child["id"],
            "decision": "rejected",
            "reason": "The independent school is too far for this child",
        },
        headers=officer,
    )
    assert rejected.status_code == 201
    assert rejected.json()["consultation_id"] is None
    assert len(_propose(rounds, officer, round_["id"])["request"]["children"]) == 2


def test_rounds_of_another_la_are_invisible(
    rounds: TestClient, officer: dict[str, str], auth: Auth
) -> None:
    round_ = open_round(rounds, officer)
    stranger = auth("officer", la_code="931")
    assert rounds.get(f"/v1/rounds/{round_['id']}", headers=stranger).status_code == 404
    assert rounds.get("/v1/rounds", headers=stranger).json()["items"] == []
    assert rounds.get(f"/v1/rounds/{round_['id']}", headers=auth("parent")).status_code == 403


def test_a_school_sees_only_its_own_consultations(
    rounds: TestClient, officer: dict[str, str], auth: Auth, world: World
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    decision = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={"child_id": world.near_child["id"], "decision": "accepted"},
        headers=officer,
    ).json()
    other_school = auth("school", school_urns=(999_991,))
    path = f"/v1/consultations/{decision['consultation_id']}"
    assert rounds.get(path, headers=other_school).status_code == 404
    assert rounds.get("/v1/consultations", headers=other_school).json()["items"] == []
    own = auth("school", school_urns=(world.school_urn,))
    assert [c["id"] for c in rounds.get("/v1/consultations", headers=own).json()["items"]] == [
        decision["consultation_id"]
    ]


def test_creating_a_round_is_idempotent(rounds: TestClient, officer: dict[str, str]) -> None:
    body = {"name": "September 2027", "entry_date": "2027-09-01"}
    headers = officer | {"Idempotency-Key": "round-key-0001"}
    first = rounds.post("/v1/rounds", json=body, headers=headers)
    again = rounds.post("/v1/rounds", json=body, headers=headers)
    assert first.json() == again.json()
    assert len(rounds.get("/v1/rounds", headers=officer).json()["items"]) == 1


def _primary(client: TestClient, officer: dict[str, str]) -> dict[str, Any]:
    school = client.post(
        "/v1/establishments",
        json=establishment_body(
            name="Castle Primary School",
            phase="primary",
            statutory_low_age=4,
            statutory_high_age=11,
            location={"lat": 52.776, "lon": -1.204},
        ),
        headers=officer,
    ).json()
    primary = client.post(
        "/v1/provisions",
        json=provision_body(
            school["urn"],
            name="Castle Primary School",
            kind="mainstream",
            designated_needs=[],
            min_age=4,
            max_age=11,
            places_total=30,
            places_taken=20,
        ),
        headers=officer,
    )
    assert primary.status_code == 201, primary.text
    assert primary.json()["admits"] == {
        "from_age": 4,
        "to_age": 10,
        "year_groups": "Reception to Year 6",
    }
    return dict(primary.json())


def test_no_child_entering_year_7_goes_to_a_primary_school(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    primary = _primary(rounds, officer)
    round_ = open_round(rounds, officer)
    kinds = ["mainstream", "resource_base", "special_school", "independent"]
    for child in (world.near_child, world.other_child):
        added = rounds.post(
            f"/v1/rounds/{round_['id']}/children",
            json={"child_id": child["id"], "suitable_kinds": kinds},
            headers=officer,
        )
        assert added.status_code == 201, added.text
        assert (added.json()["age_at_entry"], added.json()["transfer"]) == (11, "into_secondary")
    proposal = _propose(rounds, officer, round_["id"])
    assert primary["id"] not in _placed_at(proposal).values()

    override = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={
            "child_id": world.near_child["id"],
            "decision": "overridden",
            "provision_id": primary["id"],
            "reason": "Nearest school to home.",
        },
        headers=officer,
    )
    assert override.status_code == 422, override.text
    assert "Year 7" in override.json()["detail"]
    assert "Reception to Year 6" in override.json()["detail"]
    hearing = rounds.post(
        "/v1/provisions",
        json=provision_body(
            world.school_urn, name="Castle High HI Base", designated_needs=["HI"], places_taken=0
        ),
        headers=officer,
    ).json()
    warned = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={
            "child_id": world.near_child["id"],
            "decision": "overridden",
            "provision_id": hearing["id"],
            "reason": "The base's staff know the child well.",
        },
        headers=officer,
    )
    assert warned.status_code == 201, warned.text
    assert "not for the child's primary need (ASD)" in warned.json()["warnings"][0]
    found = rounds.get(
        "/v1/provisions", params={"age": 11, "kind": "mainstream"}, headers=officer
    ).json()["items"]
    assert primary["id"] not in [p["id"] for p in found]


def test_section_i_must_admit_the_childs_year_group(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    primary = _primary(rounds, officer)
    plan = rounds.get(f"/v1/plans/{world.plan_id}", headers=officer).json()
    names = {"provision_id": primary["id"], "description": "Primary", "starts_on": "2027-09-01"}
    body = plan_version_body("amendment_notice", "2026-11-20")
    body["sections"]["i"] = names
    refused = rounds.post(
        f"/v1/plans/{world.plan_id}/versions",
        json=body,
        headers=officer | {"If-Match": plan["etag"]},
    )
    assert refused.status_code == 422, refused.text
    assert "Year 7" in refused.json()["detail"]

    hearing = rounds.post(
        "/v1/provisions",
        json=provision_body(
            world.school_urn, name="Castle High HI Base", designated_needs=["HI"], places_taken=0
        ),
        headers=officer,
    ).json()
    body["sections"]["i"] = names | {"provision_id": hearing["id"], "description": "HI base"}
    warned = rounds.post(
        f"/v1/plans/{world.plan_id}/versions",
        json=body,
        headers=officer | {"If-Match": plan["etag"]},
    )
    assert warned.status_code == 201, warned.text
    assert "not for the child's primary need (ASD)" in warned.json()["warnings"][0]


def test_the_amended_plan_waits_for_the_schools_agreement(
    rounds: TestClient, officer: dict[str, str], auth: Auth, world: World
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    decision = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={"child_id": world.near_child["id"], "decision": "accepted"},
        headers=officer,
    )
    assert decision.status_code == 201, decision.text
    assert decision.json()["notice_version"] == 3
    plan = rounds.get(f"/v1/plans/{world.plan_id}", headers=officer).json()

    def issue() -> Any:
        return rounds.post(
            f"/v1/plans/{world.plan_id}/amended-plan",
            json={"issued_on": plan["latest_version"]["issued_on"], "comments_waived": True},
            headers=officer | {"If-Match": plan["etag"]},
        )

    pending = issue()
    assert pending.status_code == 409, pending.text
    assert "has not answered" in pending.json()["detail"]
    school = auth("school", school_urns=(world.school_urn,))
    declined = rounds.post(
        f"/v1/consultations/{decision.json()['consultation_id']}/answer",
        json={"answer": "declined", "reason": "No place in Year 7 after all."},
        headers=school,
    )
    assert declined.status_code == 200, declined.text
    refused = issue()
    assert refused.status_code == 409, refused.text
    assert "ended declined" in refused.json()["detail"]
    progress = _progress(rounds, officer, round_["id"])[world.near_child["id"]]
    assert progress["stage"] == "school_declined"
    unchanged = rounds.get(f"/v1/plans/{world.plan_id}", headers=officer).json()
    assert unchanged["latest_version"] == plan["latest_version"]
