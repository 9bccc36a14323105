"""Two LAs' worth of case records, built through the API, and a caller of every kind for each.

LA 855 and LA 856 each get: an establishment with a provision; a child who attends it, with a
verified parent; a request for assessment with advice requested; a final plan with a review; a
placement at the provision; a dispute; an allocation round with the child in its cohort; and a
consultation of the school (stored directly: proposing needs the matching service).
"""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from assessments_helpers import PATHS, walk
from cases_factories import (
    child_body,
    establishment_body,
    guardian_body,
    provision_body,
    request_body,
)
from fastapi.testclient import TestClient
from plans_helpers import final_plan
from sqlalchemy.orm import Session

from cases_api.core.time import today
from cases_api.rounds.models import Consultation, ConsultationStatus

LAS = ("855", "856")
REASON = {"X-Access-Reason": "authorisation matrix test"}


@dataclass
class LaRecords:
    la_code: str
    urn: int = 0
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def parent_id(self) -> str:
        return f"parent-{self.la_code}"


@dataclass
class World:
    las: dict[str, LaRecords]
    callers: dict[str, dict[str, str]]
    # Which LA's case records each caller may see (admins: none, though bound to LA 855 for its
    # audit trail, retention report and directory; nobody crosses LAs).
    home: dict[str, str | None]


def _post(client: TestClient, path: str, body: Any, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), f"{path}: {response.text}"
    return dict(response.json())


def _build_la(client: TestClient, session: Session, officer: dict[str, str], la: str) -> LaRecords:
    records = LaRecords(la_code=la)
    ids = records.ids
    school = _post(client, "/v1/establishments", establishment_body(la_code=la), officer)
    records.urn = int(school["urn"])
    provision = _post(
        client, "/v1/provisions", provision_body(records.urn, places_taken=0), officer
    )
    ids["provision_id"] = provision["id"]
    body = child_body(la_code=la, current_school_urn=records.urn)
    ids["child_id"] = _post(client, "/v1/children", body, officer)["id"]
    guardian = _post(client, "/v1/guardians", guardian_body(external_id=records.parent_id), officer)
    ids["guardian_id"] = guardian["id"]
    link = {"guardian_id": guardian["id"], "relationship_to_child": "mother"}
    _post(client, f"/v1/children/{ids['child_id']}/guardians", link, officer)
    _post(
        client,
        f"/v1/children/{ids['child_id']}/guardians/{guardian['id']}/verification",
        None,
        officer,
    )
    request = _post(
        client,
        "/v1/assessment-requests",
        request_body(ids["child_id"], received_on="2025-01-06"),
        officer,
    )
    ids["request_id"] = request["id"]
    walk(client, officer, request["id"], PATHS["advice_requested"])
    advice = {"advice": "education", "requested_on": "2025-02-12"}
    read = _post(client, f"/v1/assessment-requests/{request['id']}/advice", advice, officer)
    ids["advice_id"] = read["advice_requests"][0]["id"]
    plan = final_plan(client, officer, SimpleNamespace(id=ids["child_id"]))  # type: ignore[arg-type]
    ids["plan_id"] = plan["id"]
    review = _post(client, f"/v1/plans/{plan['id']}/reviews", {"meeting_on": "2026-05-01"}, officer)
    ids["review_id"] = review["id"]
    placement = {
        "child_id": ids["child_id"],
        "provision_id": provision["id"],
        "starts_on": "2026-09-01",
    }
    ids["placement_id"] = _post(client, "/v1/placements", placement, officer)["id"]
    dispute = {
        "stage": "plan",
        "kind": "mediation",
        "plan_id": plan["id"],
        "child_id": ids["child_id"],
        "opened_on": "2026-05-10",
    }
    ids["dispute_id"] = _post(client, "/v1/dispute-events", dispute, officer)["id"]
    round_ = _post(
        client, "/v1/rounds", {"name": f"Round {la}", "entry_date": "2027-09-01"}, officer
    )
    ids["round_id"] = round_["id"]
    cohort = {"child_id": ids["child_id"], "suitable_kinds": ["resource_base"]}
    _post(client, f"/v1/rounds/{round_['id']}/children", cohort, officer)
    sent = today()
    consultation = Consultation(
        child_id=uuid.UUID(ids["child_id"]),
        provision_id=uuid.UUID(provision["id"]),
        status=ConsultationStatus.PENDING,
        sent_on=sent,
        due_on=sent + timedelta(days=15),
    )
    session.add(consultation)
    session.commit()
    ids["consultation_id"] = str(consultation.id)
    return records


def build_world(client: TestClient, session: Session, auth: Any) -> World:
    """Both LAs' records and every kind of caller, by name."""
    officers = {la: auth("officer", la_code=la) | REASON for la in LAS}
    las = {la: _build_la(client, session, officers[la], la) for la in LAS}
    callers: dict[str, dict[str, str]] = {}
    home: dict[str, str | None] = {}
    for la in LAS:
        records = las[la]
        callers[f"officer-{la}"] = officers[la]
        callers[f"parent-{la}"] = auth("parent", guardian_external_id=records.parent_id) | REASON
        callers[f"school-{la}"] = auth("school", school_urns=[records.urn]) | REASON
        home.update({f"officer-{la}": la, f"parent-{la}": la, f"school-{la}": la})
    callers["service-855"] = auth("service", la_code="855") | REASON
    home["service-855"] = "855"
    callers["admin"] = auth("admin", la_code="855") | REASON
    home["admin"] = None
    return World(las=las, callers=callers, home=home)
