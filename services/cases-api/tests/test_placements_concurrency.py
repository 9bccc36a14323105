"""The capacity invariant under real concurrency on PostgreSQL: 50 simultaneous placement requests
for 5 free places, each its own HTTP request, session, connection and committed transaction."""

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cases_api.app import create_app
from cases_api.auth.principal import Role
from cases_api.auth.tokens import mint_local_token
from cases_api.children.models import Child, SenStatus, Sex
from cases_api.core.db import create_db_engine
from cases_api.migrate import upgrade_to_head
from cases_api.placements.models import Placement
from cases_api.provisions.models import Establishment, EstablishmentStatus, Phase, Provision
from cases_api.settings import Settings
from cases_api.testing import scratch_database
from send_contracts import ProvisionKind

REQUESTS = 50
TOTAL, TAKEN = 20, 15


@pytest.fixture
def scratch_settings(tmp_path: Path) -> Iterator[Settings]:
    with scratch_database(tmp_path, label="placements") as url:
        settings = Settings(
            database_url=url,
            data_dir=tmp_path,
            log_level="WARNING",
            db_pool_size=REQUESTS + 5,
            db_max_overflow=0,
            db_pool_timeout_s=30,
        )
        upgrade_to_head(settings)
        yield settings


def _seed(settings: Settings) -> tuple[str, list[str]]:
    engine = create_db_engine(settings)
    try:
        with Session(engine) as session, session.begin():
            session.add(
                Establishment(
                    urn=140001,
                    name="Castle Rock High School",
                    la_code="855",
                    establishment_type="Academy converter",
                    phase=Phase.SECONDARY,
                    statutory_low_age=11,
                    statutory_high_age=18,
                    postcode="LE11 3TU",
                    latitude=52.772,
                    longitude=-1.206,
                    status=EstablishmentStatus.OPEN,
                )
            )
            provision = Provision(
                establishment_urn=140001,
                name="Castle Rock ASD Resource Base",
                kind=ProvisionKind.RESOURCE_BASE,
                min_age=11,
                max_age=16,
                places_total=TOTAL,
                places_taken=TAKEN,
                place_funding_pence=600_000,
                top_up_pence=1_250_000,
                figures_as_of=date(2026, 9, 1),
            )
            children = [
                Child(
                    la_code="855",
                    given_name=f"Child{n}",
                    family_name="Test",
                    date_of_birth=date(2014, 5, 1),
                    sex=Sex.FEMALE,
                    home_postcode="LE11 3TU",
                    sen_status=SenStatus.EHC_PLAN,
                )
                for n in range(REQUESTS)
            ]
            session.add_all([provision, *children])
            session.flush()
            return str(provision.id), [str(child.id) for child in children]
    finally:
        engine.dispose()


@pytest.mark.postgres_only
@pytest.mark.slow
def test_fifty_parallel_placements_into_five_free_places(scratch_settings: Settings) -> None:
    provision_id, child_ids = _seed(scratch_settings)
    app: FastAPI = create_app(scratch_settings)
    token = mint_local_token(scratch_settings, role=Role.OFFICER, subject="t", la_code="855")
    headers = {"Authorization": f"Bearer {token}"}
    start = threading.Barrier(REQUESTS)
    answers: list[tuple[int, dict[str, object]]] = []
    lock = threading.Lock()

    def place(child_id: str) -> None:
        client = TestClient(app)  # no lifespan: the app's engine outlives each client
        body = {"child_id": child_id, "provision_id": provision_id, "starts_on": "2026-09-03"}
        start.wait()
        response = client.post("/v1/placements", json=body, headers=headers)
        with lock:
            answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=place, args=(child_id,)) for child_id in child_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    app.state.engine.dispose()

    assert Counter(status for status, _ in answers) == {201: 5, 409: 45}
    refusals = [body for status, body in answers if status == 409]
    assert all(body["type"] == "/problems/no-free-place" for body in refusals)
    assert all("all 20 places are taken" in str(body["detail"]) for body in refusals)

    engine = create_db_engine(scratch_settings)
    try:
        with engine.connect() as connection:
            taken, total, version = connection.execute(
                sa.select(Provision.places_taken, Provision.places_total, Provision.version)
            ).one()
            placements = connection.scalar(sa.select(sa.func.count()).select_from(Placement))
    finally:
        engine.dispose()
    assert (taken, total) == (TOTAL, TOTAL)
    assert version == 1 + 5  # every place taken moved the ETag
    assert placements == 5
