"""Allocation rounds in-process against the real matching service: a whole round, and every
illegal step refused with a problem and nothing changed."""

import json
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cases_factories import (
    child_body,
    establishment_body,
    plan_body,
    plan_version_body,
    provision_body,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rounds_world import World, add_cohort, build_world, matching_process, open_round
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cases_api.children.models import Child
from cases_api.matching_client import MatchingClient
from cases_api.rounds.models import RoundProposal
from cases_api.settings import Settings

Auth = Callable[..., dict[str, str]]
UUID_TEXT = re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")


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
    return {a["child"]["id"]: a["provision"]["id"] for a in proposal["assignments"]}


def _provision(client: TestClient, officer: dict[str, str], provision_id: str) -> dict[str, Any]:
    return dict(client.get(f"/v1/provisions/{provision_id}", headers=officer).json())


def _progress(
    client: TestClient, officer: dict[str, str], round_id: str
) -> dict[str, dict[str, Any]]:
    headers = officer | {"X-Access-Reason": "round follow-up"}
    response = client.get(f"/v1/rounds/{round_id}/progress", headers=headers)
    assert response.status_code == 200, response.text
    return {item["child_id"]: item for item in response.json()["items"]}


def _round_etag(rounds: TestClient, officer: dict[str, str], round_id: str) -> str:
    return str(rounds.get(f"/v1/rounds/{round_id}", headers=officer).headers["ETag"])


def test_a_whole_round(
    rounds: TestClient, officer: dict[str, str], auth: Auth, world: World
) -> None:
    round_ = open_round(rounds, officer, budget_pence=20_000_000)
    add_cohort(rounds, officer, round_["id"], world)

    proposal = _propose(rounds, officer, round_["id"])
    assert proposal["number"] == 1
    assert proposal["totals"]["children"] == 2
    placed = _placed_at(proposal)
    near, other = world.near_child["id"], world.other_child["id"]
    # One free place at the resource base goes to the child who lives by it; the other child's
    # request for the full special school is refused on capacity, and the fee-paid school takes them.
    assert placed == {near: world.resource_base["id"], other: world.independent["id"]}
    (refused,) = proposal["preferences_not_honoured"]
    assert (refused["child"]["id"], refused["provision"]["id"], refused["reason"]) == (
        other,
        world.special_school["id"],
        "capacity",
    )

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
    assert (progress["given_name"], progress["year_group"]) == ("Amira", "Year 7")
    assert progress["provision_name"] == world.resource_base["name"]
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
    assert [a["child"]["id"] for a in second["assignments"]] == [other]
    diff = rounds.get(f"/v1/rounds/{round_['id']}/proposals/1/diff/2", headers=officer).json()
    assert [(c["child_id"], c["change"]) for c in diff["changes"]] == [(near, "accepted_or_placed")]
    assert diff["changes"][0]["promised_provision"]["id"] == world.resource_base["id"]
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
    assert second["totals"]["children"] == 2


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
    assert _propose(rounds, officer, round_["id"])["totals"]["children"] == 2


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


def _statements(
    client: TestClient, engine: Engine, path: str, officer: dict[str, str], limit: int
) -> int:
    """How many SQL statements one read of a list page runs."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path, params={"limit": limit}, headers=officer)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) == limit
    return len(seen)


def _exchange(client: TestClient, officer: dict[str, str], round_id: str, number: int) -> Any:
    response = client.get(f"/v1/rounds/{round_id}/proposals/{number}/exchange", headers=officer)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_proposal_reads_in_the_las_terms(
    rounds: TestClient, officer: dict[str, str], world: World, session: Session
) -> None:
    round_ = open_round(rounds, officer, budget_pence=20_000_000)
    add_cohort(rounds, officer, round_["id"], world)
    created = _propose(rounds, officer, round_["id"])
    path = f"/v1/rounds/{round_['id']}/proposals/1"
    read = rounds.get(path, headers=officer).json()
    assert read == created

    by_child = {a["child"]["id"]: a for a in read["assignments"]}
    near = by_child[world.near_child["id"]]
    assert near["child"] == {
        "id": world.near_child["id"],
        "given_name": "Amira",
        "family_name": "Khan",
        "year_group": "Year 7",
        "primary_need": "ASD",
    }
    assert near["provision"] == {
        "id": world.resource_base["id"],
        "name": "Castle Rock ASD Resource Base",
        "urn": world.school_urn,
        "kind": "resource_base",
    }
    assert near["annual_cost_pence"] == 1_850_000
    other = by_child[world.other_child["id"]]
    assert other["child"]["given_name"] == "Leo"
    special = world.special_school
    named = f"Brook Special School (URN {special['establishment']['urn']})"
    assert f"{named} was asked for" in other["explanation"]
    assert not UUID_TEXT.search(json.dumps([a["explanation"] for a in read["assignments"]]))
    (refused,) = read["preferences_not_honoured"]
    assert refused["provision"]["name"] == "Brook Special School"

    exchange = _exchange(rounds, officer, round_["id"], 1)
    stored = session.scalars(sa.select(RoundProposal)).one()
    assert (exchange["request"], exchange["response"]) == (stored.request, stored.response)
    answer = exchange["response"]
    raw = {a["child_id"]: a for a in answer["assignments"]}
    assert near["transport_cost_pence"] == round(
        raw[world.near_child["id"]]["transport_cost"] * 100
    )
    totals = read["totals"]
    assert totals["annual_cost_pence"] == 1_850_000 + 6_000_000
    assert totals["total_cost_pence"] == round(answer["totals"]["total_cost"] * 100)
    assert (totals["budget_pence"], totals["overspend_pence"]) == (20_000_000, 0)
    assert (totals["placed"], totals["unplaced"], read["unplaced_children"]) == (2, 0, [])
    assert read["solver"]["gap"] == 0
    listed = rounds.get(f"/v1/rounds/{round_['id']}/proposals", headers=officer).json()["items"]
    assert set(listed[0]) == {
        "id",
        "number",
        "status",
        "placed",
        "unplaced",
        "annual_cost_pence",
        "requested_by",
        "created_at",
    }

    # A child who has left the LA since keeps their place in the proposal, but not their name.
    moved = session.get_one(Child, uuid.UUID(world.near_child["id"]))
    moved.la_code = "931"
    session.flush()
    hidden = rounds.get(path, headers=officer).json()
    child = next(a["child"] for a in hidden["assignments"] if a["child"]["id"] == str(moved.id))
    assert (child["given_name"], child["family_name"], child["year_group"]) == (
        None,
        None,
        "Year 7",
    )


def test_proposals_and_their_exchange_are_the_las_officers_own(
    rounds: TestClient, officer: dict[str, str], auth: Auth, world: World
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    base = f"/v1/rounds/{round_['id']}/proposals/1"
    for path in (base, f"{base}/exchange", f"{base}/diff/1"):
        assert rounds.get(path, headers=auth("officer", la_code="931")).status_code == 404
        assert rounds.get(path, headers=auth("parent")).status_code == 403
        school = auth("school", school_urns=(world.school_urn,))
        assert rounds.get(path, headers=school).status_code == 403
        service = auth("service", la_code="855")
        assert rounds.get(path, headers=service).status_code == 200
    missing = rounds.get(f"{base.removesuffix('/1')}/2/exchange", headers=officer)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    # Reading a round's proposals is the officer's ordinary work: no reason asked.
    unexplained = {"Authorization": officer["Authorization"]}
    assert rounds.get(f"{base}/exchange", headers=unexplained).status_code == 200
    # The exchange holds the children's home locations: a service client needs both scopes.
    no_locations = auth("service", la_code="855", scopes=("rounds:read",))
    refused = rounds.get(f"{base}/exchange", headers=no_locations)
    assert refused.status_code == 403
    assert refused.json()["missing_scopes"] == ["locations:read"]


def test_the_cohort_says_who_each_child_is_and_where_they_are(
    rounds: TestClient, officer: dict[str, str], world: World, engine: Engine
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    placed = rounds.post(
        "/v1/placements",
        json={
            "child_id": world.other_child["id"],
            "provision_id": world.independent["id"],
            "starts_on": "2025-09-01",
        },
        headers=officer,
    )
    assert placed.status_code == 201, placed.text
    path = f"/v1/rounds/{round_['id']}/children"
    items = {m["child_id"]: m for m in rounds.get(path, headers=officer).json()["items"]}
    near = items[world.near_child["id"]]
    assert (near["given_name"], near["family_name"], near["year_group"]) == (
        "Amira",
        "Khan",
        "Year 7",
    )
    assert (near["age_at_entry"], near["primary_need"]) == (11, "ASD")
    # Her plan names a setting by its SEN2 code; Leo has a placement at the independent school.
    assert near["current_setting"] == {
        "source": "plan",
        "provision_id": None,
        "name": None,
        "urn": None,
        "setting_code": "OTH",
    }
    other = items[world.other_child["id"]]
    assert other["current_setting"] == {
        "source": "placement",
        "provision_id": world.independent["id"],
        "name": "Grange School",
        "urn": world.independent["establishment"]["urn"],
        "setting_code": None,
    }

    for given_name in ("Noor", "Sam", "Ava", "Finn"):
        child = rounds.post(
            "/v1/children", json=child_body(given_name=given_name), headers=officer
        ).json()
        added = rounds.post(
            path, json={"child_id": child["id"], "suitable_kinds": ["mainstream"]}, headers=officer
        )
        assert added.status_code == 201, added.text
        assert added.json()["given_name"] == given_name
    # The same number of queries for a page of two as for a page of six: none per child.
    assert _statements(rounds, engine, path, officer, 2) == _statements(
        rounds, engine, path, officer, 6
    )


def test_a_cohort_rule_names_who_could_not_be_matched_and_why(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    unmatchable = {}
    for given_name, missing in (("Noor", {"home_location": None}), ("Sam", {"needs": []})):
        child = rounds.post(
            "/v1/children",
            json=child_body(given_name=given_name, date_of_birth="2016-03-03") | missing,
            headers=officer,
        ).json()
        plan = rounds.post("/v1/plans", json=plan_body(child["id"]), headers=officer)
        assert plan.status_code == 201, plan.text
        unmatchable[child["id"]] = given_name
    round_ = open_round(rounds, officer)

    added = rounds.post(
        f"/v1/rounds/{round_['id']}/cohort-rules", json={"rule": "phase_transfer"}, headers=officer
    )

    assert added.status_code == 200, added.text
    body = added.json()
    assert (body["added"], body["already_in_round"], body["not_matchable_count"]) == (1, 0, 2)
    reasons = {c["child_id"]: (c["given_name"], c["reason"]) for c in body["not_matchable"]}
    noor, sam = unmatchable
    assert reasons == {noor: ("Noor", "no home location"), sam: ("Sam", "no recorded need")}
    assert body["staying_count"] == 0


def test_a_phase_transfer_leaves_children_whose_setting_keeps_them(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    # The near child is at an all-age independent special school, which takes them into Year 7.
    placed = rounds.post(
        "/v1/placements",
        json={
            "child_id": world.near_child["id"],
            "provision_id": world.independent["id"],
            "starts_on": "2024-09-01",
        },
        headers=officer,
    )
    assert placed.status_code == 201, placed.text
    round_ = open_round(rounds, officer)

    body = rounds.post(
        f"/v1/rounds/{round_['id']}/cohort-rules", json={"rule": "phase_transfer"}, headers=officer
    ).json()

    assert (body["added"], body["staying_count"]) == (0, 1)
    (staying,) = body["staying"]
    assert staying["child_id"] == world.near_child["id"]
    assert staying["reason"] == "stays at Grange School, which takes Year 7"


def test_the_decisions_list_carries_each_consultation(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    path = f"/v1/rounds/{round_['id']}/decisions"
    accepted = rounds.post(
        path, json={"child_id": world.near_child["id"], "decision": "accepted"}, headers=officer
    ).json()
    rejected = rounds.post(
        path,
        json={
            "child_id": world.other_child["id"],
            "decision": "rejected",
            "reason": "The independent school is too far",
        },
        headers=officer,
    ).json()
    listed = {
        d["id"]: d["consultation_id"] for d in rounds.get(path, headers=officer).json()["items"]
    }
    assert accepted["consultation_id"]
    assert listed == {accepted["id"]: accepted["consultation_id"], rejected["id"]: None}


def _diff(client: TestClient, officer: dict[str, str], round_id: str, a: int, b: int) -> Any:
    response = client.get(f"/v1/rounds/{round_id}/proposals/{a}/diff/{b}", headers=officer)
    assert response.status_code == 200, response.text
    return {c["child_id"]: c for c in response.json()["changes"]}


def test_a_diff_says_why_each_child_changed(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    near, other = world.near_child["id"], world.other_child["id"]
    rb, independent = world.resource_base["id"], world.independent["id"]
    assert _placed_at(_propose(rounds, officer, round_["id"])) == {near: rb, other: independent}
    override = rounds.post(
        f"/v1/rounds/{round_['id']}/decisions",
        json={
            "child_id": other,
            "decision": "overridden",
            "provision_id": rb,
            "reason": "A small setting near home",
        },
        headers=officer,
    )
    assert override.status_code == 201, override.text
    # The resource base's one place is promised to Leo: Amira goes to the independent school.
    assert _placed_at(_propose(rounds, officer, round_["id"])) == {near: independent}
    first = _diff(rounds, officer, round_["id"], 1, 2)
    assert {k: c["change"] for k, c in first.items()} == {
        near: "moved",
        other: "promised_elsewhere",
    }
    assert first[near]["before_provision"]["name"] == "Castle Rock ASD Resource Base"
    assert first[near]["after_provision"]["name"] == "Grange School"
    assert (first[other]["given_name"], first[other]["promised_provision"]["id"]) == ("Leo", rb)

    member = f"/v1/rounds/{round_['id']}/children/{near}"
    only_full = rounds.patch(
        member,
        json={"suitable_kinds": ["special_school"]},
        headers=officer | {"If-Match": _round_etag(rounds, officer, round_["id"])},
    )
    assert only_full.status_code == 200, only_full.text
    # The answer carries the round's new ETag: the cohort is part of the round.
    assert only_full.headers["ETag"] == _round_etag(rounds, officer, round_["id"])
    _propose(rounds, officer, round_["id"])
    assert {k: c["change"] for k, c in _diff(rounds, officer, round_["id"], 2, 3).items()} == {
        near: "lost_place"
    }
    kinds = ["special_school", "independent"]
    again = rounds.patch(
        member,
        json={"suitable_kinds": kinds},
        headers=officer | {"If-Match": _round_etag(rounds, officer, round_["id"])},
    )
    assert again.status_code == 200, again.text
    _propose(rounds, officer, round_["id"])
    newly = _diff(rounds, officer, round_["id"], 3, 4)
    assert {k: c["change"] for k, c in newly.items()} == {near: "newly_placed"}
    assert newly[near]["before_provision"] is None


def test_a_diff_tells_leaving_the_round_from_a_promise(
    rounds: TestClient, officer: dict[str, str], world: World
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    removed = rounds.delete(
        f"/v1/rounds/{round_['id']}/children/{world.other_child['id']}",
        headers=officer | {"If-Match": _round_etag(rounds, officer, round_["id"])},
    )
    assert removed.status_code == 204
    _propose(rounds, officer, round_["id"])
    changes = _diff(rounds, officer, round_["id"], 1, 2)
    assert {k: c["change"] for k, c in changes.items()} == {world.other_child["id"]: "left_round"}
    assert changes[world.other_child["id"]]["promised_provision"] is None
    backwards = _diff(rounds, officer, round_["id"], 2, 1)
    assert {k: c["change"] for k, c in backwards.items()} == {
        world.other_child["id"]: "newly_placed"
    }


def test_a_flagged_childs_home_location_reaches_only_officers_in_the_exchange(
    rounds: TestClient, officer: dict[str, str], auth: Auth, world: World, session: Session
) -> None:
    round_ = open_round(rounds, officer)
    add_cohort(rounds, officer, round_["id"], world)
    _propose(rounds, officer, round_["id"])
    flagged = world.near_child["id"]
    etag = rounds.get(f"/v1/children/{flagged}", headers=officer).headers["ETag"]
    restricted = rounds.put(
        f"/v1/children/{flagged}/contact-restriction",
        json={"do_not_disclose": True},
        headers=officer | {"If-Match": etag},
    )
    assert restricted.status_code == 200, restricted.text
    path = f"/v1/rounds/{round_['id']}/proposals/1/exchange"

    def locations(headers: dict[str, str]) -> dict[str, Any]:
        read = rounds.get(path, headers=headers)
        assert read.status_code == 200, read.text
        return {child["id"]: child["location"] for child in read.json()["request"]["children"]}

    by_officer = locations(officer)
    by_service = locations(auth("service", la_code="855"))
    assert by_officer[flagged] is not None
    assert by_service[flagged] is None
    others = set(by_officer) - {flagged}
    assert others
    assert all(by_service[child] == by_officer[child] is not None for child in others)
    stored = session.scalars(sa.select(RoundProposal)).one()
    assert {child["id"]: child["location"] for child in stored.request["children"]} == by_officer
