"""The authorisation matrix, generated from the OpenAPI document.

Every operation whose path names a record × every caller (two parents, two schools, officers of
two LAs, a service client, an admin): another LA's record answers exactly as a record that does
not exist (404, or the 403 a role gets for any id), never 2xx; the caller's own records are
readable; and no list, whatever its filters, holds a row of another LA. An admin has no LA of its
own: every child's record is foreign to it, and only the directory answers it.
"""

import copy
import re
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from access_world import LAS, World, build_world
from cases_factories import (
    child_body,
    plan_body,
    plan_sections_body,
    plan_version_body,
    request_body,
)
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cases_api.audit.models import AuditEvent

# The directory (establishments, provisions) is published to every caller; its writes are not.
PUBLIC_PREFIXES = ("/v1/establishments", "/v1/provisions")
ROUNDS_PREFIX = "/v1/rounds"
DISPUTES_PREFIX = "/v1/dispute-events"
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
        "recordReviewMeetingLogistics": {"attends_school": False},
        "scheduleReviewMeeting": {"meeting_on": "2027-01-15"},
        "updateScheduledReviewMeeting": {"meeting_on": "2027-01-20"},
        "recordTribunalOrder": {"kind": "assess", "started_on": "2025-08-01"},
        "recordComplianceStep": {"step": "notify_assessment", "done_on": "2025-08-02"},
        "recordLaTransfer": {
            "new_la_code": "999",
            "moved_on": "2026-07-01",
            "old_la_aware_on": "2026-06-01",
        },
        "completeLaTransfer": {"transferred_on": "2026-07-01"},
        "recordLaTransferFamilyNotice": {"family_notified_on": "2026-07-02"},
        "recordCommissioningChange": {
            "old_body": "NHS A",
            "new_body": "NHS B",
            "new_body_aware_on": "2026-06-01",
        },
        "recordCommissioningAnswer": {"answered_on": "2026-06-02"},
        "recordReassessmentRequest": {"received_on": "2026-06-01"},
        "decideReassessment": {"decision_notified_on": "2026-06-02", "reassessing": False},
        "restrictChildContact": {"do_not_disclose": False},
        "restrictGuardianContact": {"do_not_disclose": False},
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


