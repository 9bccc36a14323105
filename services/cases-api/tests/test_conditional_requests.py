"""Preconditions, generated from the OpenAPI document (RFC 9110 §13).

Every PUT, PATCH and DELETE needs `If-Match`: 428 without it, 412 with a stale tag or a weak one
(the comparison is strong: `W/"…"` never matches, even naming the current version), and it goes
ahead with the ETag just read. Every GET that sends an ETag answers `If-None-Match` naming it
(weakly compared) with a bodiless 304 carrying the ETag, after the same access checks, and the
read is in the audit trail with outcome 304.
"""

import re
from typing import Any

import pytest
import sqlalchemy as sa
from access_world import World, build_world
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cases_api.audit.models import AuditEvent

UPDATE_METHODS = ("put", "patch", "delete")
# A valid body for each update that takes one. An update added without one here fails the test.
BODIES: dict[str, Any] = {
    "updateEstablishment": {"name": "Renamed"},
    "updateProvision": {"name": "Renamed"},
    "updateChild": {"given_name": "Zed"},
    "restrictChildContact": {"do_not_disclose": True},
    "restrictGuardianContact": {"do_not_disclose": True},
    "decideReview": {"decision_notified_on": "2026-05-10", "outcome": "maintain"},
    "recordReviewMeetingLogistics": {"attends_school": False},
    "updateScheduledReviewMeeting": {"meeting_on": "2027-01-20"},
    "cancelScheduledReviewMeeting": None,
    "updateRound": {"name": "Renamed"},
    "updateRoundChild": {"suitable_kinds": ["special_school"]},
    "removeRoundChild": None,
    "liftLegalHold": None,
}
# Where the ETag an update needs is read, when not from a GET of the same path or its parent:
# the cohort is part of the round.
ETAG_READS = {
    "updateRoundChild": "/v1/rounds/{round_id}",
    "removeRoundChild": "/v1/rounds/{round_id}",
}
# Reads this world answers with an ETag; the generated test must find at least these.
KNOWN_ETAG_READS = {
    "getEstablishment",
    "getProvision",
    "getChild",
    "getGuardian",
    "getAssessmentRequest",
    "getPlan",
    "getReview",
    "getScheduledReviewMeeting",
    "getPlacement",
    "getRound",
    "getLegalHold",
}


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/openapi.json").json()
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _fill(template: str, ids: dict[str, str], urn: int) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "urn":
            return str(urn)
        if name in ("number", "other"):
            return "1"
        return ids.get(name, "00000000-0000-0000-0000-000000000000")

    return re.sub(r"\{(\w+)\}", value, template)


@pytest.fixture
def world(client: TestClient, session: Session, auth: Any) -> World:
    built = build_world(client, session, auth)
    records = built.las["855"]
    officer = built.callers["officer-855"]
    ids = records.ids
    scheduled = client.post(
        f"/v1/plans/{ids['plan_id']}/scheduled-review",
        json={"meeting_on": "2027-01-15"},
        headers=officer,
    )
    assert scheduled.status_code == 201, scheduled.text
    held = client.post(
        f"/v1/children/{ids['child_id']}/legal-hold",
        json={"reason": "A claim is expected."},
        headers=officer,
    )
    assert held.status_code == 201, held.text
    return built


def _etag_read(template: str, operation_id: str, gets: set[str]) -> str:
    if operation_id in ETAG_READS:
        return ETAG_READS[operation_id]
    parent = template.rsplit("/", 1)[0]
    for candidate in (template, parent):
        if candidate in gets:
            return candidate
    raise AssertionError(f"{operation_id}: no read gives its ETag; add it to ETAG_READS")


