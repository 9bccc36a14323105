"""Races on PostgreSQL, each request its own HTTP call, session and committed transaction:
simultaneous receipts for one child, and simultaneous decisions on one request."""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cases_api.app import create_app
from cases_api.assessments.models import AssessmentRequest, RequestSource
from cases_api.auth.principal import Role
from cases_api.auth.tokens import mint_local_token
from cases_api.children.models import Child, SenStatus, Sex
from cases_api.core.db import create_db_engine
from cases_api.migrate import upgrade_to_head
from cases_api.settings import Settings
from cases_api.statutory import RequestState
from cases_api.testing import scratch_database

CALLERS = 20


@pytest.fixture
def scratch_settings(tmp_path: Path) -> Iterator[Settings]:
    with scratch_database(tmp_path, label="assessments") as url:
        settings = Settings(
            database_url=url,
            data_dir=tmp_path,
            log_level="WARNING",
            db_pool_size=CALLERS + 5,
            db_max_overflow=0,
            db_pool_timeout_s=30,
        )
        upgrade_to_head(settings)
        yield settings


def _seed_child(settings: Settings, *, with_request: bool) -> tuple[str, str | None]:
    engine = create_db_engine(settings)
    try:
        with Session(engine) as session, session.begin():
            child = Child(
                la_code="855",
                given_name="Race",
                family_name="Test",
                date_of_birth=date(2016, 5, 1),
                sex=Sex.MALE,
                home_postcode="LE11 3TU",
                sen_status=SenStatus.SEN_SUPPORT,
            )
            session.add(child)
            request = None
            if with_request:
                request = AssessmentRequest(
                    child=child,
                    la_code="855",
                    source=RequestSource.SCHOOL,
                    received_on=date(2025, 1, 6),
                    state=RequestState.RECEIVED,
                )
                session.add(request)
            session.flush()
            return str(child.id), str(request.id) if request is not None else None
    finally:
        engine.dispose()


def _race(
    settings: Settings, call: Callable[[TestClient, dict[str, str], int], Any]
) -> Counter[int]:
    app: FastAPI = create_app(settings)
    token = mint_local_token(settings, role=Role.OFFICER, subject="t", la_code="855")
    headers = {"Authorization": f"Bearer {token}"}
    start = threading.Barrier(CALLERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        client = TestClient(app)  # no lifespan: the app's engine outlives each client
        start.wait()
        response = call(client, headers, number)
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    app.state.engine.dispose()
    return Counter(statuses)


@pytest.mark.postgres_only
@pytest.mark.slow
def test_simultaneous_receipts_open_one_request(scratch_settings: Settings) -> None:
    child_id, _ = _seed_child(scratch_settings, with_request=False)
    body = {"child_id": child_id, "source": "parent", "received_on": "2025-01-06"}
    statuses = _race(
        scratch_settings,
        lambda client, headers, _: client.post(
            "/v1/assessment-requests", json=body, headers=headers
        ),
    )
    assert statuses == {201: 1, 409: CALLERS - 1}


@pytest.mark.postgres_only
@pytest.mark.slow
def test_simultaneous_decisions_record_one(scratch_settings: Settings) -> None:
    _, request_id = _seed_child(scratch_settings, with_request=True)
    targets = ("decided_to_assess", "refused_to_assess")
    statuses = _race(
        scratch_settings,
        lambda client, headers, number: client.post(
            f"/v1/assessment-requests/{request_id}/transitions",
            json={"to_state": targets[number % 2], "occurred_on": "2025-02-10"},
            headers=headers,
        ),
    )
    assert statuses == {200: 1, 409: CALLERS - 1}
