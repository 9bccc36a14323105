"""A school's access to a child ends with its tie, after the grace period (28 days by default).

Each kind of tie is ended a given number of days ago (the test sets the record's dates, so the
clock is the test's): 28 days ago the school still reads the child, 29 days ago it does not,
and the child's record, guardians and plans then answer 404 as if absent, and lists leave the
child out. The school keeps reading its own consultation.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from cases_factories import child_body, establishment_body, provision_body, request_body
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from cases_api.assessments.models import RequestTransition
from cases_api.children.models import Child
from cases_api.core.time import today
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.plans.models import Plan
from cases_api.rounds.models import Consultation, ConsultationStatus
from cases_api.settings import get_settings

Auth = Any
REASON = {"X-Access-Reason": "school ties test"}
GRACE = 28


@dataclass
class Setting:
    urn: int
    provision_id: uuid.UUID
    child_id: str
    school: dict[str, str]
    officer: dict[str, str]


@pytest.fixture
def setting(client: TestClient, officer: dict[str, str], auth: Auth) -> Setting:
    return _new_setting(client, officer, auth)


def _new_setting(client: TestClient, officer: dict[str, str], auth: Auth) -> Setting:
    """A school with a provision, and a child with no tie to it yet."""
    assert get_settings().school_access_grace_days == GRACE
    headers = officer | REASON
    school = client.post("/v1/establishments", json=establishment_body(), headers=headers).json()
    body = provision_body(school["urn"], places_taken=0)
    provision = client.post("/v1/provisions", json=body, headers=headers).json()
    child = client.post("/v1/children", json=child_body(), headers=headers).json()
    return Setting(
        urn=school["urn"],
        provision_id=uuid.UUID(provision["id"]),
        child_id=child["id"],
        school=auth("school", school_urns=[school["urn"]]) | REASON,
        officer=headers,
    )


def _sees(client: TestClient, setting: Setting) -> bool:
    """Whether the school reads the child; every route and the list agree."""
    child = client.get(f"/v1/children/{setting.child_id}", headers=setting.school).status_code
    guardians = client.get(
        f"/v1/children/{setting.child_id}/guardians", headers=setting.school
    ).status_code
    listed = client.get("/v1/children", headers=setting.school).json()["items"]
    in_list = setting.child_id in [item["id"] for item in listed]
    assert {child, guardians} <= {200, 404}
    assert child == guardians
    assert in_list == (child == 200)
    return child == 200


def _consultation(
    session: Session, setting: Setting, status: ConsultationStatus, ended: date
) -> Consultation:
    answered = status in (ConsultationStatus.DECLINED, ConsultationStatus.AGREED)
    consultation = Consultation(
        child_id=uuid.UUID(setting.child_id),
        provision_id=setting.provision_id,
        status=status,
        sent_on=ended - timedelta(days=15),
        due_on=ended,
        answered_on=ended if answered else None,
    )
    session.add(consultation)
    session.commit()
    return consultation


def declined(client: TestClient, session: Session, setting: Setting, ended: date) -> None:
    _consultation(session, setting, ConsultationStatus.DECLINED, ended)


def lapsed(client: TestClient, session: Session, setting: Setting, ended: date) -> None:
    """Sent, never answered, and its due date passed."""
    _consultation(session, setting, ConsultationStatus.PENDING, ended)


def withdrawn_consultation(
    client: TestClient, session: Session, setting: Setting, ended: date
) -> None:
    _consultation(session, setting, ConsultationStatus.WITHDRAWN, ended)


def ended_placement(client: TestClient, session: Session, setting: Setting, ended: date) -> None:
    placement = Placement(
        child_id=uuid.UUID(setting.child_id),
        provision_id=setting.provision_id,
        status=PlacementStatus.ENDED,
        starts_on=ended - timedelta(days=400),
        ends_on=ended,
        annual_cost_pence=1_850_000,
    )
    session.add(placement)
    session.commit()


def withdrawn_request(client: TestClient, session: Session, setting: Setting, ended: date) -> None:
    body = request_body(
        setting.child_id,
        source="school",
        submitted_by_urn=setting.urn,
        received_on=(ended - timedelta(days=30)).isoformat(),
    )
    made = client.post("/v1/assessment-requests", json=body, headers=setting.officer)
    assert made.status_code == 201, made.text
    assert _sees(client, setting)  # open: no end
    step = {"to_state": "withdrawn", "occurred_on": ended.isoformat()}
    path = f"/v1/assessment-requests/{made.json()['id']}/transitions"
    moved = client.post(path, json=step, headers=setting.officer)
    assert moved.status_code == 200, moved.text
    assert session.scalar(sa.select(sa.func.max(RequestTransition.occurred_on))) == ended


def pupil_left(client: TestClient, session: Session, setting: Setting, ended: date) -> None:
    path = f"/v1/children/{setting.child_id}"
    etag = client.get(path, headers=setting.officer).headers["ETag"]
    joined = client.patch(
        path,
        json={"current_school_urn": setting.urn},
        headers=setting.officer | {"If-Match": etag},
    )
    assert joined.status_code == 200, joined.text
    assert _sees(client, setting)  # the current school: no end
    left = client.patch(
        path,
        json={"current_school_urn": 100001},
        headers=setting.officer | {"If-Match": joined.headers["ETag"]},
    )
    assert left.status_code == 200, left.text
    child = session.get(Child, uuid.UUID(setting.child_id))
    assert child is not None
    session.refresh(child)
    assert (child.previous_school_urn, child.left_previous_school_on) == (setting.urn, today())
    child.left_previous_school_on = ended  # the move was recorded that many days ago
    session.commit()


TIES: dict[str, Callable[[TestClient, Session, Setting, date], None]] = {
    "declined consultation": declined,
    "lapsed consultation": lapsed,
    "withdrawn consultation": withdrawn_consultation,
    "ended placement": ended_placement,
    "withdrawn request": withdrawn_request,
    "pupil who left": pupil_left,
}


@pytest.mark.parametrize("kind", list(TIES))
@pytest.mark.parametrize(("days_ago", "sees"), [(0, True), (GRACE, True), (GRACE + 1, False)])
def test_access_ends_after_the_grace_period(
    client: TestClient,
    session: Session,
    setting: Setting,
    kind: str,
    days_ago: int,
    sees: bool,
) -> None:
    assert not _sees(client, setting)  # no tie yet
    TIES[kind](client, session, setting, today() - timedelta(days=days_ago))
    assert _sees(client, setting) is sees


def test_a_school_keeps_its_own_consultation_after_the_child_is_out_of_reach(
    client: TestClient, session: Session, setting: Setting
) -> None:
    consultation = _consultation(
        session, setting, ConsultationStatus.DECLINED, today() - timedelta(days=GRACE + 1)
    )
    assert not _sees(client, setting)
    read = client.get(f"/v1/consultations/{consultation.id}", headers=setting.school)
    assert read.status_code == 200, read.text
    assert read.json()["status"] == "declined"


def test_an_agreed_consultation_lasts_until_its_placement_governs(
    client: TestClient, session: Session, setting: Setting
) -> None:
    long_ago = today() - timedelta(days=3 * 365)
    agreed = _consultation(session, setting, ConsultationStatus.AGREED, long_ago)
    assert _sees(client, setting)
    placement = Placement(
        child_id=uuid.UUID(setting.child_id),
        provision_id=setting.provision_id,
        status=PlacementStatus.ACTIVE,
        starts_on=long_ago,
        annual_cost_pence=1_850_000,
    )
    session.add(placement)
    session.flush()
    agreed.placement_id = placement.id
    session.commit()
    assert _sees(client, setting)  # active: no end
    placement.status = PlacementStatus.ENDED
    placement.ends_on = today() - timedelta(days=GRACE + 1)
    session.commit()
    assert not _sees(client, setting)


def test_a_plan_naming_the_school_ties_it_until_the_plan_ceases(
    client: TestClient, session: Session, setting: Setting
) -> None:
    plan = Plan(
        child_id=uuid.UUID(setting.child_id),
        latest_version_number=1,
        latest_kind="final",
        made_on=today() - timedelta(days=400),
        named_provision_id=setting.provision_id,
    )
    session.add(plan)
    session.commit()
    assert _sees(client, setting)
    plan.ceased_on = today() - timedelta(days=GRACE)
    session.commit()
    assert _sees(client, setting)
    plan.ceased_on = today() - timedelta(days=GRACE + 1)
    session.commit()
    assert not _sees(client, setting)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(["declined consultation", "lapsed consultation", "ended placement"]),
    days_ago=st.integers(min_value=0, max_value=3 * GRACE),
)
def test_the_school_sees_the_child_exactly_while_the_tie_is_under_grace_days_old(
    client: TestClient,
    session: Session,
    officer: dict[str, str],
    auth: Auth,
    kind: str,
    days_ago: int,
) -> None:
    fresh = _new_setting(client, officer, auth)
    TIES[kind](client, session, fresh, today() - timedelta(days=days_ago))
    assert _sees(client, fresh) is (days_ago <= GRACE)
