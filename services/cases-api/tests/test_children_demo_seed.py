"""The demo children: about 3,000 in LA 855, requests in every stage, lawful histories, DfE mixes."""

import random
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cases_api.assessments.clock import timeline_of
from cases_api.assessments.models import AssessmentRequest
from cases_api.children.models import Child, ChildGuardian, ChildNeed, Guardian
from cases_api.demo.children_seed import CHILDREN, DEMO_PARENT_ID, REQUESTS, seed_children
from cases_api.demo.request_timelines import simulate_request
from cases_api.demo.seed import seed_directory, seed_if_empty
from cases_api.migrate import upgrade_to_head
from cases_api.settings import Settings
from cases_api.statutory import RequestState, allowed_transitions
from cases_api.testing import scratch_database

TODAY = date(2026, 11, 29)


@pytest.fixture
def demo(session: Session) -> None:
    """The demo county and children inside the test's transaction (timed by `make run`, not here:
    these machines are too noisy for timed assertions)."""
    seed_directory(session)
    seed_children(session, today=TODAY)
    session.commit()


def test_the_county_has_its_children_requests_and_guardians(session: Session, demo: None) -> None:
    count = session.scalar(
        sa.select(sa.func.count()).select_from(Child).where(Child.la_code == "855")
    )
    assert count == CHILDREN
    assert session.scalar(sa.select(sa.func.count()).select_from(AssessmentRequest)) == REQUESTS
    assert session.scalar(sa.select(sa.func.count()).select_from(Guardian)) > CHILDREN // 2
    states = Counter(session.scalars(sa.select(AssessmentRequest.state)))
    assert set(states) == set(RequestState)
    assert states[RequestState.FINAL_ISSUED] > states[RequestState.REFUSED_TO_ASSESS]


def test_every_seeded_history_is_lawful(session: Session, demo: None) -> None:
    for request in session.scalars(sa.select(AssessmentRequest)):
        timeline_of(request)  # raises if the dates break a statutory rule
        state = RequestState.RECEIVED
        for step in request.transitions:
            assert step.from_state is state
            assert step.to_state in allowed_transitions(state)
            state = step.to_state
        assert state is request.state


def test_needs_follow_the_dfe_mix(session: Session, demo: None) -> None:
    primary = Counter(session.scalars(sa.select(ChildNeed.need).where(ChildNeed.rank == 1)))
    assert [need for need, _ in primary.most_common(3)] == ["ASD", "SLCN", "SEMH"]


def test_the_development_parent_sees_two_verified_children(session: Session, demo: None) -> None:
    links = session.scalars(
        sa.select(ChildGuardian).join(Guardian).where(Guardian.external_id == DEMO_PARENT_ID)
    ).all()
    assert len(links) == 2
    assert all(link.verified for link in links)


def test_the_views_work_on_the_demo_county(
    client: TestClient, officer: dict[str, str], demo: None
) -> None:
    overdue = client.get(
        "/v1/assessment-requests/overdue/count",
        params={"as_of": TODAY.isoformat()},
        headers=officer,
    )
    assert overdue.status_code == 200
    assert overdue.json()["count"] > 0
    compliance = client.get(
        "/v1/assessment-requests/compliance",
        params={"period_from": "2025-11-30", "period_to": TODAY.isoformat()},
        headers=officer,
    ).json()
    # England 2024: 45.9% of new plans within 20 weeks; 6.1% with an exception.
    assert 0.35 < compliance["all_plans"]["rate"] < 0.55
    excluded = compliance["all_plans"]["issued"] - compliance["excluding_exception_cases"]["issued"]
    assert 0.01 < excluded / compliance["all_plans"]["issued"] < 0.12
    page = client.get("/v1/children", params={"la_code": "855", "limit": 500}, headers=officer)
    assert len(page.json()["items"]) == 500


def test_histories_are_deterministic() -> None:
    def histories() -> list[object]:
        rng = random.Random(7)
        return [simulate_request(rng, received_on=date(2026, 1, 5), today=TODAY) for _ in range(50)]

    assert histories() == histories()


def test_seed_if_empty_seeds_once(tmp_path: Path) -> None:
    with scratch_database(tmp_path, label="seed") as url:
        settings = Settings(database_url=url, data_dir=tmp_path, log_level="WARNING")
        upgrade_to_head(settings)
        assert seed_if_empty(settings) is True
        assert seed_if_empty(settings) is False
