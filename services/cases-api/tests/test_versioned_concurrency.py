"""Every resource with a version column under concurrent edits: eight callers, each its own HTTP
request, session, connection and committed transaction, released together. Every answer is a 2xx
or a 409/412 problem, never a 500; changes that do not conflict all succeed."""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cases_factories import (
    child_body,
    establishment_body,
    plan_body,
    plan_version_body,
    provision_body,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rounds_world import add_cohort, build_world, matching_process, open_round

from cases_api.app import create_app
from cases_api.auth.principal import Role
from cases_api.auth.tokens import mint_local_token
from cases_api.matching_client import MatchingClient
from cases_api.migrate import upgrade_to_head
from cases_api.settings import Settings
from cases_api.testing import scratch_database
from send_contracts import PROBLEM_MEDIA_TYPE

CALLERS = 8
CONFLICTS = {409, 412}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    directory: Path = tmp_path_factory.mktemp("versioned")
    with scratch_database(directory, label="versioned") as url:
        settings = Settings(
            database_url=url,
            data_dir=directory,
            log_level="CRITICAL",
            db_pool_size=CALLERS + 4,
            db_max_overflow=0,
            db_pool_timeout_s=30,
        )
        upgrade_to_head(settings)
        app = create_app(settings)
        yield app
        app.state.engine.dispose()


@pytest.fixture(scope="module")
def officer(app: FastAPI) -> dict[str, str]:
    token = mint_local_token(app.state.settings, role=Role.OFFICER, subject="t", la_code="855")
    return {"Authorization": f"Bearer {token}", "X-Access-Reason": "testing"}


@pytest.fixture(scope="module")
def setup(app: FastAPI) -> TestClient:
    """A client for building records; its requests commit (no lifespan: the app outlives it)."""
    return TestClient(app)


def created(response: httpx2.Response) -> Any:
    assert response.status_code == 201, response.text
    return response.json()


def race(app: FastAPI, call: Callable[[TestClient, int], httpx2.Response]) -> list[int]:
    """Each caller's status; asserts every answer was a success or a conflict problem."""
    start = threading.Barrier(CALLERS)
    answers: list[httpx2.Response] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        client = TestClient(app)
        start.wait()
        response = call(client, number)
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == CALLERS
    for response in answers:
        if response.status_code >= 300:
            assert response.status_code in CONFLICTS | {404}, response.text
            assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    return [response.status_code for response in answers]


def one_wins(statuses: list[int], *, success: int = 200, losers: set[int] = CONFLICTS) -> None:
    counts = Counter(statuses)
    assert counts[success] == 1, counts
    assert sum(counts[status] for status in losers) == CALLERS - 1, counts


def _etag(setup: TestClient, officer: dict[str, str], path: str) -> str:
    response = setup.get(path, headers=officer)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


# Allocation rounds: the round's version moves with every change to its cohort.


def _round(setup: TestClient, officer: dict[str, str]) -> dict[str, Any]:
    body = {"name": "September 2027 transfer", "entry_date": "2027-09-01"}
    return dict(created(setup.post("/v1/rounds", json=body, headers=officer)))


def _children(setup: TestClient, officer: dict[str, str], count: int) -> list[str]:
    return [
        created(setup.post("/v1/children", json=child_body(), headers=officer))["id"]
        for _ in range(count)
    ]


def _round_with_cohort(
    setup: TestClient, officer: dict[str, str], count: int
) -> tuple[str, list[str]]:
    round_id = _round(setup, officer)["id"]
    children = _children(setup, officer, count)
    for child_id in children:
        body = {"child_id": child_id, "suitable_kinds": ["resource_base"]}
        created(setup.post(f"/v1/rounds/{round_id}/children", json=body, headers=officer))
    return round_id, children


def _round_version(setup: TestClient, officer: dict[str, str], round_id: str) -> str:
    return setup.get(f"/v1/rounds/{round_id}", headers=officer).headers["ETag"]


def test_children_added_to_one_round_at_once_all_join(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    round_id = _round(setup, officer)["id"]
    children = _children(setup, officer, CALLERS)
    statuses = race(
        app,
        lambda client, n: client.post(
            f"/v1/rounds/{round_id}/children",
            json={"child_id": children[n], "suitable_kinds": ["resource_base", "special_school"]},
            headers=officer,
        ),
    )
    assert statuses == [201] * CALLERS
    cohort = setup.get(f"/v1/rounds/{round_id}/children", headers=officer).json()["items"]
    assert {member["child_id"] for member in cohort} == set(children)
    assert _round_version(setup, officer, round_id) == f'"v{1 + CALLERS}"'


def test_one_child_added_to_one_round_at_once_joins_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    round_id = _round(setup, officer)["id"]
    [child_id] = _children(setup, officer, 1)
    body = {"child_id": child_id, "suitable_kinds": ["resource_base"]}
    statuses = race(
        app,
        lambda client, _: client.post(
            f"/v1/rounds/{round_id}/children", json=body, headers=officer
        ),
    )
    assert Counter(statuses) == {201: 1, 409: CALLERS - 1}


def test_cohort_rules_applied_at_once_all_answer(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    round_id = _round(setup, officer)["id"]
    rules = ["phase_transfer", "no_named_setting", "placements_ending"]
    statuses = race(
        app,
        lambda client, n: client.post(
            f"/v1/rounds/{round_id}/cohort-rules",
            json={"rule": rules[n % len(rules)]},
            headers=officer,
        ),
    )
    assert statuses == [200] * CALLERS


def test_round_children_corrected_at_once_with_one_etag_change_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    round_id, children = _round_with_cohort(setup, officer, 2)
    kinds = [["special_school"], ["independent", "resource_base"]]
    etag = _etag(setup, officer, f"/v1/rounds/{round_id}")
    statuses = race(
        app,
        lambda client, n: client.patch(
            f"/v1/rounds/{round_id}/children/{children[n % 2]}",
            json={"suitable_kinds": kinds[n % 2]},
            headers=officer | {"If-Match": etag},
        ),
    )
    one_wins(statuses)


def test_round_children_corrected_at_once_on_any_version_all_succeed(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    round_id, children = _round_with_cohort(setup, officer, 2)
    kinds = [["special_school"], ["independent", "resource_base"]]
    statuses = race(
        app,
        lambda client, n: client.patch(
            f"/v1/rounds/{round_id}/children/{children[n % 2]}",
            json={"suitable_kinds": kinds[n % 2]},
            headers=officer | {"If-Match": "*"},
        ),
    )
    assert statuses == [200] * CALLERS


def test_one_round_child_removed_at_once_goes_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    round_id, [child_id] = _round_with_cohort(setup, officer, 1)
    statuses = race(
        app,
        lambda client, _: client.delete(
            f"/v1/rounds/{round_id}/children/{child_id}", headers=officer | {"If-Match": "*"}
        ),
    )
    assert Counter(statuses) == {204: 1, 404: CALLERS - 1}
    round_id, [child_id] = _round_with_cohort(setup, officer, 1)
    etag = _etag(setup, officer, f"/v1/rounds/{round_id}")
    statuses = race(
        app,
        lambda client, _: client.delete(
            f"/v1/rounds/{round_id}/children/{child_id}", headers=officer | {"If-Match": etag}
        ),
    )
    one_wins(statuses, success=204, losers=CONFLICTS | {404})


def test_a_round_renamed_at_once_with_one_etag_changes_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    round_id = _round(setup, officer)["id"]
    etag = _round_version(setup, officer, round_id)
    one_wins(
        race(
            app,
            lambda client, n: client.patch(
                f"/v1/rounds/{round_id}",
                json={"name": f"Renamed {n}"},
                headers=officer | {"If-Match": etag},
            ),
        )
    )


def test_cohort_changes_racing_a_rename_never_fail(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    """Half the callers add children, half rename with the ETag read before: the additions all
    join; one rename at most wins, the rest are told the round changed."""
    round_id = _round(setup, officer)["id"]
    children = _children(setup, officer, CALLERS)
    etag = _round_version(setup, officer, round_id)

    def call(client: TestClient, n: int) -> httpx2.Response:
        if n % 2:
            return client.patch(
                f"/v1/rounds/{round_id}",
                json={"name": "Renamed"},
                headers=officer | {"If-Match": etag},
            )
        body = {"child_id": children[n], "suitable_kinds": ["resource_base"]}
        return client.post(f"/v1/rounds/{round_id}/children", json=body, headers=officer)

    counts = Counter(race(app, call))
    assert counts[201] == CALLERS // 2
    assert counts[200] <= 1
    assert counts[412] + counts[409] + counts[200] == CALLERS // 2


# Every other resource with a version column: eight callers with the same If-Match, one wins.


def test_a_child_edited_at_once_changes_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    [child_id] = _children(setup, officer, 1)
    path = f"/v1/children/{child_id}"
    etag = _etag(setup, officer, path)
    one_wins(
        race(
            app,
            lambda client, n: client.patch(
                path, json={"given_name": f"Name{n}"}, headers=officer | {"If-Match": etag}
            ),
        )
    )


def test_an_establishment_and_a_provision_edited_at_once_change_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    school = created(setup.post("/v1/establishments", json=establishment_body(), headers=officer))
    path = f"/v1/establishments/{school['urn']}"
    etag = _etag(setup, officer, path)
    one_wins(
        race(
            app,
            lambda client, n: client.patch(
                path, json={"name": f"School {n}"}, headers=officer | {"If-Match": etag}
            ),
        )
    )
    provision = created(
        setup.post("/v1/provisions", json=provision_body(school["urn"]), headers=officer)
    )
    path = f"/v1/provisions/{provision['id']}"
    etag = _etag(setup, officer, path)
    one_wins(
        race(
            app,
            lambda client, n: client.patch(
                path, json={"places_taken": n}, headers=officer | {"If-Match": etag}
            ),
        )
    )


def _final_plan(setup: TestClient, officer: dict[str, str]) -> dict[str, Any]:
    [child_id] = _children(setup, officer, 1)
    plan = created(setup.post("/v1/plans", json=plan_body(child_id), headers=officer))
    etag = _etag(setup, officer, f"/v1/plans/{plan['id']}")
    created(
        setup.post(
            f"/v1/plans/{plan['id']}/versions",
            json=plan_version_body("final", "2026-05-01"),
            headers=officer | {"If-Match": etag},
        )
    )
    return dict(plan)


def test_plan_versions_added_at_once_with_one_etag_add_one(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    [child_id] = _children(setup, officer, 1)
    plan = created(setup.post("/v1/plans", json=plan_body(child_id), headers=officer))
    etag = _etag(setup, officer, f"/v1/plans/{plan['id']}")
    one_wins(
        race(
            app,
            lambda client, _: client.post(
                f"/v1/plans/{plan['id']}/versions",
                json=plan_version_body("final", "2026-05-01"),
                headers=officer | {"If-Match": etag},
            ),
        ),
        success=201,
    )


def test_a_review_decided_at_once_is_decided_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    plan = _final_plan(setup, officer)
    review = created(
        setup.post(
            f"/v1/plans/{plan['id']}/reviews", json={"meeting_on": "2026-10-01"}, headers=officer
        )
    )
    body = {"decision_notified_on": "2026-10-10", "outcome": "maintain"}
    one_wins(
        race(
            app,
            lambda client, _: client.patch(
                f"/v1/annual-reviews/{review['id']}",
                json=body,
                headers=officer | {"If-Match": review["etag"]},
            ),
        )
    )


def test_a_placement_ended_at_once_ends_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    school = created(setup.post("/v1/establishments", json=establishment_body(), headers=officer))
    provision = created(
        setup.post("/v1/provisions", json=provision_body(school["urn"]), headers=officer)
    )
    [child_id] = _children(setup, officer, 1)
    body = {"child_id": child_id, "provision_id": provision["id"], "starts_on": "2026-09-03"}
    placement = created(setup.post("/v1/placements", json=body, headers=officer))
    one_wins(
        race(
            app,
            lambda client, _: client.post(
                f"/v1/placements/{placement['id']}/end",
                json={"ended_on": "2027-07-20"},
                headers=officer | {"If-Match": placement["etag"]},
            ),
        )
    )


def test_a_legal_hold_placed_and_lifted_at_once_happens_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    [child_id] = _children(setup, officer, 1)
    path = f"/v1/children/{child_id}/legal-hold"
    one_wins(
        race(
            app,
            lambda client, n: client.post(
                path, json={"reason": f"Tribunal appeal {n}"}, headers=officer
            ),
        ),
        success=201,
    )
    etag = _etag(setup, officer, path)
    one_wins(
        race(app, lambda client, _: client.delete(path, headers=officer | {"If-Match": etag})),
        success=204,
        losers=CONFLICTS | {404},
    )


def test_a_request_for_assessment_assigned_at_once_never_fails(
    app: FastAPI, setup: TestClient, officer: dict[str, str]
) -> None:
    [child_id] = _children(setup, officer, 1)
    body = {"child_id": child_id, "source": "parent", "received_on": "2025-01-06"}
    request = created(setup.post("/v1/assessment-requests", json=body, headers=officer))
    statuses = race(
        app,
        lambda client, n: client.post(
            f"/v1/assessment-requests/{request['id']}/assignment",
            json={"assigned_officer": f"officer-{n}"},
            headers=officer,
        ),
    )
    assert Counter(statuses)[200] >= 1


@pytest.fixture(scope="module")
def matching(app: FastAPI) -> Iterator[None]:
    """cases-api's matching client pointed at the real matching service."""
    url_and_process = matching_process()
    url = next(url_and_process)
    original = app.state.matching_client
    app.state.matching_client = MatchingClient(
        Settings(data_dir=app.state.settings.data_dir, matching_url=url)
    )
    try:
        yield
    finally:
        app.state.matching_client.close()
        app.state.matching_client = original
        next(url_and_process, None)


def test_a_consultation_answered_at_once_is_answered_once(
    app: FastAPI, setup: TestClient, officer: dict[str, str], matching: None
) -> None:
    world = build_world(setup, officer)
    round_id = open_round(setup, officer)["id"]
    add_cohort(setup, officer, round_id, world)
    created(setup.post(f"/v1/rounds/{round_id}/proposals", headers=officer))
    decision = created(
        setup.post(
            f"/v1/rounds/{round_id}/decisions",
            json={"child_id": world.near_child["id"], "decision": "accepted"},
            headers=officer,
        )
    )
    # The module's other tests add provisions too: consult whichever school the proposal chose.
    consultation = setup.get(
        f"/v1/consultations/{decision['consultation_id']}", headers=officer
    ).json()
    provision = setup.get(f"/v1/provisions/{consultation['provision_id']}", headers=officer).json()
    token = mint_local_token(
        app.state.settings,
        role=Role.SCHOOL,
        subject="s",
        school_urns=(provision["establishment"]["urn"],),
    )
    school = {"Authorization": f"Bearer {token}"}
    answers = ["agreed", "declined"]
    one_wins(
        race(
            app,
            lambda client, n: client.post(
                f"/v1/consultations/{decision['consultation_id']}/answer",
                json={"answer": answers[n % 2]}
                | ({"reason": "No place after all"} if n % 2 else {}),
                headers=school,
            ),
        )
    )
