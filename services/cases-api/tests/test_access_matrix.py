"""The authorisation matrix, generated from the OpenAPI document.

Every operation whose path names a record × every caller (two parents, two schools, officers of
two LAs, a service client, an admin): another LA's record answers exactly as a record that does
not exist (404, or the 403 a role gets for any id), never 2xx; the caller's own records are
readable; and no list, whatever its filters, holds a row of another LA. An admin has no LA of its
own: every child's record is foreign to it, and only the directory answers it.
"""

import re
import uuid
from typing import Any

import pytest
from access_world import LAS, World, build_world
from cases_factories import plan_version_body
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

# The directory (establishments, provisions) is published to every caller; its writes are not.
PUBLIC_PREFIXES = ("/v1/establishments", "/v1/provisions")
ROUNDS_PREFIX = "/v1/rounds"
ABSENT_URN = 9_999_998
PARAM_RECORDS = {
    "child_id": "child_id",
    "guardian_id": "guardian_id",
    "request_id": "request_id",
    "advice_id": "advice_id",
    "dispute_id": "dispute_id",
    "plan_id": "plan_id",
    "review_id": "review_id",
    "placement_id": "placement_id",
    "provision_id": "provision_id",
    "round_id": "round_id",
    "consultation_id": "consultation_id",
}
NUMBERS = {"number": 1, "other": 1}
# The reads of one record this world holds for each LA (proposals need the matching service).
WORLD_READS = {
    "getChild",
    "listChildGuardians",
    "getGuardian",
    "getChildPhaseTransfers",
    "getAssessmentRequest",
    "listAssessmentRequestCorrections",
    "getDisputeEvent",
    "getPlan",
    "listPlanVersions",
    "getPlanVersion",
    "diffPlanVersions",
    "listPlanReviews",
    "getReview",
    "getPlacement",
    "getEstablishment",
    "getProvision",
    "getRound",
    "listRoundChildren",
    "listRoundProgress",
    "listProposals",
    "listDecisions",
    "getRoundSummary",
    "getConsultation",
}


def _bodies(records: dict[str, str]) -> dict[str, Any]:
    """A valid body per operation, so each reaches its access check (not a 422 on shape)."""
    return {
        "updateChild": {"given_name": "Zed"},
        "linkGuardian": {"guardian_id": records["guardian_id"], "relationship_to_child": "aunt"},
        "updateEstablishment": {"name": "Renamed"},
        "updateProvision": {"name": "Renamed"},
        "assignAssessmentRequest": {"assigned_officer": None},
        "transitionAssessmentRequest": {"to_state": "withdrawn", "occurred_on": "2025-03-01"},
        "addAdviceRequest": {"advice": "health", "requested_on": "2025-02-13"},
        "correctAssessmentRequestDate": {
            "field": "received_on",
            "new_value": "2025-01-07",
            "reason": "A typo in the letter.",
        },
        "recordAdviceReceived": {"received_on": "2025-03-01"},
        "recordAdviserDates": {"request_received_on": "2025-02-14"},
        "recordDecisionNotice": {"sent_on": "2025-03-01"},
        "addClockException": {
            "ground": "exceptional_personal_circumstances",
            "starts_on": "2025-03-01",
            "ends_on": "2025-03-10",
        },
        "addPlanVersion": plan_version_body("amendment_notice", "2026-06-01"),
        "issueAmendedPlan": {"issued_on": "2026-06-20"},
        "recordReview": {"meeting_on": "2026-06-01"},
        "decideReview": {"decision_notified_on": "2026-05-10", "outcome": "maintain"},
        "endPlacement": {"ended_on": "2026-10-01"},
        "updateRound": {"name": "Renamed"},
        "applyCohortRule": {"rule": "phase_transfer"},
        "addRoundChild": {"child_id": records["child_id"], "suitable_kinds": ["resource_base"]},
        "updateRoundChild": {"suitable_kinds": ["resource_base"]},
        "decideChild": {"child_id": records["child_id"], "decision": "accepted"},
        "answerConsultation": {"answer": "agreed"},
        "submitFamilyViews": {"views": "She likes trains."},
        "commentOnDraft": {"comments": "Section F should say weekly."},
        "placeLegalHold": {"reason": "A claim is expected."},
    }


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/openapi.json").json()
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _fill(path: str, records: dict[str, str], urn: int) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        if name == "urn":
            return str(urn)
        if name in NUMBERS:
            return str(NUMBERS[name])
        return records.get(PARAM_RECORDS.get(name, ""), str(uuid.uuid4()))

    return re.sub(r"\{([^}]+)\}", value, path)


