"""A whole allocation round across both services over real HTTP, on the demo county: cohort by
rule, a proposal from the matching service whose every place fits the child's year group,
acceptance with an amendment notice, the school's agreement, the amended plan naming the setting,
places reduced; and two officers racing for the last place."""

import threading
from datetime import UTC, date, datetime
from typing import Any

import httpx2
import pytest
from cross_service import RunningServices


@pytest.fixture(scope="module")
def officer(services: RunningServices) -> dict[str, str]:
    token = services.cli("token", "--role", "officer", "--la", "855").strip().splitlines()[-1]
    # Decisions and lists of a round's children are audited and need a reason.
    return {"Authorization": f"Bearer {token}", "X-Access-Reason": "allocation round"}


def _token(services: RunningServices, *args: str) -> dict[str, str]:
    token = services.cli("token", *args).strip().splitlines()[-1]
    return {"Authorization": f"Bearer {token}", "X-Access-Reason": "allocation round"}


def _next_september() -> str:
    today = datetime.now(UTC).date()
    return date(today.year + (1 if today.month >= 9 else 0), 9, 1).isoformat()


@pytest.fixture(scope="module")
def api(services: RunningServices) -> httpx2.Client:
    with httpx2.Client(base_url=services.cases_url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def proposed_round(api: httpx2.Client, officer: dict[str, str]) -> dict[str, Any]:
    """A transfer round on the demo county with its first proposal."""
    round_ = api.post(
        "/v1/rounds",
        json={"name": "Phase transfer", "entry_date": _next_september()},
        headers=officer,
    )
    assert round_.status_code == 201, round_.text
    round_id = round_.json()["id"]
    added = api.post(
        f"/v1/rounds/{round_id}/cohort-rules", json={"rule": "phase_transfer"}, headers=officer
    )
    assert added.status_code == 200, added.text
    assert added.json()["added"] > 20
    proposal = api.post(f"/v1/rounds/{round_id}/proposals", headers=officer)
    assert proposal.status_code == 201, proposal.text
    return {"id": round_id, "proposal": proposal.json()}


def test_a_whole_round_over_http(
    services: RunningServices,
    api: httpx2.Client,
    officer: dict[str, str],
    proposed_round: dict[str, Any],
) -> None:
    round_id = proposed_round["id"]
    proposal = proposed_round["proposal"]
    assert proposal["totals"]["placed"] > 0
    assert proposal["solver"]["gap"] == 0
    exchange = api.get(f"/v1/rounds/{round_id}/proposals/1/exchange", headers=officer).json()
    assert exchange["response"]["totals"]["placed"] == proposal["totals"]["placed"]
    assert [a["child"]["id"] for a in proposal["assignments"]] == [
        a["child_id"] for a in exchange["response"]["assignments"]
    ]
    # A child whose plan is in force, so that agreement re-issues it naming the setting.
    chosen = None
    for assignment in proposal["assignments"]:
        assert assignment["child"]["given_name"]
        assert assignment["provision"]["name"]
        plans = api.get(
            "/v1/plans", params={"child_id": assignment["child"]["id"]}, headers=officer
        ).json()["items"]
        if plans and plans[0]["latest_version"]["kind"] in ("final", "reissue"):
            chosen = assignment, plans[0]
            break
    assert chosen is not None
    assignment, plan = chosen
    child_id, provision_id = assignment["child"]["id"], assignment["provision"]["id"]
    before = api.get(f"/v1/provisions/{provision_id}", headers=officer).json()
    assert assignment["provision"]["urn"] == before["establishment"]["urn"]

    decision = api.post(
        f"/v1/rounds/{round_id}/decisions",
        json={"child_id": child_id, "decision": "accepted"},
        headers=officer | {"Idempotency-Key": f"accept-{child_id}"},
    )
    assert decision.status_code == 201, decision.text
    school = _token(services, "--role", "school", "--urn", str(before["establishment"]["urn"]))
    agreed = api.post(
        f"/v1/consultations/{decision.json()['consultation_id']}/answer",
        json={"answer": "agreed"},
        headers=school,
    )
    assert agreed.status_code == 200, agreed.text

    after = api.get(f"/v1/provisions/{provision_id}", headers=officer).json()
    assert after["places_taken"] == before["places_taken"] + 1
    assert after["free_places"] == before["free_places"] - 1
    # The decision sent the family an amendment notice proposing the setting; agreement names
    # nothing by itself. The family waives the rest of their 15 days; the officer issues it.
    noticed = api.get(f"/v1/plans/{plan['id']}", headers=officer).json()
    assert noticed["latest_version"]["kind"] == "amendment_notice"
    assert noticed["named_setting"] == plan["named_setting"]
    issued = api.post(
        f"/v1/plans/{plan['id']}/amended-plan",
        json={"issued_on": noticed["latest_version"]["issued_on"], "comments_waived": True},
        headers=officer | {"If-Match": noticed["etag"]},
    )
    assert issued.status_code == 201, issued.text
    reissued = api.get(f"/v1/plans/{plan['id']}", headers=officer).json()
    assert reissued["latest_version"]["kind"] == "reissue"
    assert reissued["named_setting"]["provision_id"] == provision_id
    summary = api.get(f"/v1/rounds/{round_id}/summary", headers=officer).json()
    assert summary["placements_made"] == 1
    assert summary["route"]["plan_issued"] == 1


def _school_year_age(born: date, entry: date) -> int:
    """Worked out here from first principles: the age on the 31 August before entry."""
    reference = date(entry.year if entry.month >= 9 else entry.year - 1, 8, 31)
    return reference.year - born.year - ((reference.month, reference.day) < (born.month, born.day))


def test_every_proposed_place_admits_the_childs_year_group(
    api: httpx2.Client, officer: dict[str, str], proposed_round: dict[str, Any]
) -> None:
    entry = date.fromisoformat(_next_september())
    round_id = proposed_round["id"]
    exchange = api.get(f"/v1/rounds/{round_id}/proposals/1/exchange", headers=officer).json()
    answer = exchange["response"]
    years = {
        a["child"]["id"]: a["child"]["year_group"]
        for a in proposed_round["proposal"]["assignments"]
    }
    provisions: dict[str, dict[str, Any]] = {}
    checked = 0
    for assignment in answer["assignments"]:
        child = api.get(f"/v1/children/{assignment['child_id']}", headers=officer).json()
        age = _school_year_age(date.fromisoformat(child["date_of_birth"]), entry)
        provision = (
            provisions.get(assignment["provision_id"])
            or api.get(f"/v1/provisions/{assignment['provision_id']}", headers=officer).json()
        )
        provisions[assignment["provision_id"]] = provision
        # GIAS's statutory ages: pupils start at the low age and leave at the high one.
        assert provision["min_age"] <= age < provision["max_age"], (child, provision)
        if age >= 4:
            assert provision["kind"] != "early_years", (child, provision)
        if age == 11:
            assert provision["establishment"]["phase"] != "primary", (child, provision)
        assert years[assignment["child_id"]] == ("Reception" if age == 4 else f"Year {age - 4}")
        checked += 1
    assert checked == answer["totals"]["placed"] > 20


def test_two_officers_racing_for_the_last_place_one_wins(
    services: RunningServices,
    api: httpx2.Client,
    officer: dict[str, str],
    proposed_round: dict[str, Any],
) -> None:
    round_id = proposed_round["id"]
    decided = {
        d["child_id"]
        for d in api.get(f"/v1/rounds/{round_id}/decisions", headers=officer).json()["items"]
    }
    members = [
        m
        for m in api.get(
            f"/v1/rounds/{round_id}/children", params={"limit": 500}, headers=officer
        ).json()["items"]
        if m["child_id"] not in decided
    ][:2]
    homes = [
        api.get(f"/v1/children/{m['child_id']}", headers=officer).json()["home_location"]
        for m in members
    ]
    round_etag = api.get(f"/v1/rounds/{round_id}", headers=officer).headers["ETag"]
    for member in members:
        kinds = sorted({*member["suitable_kinds"], "alternative"})
        patched = api.patch(
            f"/v1/rounds/{round_id}/children/{member['child_id']}",
            json={"suitable_kinds": kinds},
            headers=officer | {"If-Match": round_etag},
        )
        assert patched.status_code == 200, patched.text
        round_etag = patched.headers["ETag"]  # the cohort changed: the round has a new version
    establishment = api.post(
        "/v1/establishments",
        json={
            "urn": 998_877,
            "name": "Midway Learning Centre",
            "la_code": "855",
            "establishment_type": "Pupil referral unit",
            "phase": "not_applicable",
            "statutory_low_age": 0,
            "statutory_high_age": 25,
            "postcode": "LE12 7AB",
            "location": {
                "lat": (homes[0]["lat"] + homes[1]["lat"]) / 2,
                "lon": (homes[0]["lon"] + homes[1]["lon"]) / 2,
            },
        },
        headers=officer,
    )
    assert establishment.status_code == 201, establishment.text
    last_place = api.post(
        "/v1/provisions",
        json={
            "establishment_urn": 998_877,
            "name": "Midway Learning Centre",
            "kind": "alternative",
            "min_age": 0,
            "max_age": 25,
            "places_total": 1,
            "places_taken": 0,
            "costs": {"place_funding_pence": 1_000_000, "top_up_pence": 500_000},
            "figures_as_of": "2026-09-01",
        },
        headers=officer,
    ).json()
    second_officer = _token(services, "--role", "officer", "--la", "855", "--sub", "officer-2")
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def override(child_id: str, headers: dict[str, str]) -> None:
        with httpx2.Client(base_url=services.cases_url, timeout=60) as own:
            barrier.wait()
            response = own.post(
                f"/v1/rounds/{round_id}/decisions",
                json={
                    "child_id": child_id,
                    "decision": "overridden",
                    "provision_id": last_place["id"],
                    "reason": "Needs a small setting near home",
                },
                headers=headers,
            )
            statuses.append(response.status_code)

    threads = [
        threading.Thread(target=override, args=(members[0]["child_id"], officer)),
        threading.Thread(target=override, args=(members[1]["child_id"], second_officer)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [201, 409]
    provision = api.get(f"/v1/provisions/{last_place['id']}", headers=officer).json()
    assert (provision["places_held"], provision["free_places"]) == (1, 0)