def _unknown_reference(response: Any) -> bool:
    """A body naming another LA's record answers 422 "not a known …" (as for an unknown id),
    before the route looks at its path."""
    return response.status_code == 422 and "not a known" in response.text


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
                if template.startswith(PUBLIC_PREFIXES) and caller == "admin" and la == "855":
                    continue  # admins configure their own LA's directory (test_provisions_api)
                if template.startswith(PUBLIC_PREFIXES):
                    expected = {"GET": {200}}.get(method, {403})
                    if foreign.status_code not in expected:
                        failures.append(f"{case}: {foreign.status_code} (public directory)")
                elif foreign.status_code not in (403, 404) and not _unknown_reference(foreign):
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
                refused = (
                    (template.startswith(ROUNDS_PREFIX) and role in ("parent", "school"))
                    or (role == "admin" and not template.startswith(PUBLIC_PREFIXES))
                    # mediation and tribunal records are not what teaching the child needs
                    or (template.startswith(DISPUTES_PREFIX) and role == "school")
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


# --- references in bodies -------------------------------------------------------------------

REFERENCE_RECORDS = {
    "child": "child_id",
    "request": "request_id",
    "plan": "plan_id",
    "guardian": "guardian_id",
}


def _references(schema: Any, components: dict[str, Any], path: tuple[str, ...] = ()) -> Any:
    """(field path, kind) of every `x-reference` in a request body's schema."""
    if "$ref" in schema:
        schema = components[schema["$ref"].split("/")[-1]]
    if "x-reference" in schema:
        yield path, schema["x-reference"]
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from _references(option, components, path)
    if "items" in schema:
        yield from _references(schema["items"], components, (*path, "0"))
    for name, inner in schema.get("properties", {}).items():
        yield from _references(inner, components, (*path, name))


def _body_references(client: TestClient) -> list[tuple[str, str, str, tuple[str, ...], str]]:
    document = client.get("/openapi.json").json()
    components = document["components"]["schemas"]
    found = []
    for template, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            for field_path, kind in _references(schema, components):
                found.append((method.upper(), template, operation["operationId"], field_path, kind))
    return found


def _reference_templates(ids: dict[str, str]) -> dict[str, tuple[dict[str, str], Any]]:
    """Per operation: path parameters and a body naming only LA 855's own records."""
    child, plan, provision = ids["child_id"], ids["plan_id"], ids["provision_id"]
    named = {"provision_id": provision, "starts_on": "2026-09-01"}
    in_round = {"round_id": ids["round_id"], "child_id": child}
    return {
        "linkGuardian": (
            {"child_id": child},
            {"guardian_id": ids["guardian_id"], "relationship_to_child": "aunt"},
        ),
        "receiveAssessmentRequest": ({}, request_body(child)),
        "recordDisputeEvent": (
            {},
            {
                "stage": "plan",
                "kind": "mediation",
                "assessment_request_id": ids["request_id"],
                "plan_id": plan,
                "child_id": child,
                "opened_on": "2026-05-20",
            },
        ),
        "createPlan": (
            {},
            plan_body(child, assessment_request_id=ids["request_id"])
            | {"sections": plan_sections_body(i=named)},
        ),
        "addPlanVersion": (
            {"plan_id": plan},
            plan_version_body("amendment_notice", "2026-06-01")
            | {"sections": plan_sections_body(i=named)},
        ),
        "createPlacement": ({}, {"child_id": child, **named}),
        "addRoundChild": (
            {"round_id": ids["round_id"]},
            {
                "child_id": child,
                "suitable_kinds": ["resource_base"],
                "requested_provision_ids": [provision],
            },
        ),
        "updateRoundChild": (in_round, {"requested_provision_ids": [provision]}),
        "decideChild": (
            {"round_id": ids["round_id"]},
            {
                "child_id": child,
                "decision": "overridden",
                "provision_id": provision,
                "reason": "Nearer home.",
            },
        ),
        "createSubjectAccessExport": (
            {"child_id": child},
            {"requesting_guardian_id": ids["guardian_id"]},
        ),
    }


def _set(body: Any, field_path: tuple[str, ...], value: str) -> Any:
    target = body
    for part in field_path[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = field_path[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return body


def _row_counts(session: Session) -> dict[str, int]:
    from cases_api.core.db import Base

    skipped = {"audit_events", "idempotency_keys"}
    return {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
        if table.name not in skipped
    }


def _bare_ids(schema: Any, components: dict[str, Any], path: str = "") -> Any:
    if "$ref" in schema:
        schema = components[schema["$ref"].split("/")[-1]]
    if schema.get("format") == "uuid" and "x-reference" not in schema:
        yield path
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from _bare_ids(option, components, path)
    if "items" in schema:
        yield from _bare_ids(schema["items"], components, f"{path}[]")
    for name, inner in schema.get("properties", {}).items():
        yield from _bare_ids(inner, components, f"{path}.{name}")


def test_every_id_in_every_body_is_a_checked_reference(client: TestClient) -> None:
    """A new id field without a reference type would go unchecked: it fails here."""
    document = client.get("/openapi.json").json()
    components = document["components"]["schemas"]
    bare = [
        f"{operation['operationId']} {path}"
        for item in document["paths"].values()
        for operation in item.values()
        for schema in [
            operation.get("requestBody", {})
            .get("content", {})
            .get("application/json", {})
            .get("schema")
        ]
        if schema is not None
        for path in _bare_ids(schema, components)
    ]
    assert bare == []


def test_a_foreign_reference_in_any_body_is_unknown_changes_nothing_and_is_audited(
    client: TestClient, session: Session, world: World
) -> None:
    """Every id in every body, generated from the OpenAPI document: LA 856's record (or, for the
    directory, which every LA may name, an id that does not exist) answers 422 "not a known …"
    naming the field, exactly as an unknown id does; nothing changes; the refusal is audited."""
    references = _body_references(client)
    assert len(references) >= 15
    own, foreign = world.las["855"].ids, world.las["856"].ids
    templates = _reference_templates(own)
    missing = sorted({operation for _, _, operation, _, _ in references} - set(templates))
    assert not missing, f"add a template body for {missing}"
    officer = world.callers["officer-855"]
    failures = []
    for method, template, operation_id, field_path, kind in references:
        parameters, body = copy.deepcopy(templates[operation_id])
        path = template.format(**parameters)
        for label, value in (
            ("LA 856's", foreign.get(REFERENCE_RECORDS.get(kind, ""), "")),
            ("an unknown", str(uuid.uuid4())),
        ):
            if not value:
                continue  # the directory: every LA's provisions may be named
            sent = _set(copy.deepcopy(body), field_path, value)
            before = _row_counts(session)
            response = client.request(
                method, path, json=sent, headers=officer | {"If-Match": '"1"'}
            )
            case = f"{operation_id} {'.'.join(field_path)} = {label} {kind}"
            located = ["body." + ".".join(field_path).replace(".0", "[0]")]
            if response.status_code != 422 or "not a known" not in response.text:
                failures.append(f"{case}: {response.status_code} {response.text[:200]}")
                continue
            if [error["location"] for error in response.json()["errors"]] != located:
                failures.append(f"{case}: errors {response.json()['errors']}")
            if _row_counts(session) != before:
                failures.append(f"{case}: something changed")
            audited = session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.path == path, AuditEvent.outcome == 422)
            )
            if not audited:
                failures.append(f"{case}: the refusal is not in the audit trail")
    assert not failures, "\n".join(failures)


def test_a_plan_dispute_naming_another_las_plan_is_refused(
    client: TestClient, world: World
) -> None:
    """The issue's case: LA 856 recorded a dispute on LA 855's plan (201), then listed it."""
    own, foreign = world.las["856"].ids, world.las["855"].ids
    officer = world.callers["officer-856"]
    body = {
        "stage": "plan",
        "kind": "mediation",
        "plan_id": foreign["plan_id"],
        "child_id": own["child_id"],
        "opened_on": "2026-05-20",
    }
    response = client.post("/v1/dispute-events", json=body, headers=officer)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "body.plan_id", "message": f"{foreign['plan_id']} is not a known plan"}
    ]
    listed = client.get(
        "/v1/dispute-events", params={"plan_id": foreign["plan_id"]}, headers=officer
    )
    assert listed.json()["items"] == []
    # Its own plan for another child is no better: the plan must be the child's.
    other = client.post("/v1/children", json=child_body(la_code="856"), headers=officer).json()[
        "id"
    ]
    mismatched = client.post(
        "/v1/dispute-events",
        json=body | {"plan_id": own["plan_id"], "child_id": other},
        headers=officer,
    )
    assert mismatched.status_code == 422
    assert "not a plan of this child" in mismatched.json()["detail"]