def _call(
    client: TestClient,
    method: str,
    path: str,
    operation: dict[str, Any],
    headers: dict[str, str],
    bodies: dict[str, Any],
) -> Any:
    body = bodies.get(operation["operationId"], {}) if "requestBody" in operation else None
    return client.request(method, path, json=body, headers=headers | {"If-Match": '"1"'})


@pytest.fixture
def world(client: TestClient, session: Session, auth: Any) -> World:
    return build_world(client, session, auth)


def _foreign_las(world: World, caller: str) -> list[str]:
    home = world.home[caller]
    return [la for la in LAS if la != home]


def test_another_las_records_answer_as_if_absent(client: TestClient, world: World) -> None:
    operations = [op for op in _operations(client) if "{" in op[1]]
    assert len(operations) > 30
    absent = {key: str(uuid.uuid4()) for key in PARAM_RECORDS.values()}
    failures = []
    for caller, headers in world.callers.items():
        for la in _foreign_las(world, caller):
            records = world.las[la]
            bodies = _bodies(records.ids)
            for method, template, operation in operations:
                foreign = _call(
                    client,
                    method,
                    _fill(template, records.ids, records.urn),
                    operation,
                    headers,
                    bodies,
                )
                missing = _call(
                    client, method, _fill(template, absent, ABSENT_URN), operation, headers, bodies
                )
                case = f"{caller} {method} {template} on LA {la}'s record"
                if template.startswith(PUBLIC_PREFIXES) and caller == "admin":
                    continue  # admins configure every LA's directory (test_provisions_api)
                if template.startswith(PUBLIC_PREFIXES):
                    expected = {"GET": {200}}.get(method, {403})
                    if foreign.status_code not in expected:
                        failures.append(f"{case}: {foreign.status_code} (public directory)")
                elif foreign.status_code not in (403, 404):
                    failures.append(f"{case}: {foreign.status_code} {foreign.text[:200]}")
                elif foreign.status_code != missing.status_code:
                    failures.append(
                        f"{case}: {foreign.status_code}, but {missing.status_code} when absent"
                    )
    assert not failures, "\n".join(failures)


def test_callers_read_their_own_records(client: TestClient, world: World) -> None:
    reads = [op for op in _operations(client) if op[2]["operationId"] in WORLD_READS]
    assert len(reads) == len(WORLD_READS)
    failures = []
    for caller, headers in world.callers.items():
        role = caller.split("-")[0]
        for la in [world.home[caller]] if world.home[caller] else list(LAS):
            records = world.las[la]
            for method, template, operation in reads:
                path = _fill(template, records.ids, records.urn)
                response = _call(client, method, path, operation, headers, {})
                refused = (template.startswith(ROUNDS_PREFIX) and role in ("parent", "school")) or (
                    role == "admin" and not template.startswith(PUBLIC_PREFIXES)
                )
                expected = 403 if refused else 200
                if response.status_code != expected:
                    failures.append(
                        f"{caller} {template}: {response.status_code} {response.text[:160]}"
                    )
    assert not failures, "\n".join(failures)


def _list_params(operation: dict[str, Any], la: str) -> dict[str, str]:
    params = {}
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        if parameter["in"] != "query":
            continue
        if name == "la_code":
            params[name] = la
        elif parameter.get("required"):
            params[name] = "2020-01-01" if name.endswith("from") else "2030-12-31"
    return params


def test_lists_hold_no_row_of_another_la(client: TestClient, world: World) -> None:
    lists = [op for op in _operations(client) if op[0] == "GET" and "{" not in op[1]]
    failures = []
    for caller, headers in world.callers.items():
        for la in _foreign_las(world, caller):
            foreign = world.las[la]
            hidden = [
                value
                for key, value in foreign.ids.items()
                if key not in ("provision_id", "guardian_id")
            ]
            for _, path, operation in lists:
                for params in ({}, _list_params(operation, la)):
                    response = client.get(path, params=params, headers=headers)
                    if response.status_code != 200:
                        if response.status_code not in (403, 422):
                            failures.append(f"{caller} {path} {params}: {response.status_code}")
                        continue
                    leaked = [value for value in hidden if value in response.text]
                    if leaked:
                        failures.append(f"{caller} {path} {params}: LA {la}'s {leaked}")
    assert not failures, "\n".join(failures)