def test_every_update_documents_and_enforces_a_strong_if_match(
    client: TestClient, world: World
) -> None:
    operations = _operations(client)
    gets = {path for method, path, _ in operations if method == "get"}
    updates = [op for op in operations if op[0] in UPDATE_METHODS]
    assert {operation["operationId"] for _, _, operation in updates} == set(BODIES)
    records = world.las["855"]
    officer = world.callers["officer-855"]
    failures: list[str] = []
    for method, template, operation in updates:
        name = operation["operationId"]
        headers = {
            p["name"].lower() for p in operation.get("parameters", []) if p["in"] == "header"
        }
        if "if-match" not in headers or not {"412", "428"} <= set(operation["responses"]):
            failures.append(f"{name}: If-Match, 412 and 428 not all documented")
        path = _fill(template, records.ids, records.urn)
        read = client.get(
            _fill(_etag_read(template, name, gets), records.ids, records.urn), headers=officer
        )
        assert read.status_code == 200, f"{name}: {read.text}"
        etag = read.headers["ETag"]
        body = BODIES[name]

        def update(
            if_match: str | None, method: str = method, path: str = path, body: Any = body
        ) -> Any:
            sent = officer if if_match is None else officer | {"If-Match": if_match}
            return client.request(method.upper(), path, json=body, headers=sent)

        attempts = {
            "none": (update(None), 428),
            "stale": (update('"v999999"'), 412),
            "weak": (update(f"W/{etag}"), 412),
        }
        for label, (answer, expected) in attempts.items():
            if answer.status_code != expected:
                failures.append(f"{name} ({label}): {answer.status_code} {answer.text[:200]}")
        stale = attempts["stale"][0]
        if stale.status_code == 412 and stale.json().get("current_etag") != etag:
            failures.append(f"{name}: the 412 names {stale.json().get('current_etag')}, not {etag}")
        done = update(etag)
        if done.status_code not in (200, 204):
            failures.append(f"{name} (current ETag): {done.status_code} {done.text[:200]}")
    assert failures == []


def test_a_weak_or_listed_if_match_is_compared_strongly(client: TestClient, world: World) -> None:
    records = world.las["855"]
    officer = world.callers["officer-855"]
    path = f"/v1/children/{records.ids['child_id']}"
    etag = client.get(path, headers=officer).headers["ETag"]
    weak = client.patch(path, json={"given_name": "A"}, headers=officer | {"If-Match": f"W/{etag}"})
    assert weak.status_code == 412
    listed = f'"v999999", W/{etag}, {etag}'
    renamed = client.patch(path, json={"given_name": "B"}, headers=officer | {"If-Match": listed})
    assert renamed.status_code == 200, renamed.text
    assert renamed.headers["ETag"] != etag
    anything = client.patch(path, json={"given_name": "C"}, headers=officer | {"If-Match": "*"})
    assert anything.status_code == 200


def _single_record_reads(client: TestClient) -> list[tuple[str, str]]:
    return [
        (path, operation["operationId"])
        for method, path, operation in _operations(client)
        if method == "get" and path.startswith("/v1") and "{" in path
    ]


def test_every_read_with_an_etag_answers_if_none_match_with_304(
    client: TestClient, world: World, session: Session
) -> None:
    records = world.las["855"]
    officer = world.callers["officer-855"]
    with_etag: set[str] = set()
    failures: list[str] = []
    for template, name in _single_record_reads(client):
        path = _fill(template, records.ids, records.urn)
        read = client.get(path, headers=officer)
        etag = read.headers.get("ETag")
        if read.status_code != 200 or etag is None:
            continue
        with_etag.add(name)
        for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
            unchanged = client.get(path, headers=officer | {"If-None-Match": sent})
            if (
                unchanged.status_code != 304
                or unchanged.content != b""
                or unchanged.headers.get("ETag") != etag
                or "content-type" in unchanged.headers
            ):
                failures.append(f"{name} ({sent}): {unchanged.status_code} {unchanged.headers}")
        changed = client.get(path, headers=officer | {"If-None-Match": '"v999999"'})
        if changed.status_code != 200 or changed.json() != read.json():
            failures.append(f"{name} (another tag): {changed.status_code}")
        outcomes = session.scalars(
            sa.select(AuditEvent.outcome).where(
                AuditEvent.operation_id == name, AuditEvent.path == path
            )
        ).all()
        if outcomes.count(304) != 4:
            failures.append(f"{name}: audit outcomes {sorted(outcomes)}")
    assert failures == []
    assert with_etag >= KNOWN_ETAG_READS


def test_a_304_is_answered_only_to_a_caller_who_may_read_the_record(
    client: TestClient, world: World
) -> None:
    records = world.las["855"]
    path = f"/v1/children/{records.ids['child_id']}"
    etag = client.get(path, headers=world.callers["officer-855"]).headers["ETag"]
    other_la = client.get(path, headers=world.callers["officer-856"] | {"If-None-Match": etag})
    assert other_la.status_code == 404
    assert other_la.headers["content-type"].startswith("application/problem+json")
    anonymous = client.get(path, headers={"If-None-Match": etag})
    assert anonymous.status_code == 401


def test_lists_ignore_if_none_match(client: TestClient, world: World) -> None:
    officer = world.callers["officer-855"]
    listed = client.get("/v1/children", headers=officer | {"If-None-Match": "*"})
    assert listed.status_code == 200
    assert set(listed.json()) == {"items", "next_cursor"}
