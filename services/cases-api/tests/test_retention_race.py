"""A legal hold racing the purge on PostgreSQL, each in its own connection and transaction: both
take the child's row lock before deciding, so whichever comes second waits and then sees what
the first did. A hold never lands on a purged child, and a purge never disposes of a held one."""

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from cases_api.access import Scope
from cases_api.app import create_app
from cases_api.auth.principal import Principal, Role
from cases_api.auth.tokens import mint_local_token
from cases_api.children.models import Child, SenStatus, Sex
from cases_api.core.db import create_db_engine
from cases_api.migrate import upgrade_to_head
from cases_api.privacy.models import DisposalTombstone, LegalHold
from cases_api.privacy.purge import PurgeResult, purge_due, purge_one
from cases_api.privacy.schemas import LegalHoldCreate
from cases_api.privacy.service import place_legal_hold
from cases_api.settings import Settings
from cases_api.testing import scratch_database

AS_OF = date(2026, 6, 15)
OFFICER = Principal(subject="officer-holds", role=Role.OFFICER, la_code="855")
# Long enough for any machine to start the second transaction; the test ends as soon as it waits.
WAIT_FOR_LOCK_S = 60.0

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    with scratch_database(tmp_path, label="holds") as url:
        settings = Settings(database_url=url, data_dir=tmp_path, log_level="WARNING")
        upgrade_to_head(settings)
        yield settings


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def due_child(engine: Engine) -> uuid.UUID:
    """A child of LA 855 born in 1990 with no plan: due for disposal at 25, on 1 January 2015."""
    with Session(engine) as session, session.begin():
        child = Child(
            la_code="855",
            given_name="Ada",
            family_name="Race",
            date_of_birth=date(1990, 1, 1),
            sex=Sex.FEMALE,
            home_postcode="LE11 3TU",
            sen_status=SenStatus.EHC_PLAN,
        )
        session.add(child)
        session.flush()
        return child.id


def _wait_until_a_transaction_waits_for_a_lock(engine: Engine) -> None:
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + WAIT_FOR_LOCK_S
    with engine.connect() as connection:
        while connection.scalar(query) == 0:
            assert time.monotonic() < deadline, "the second transaction never waited"
            time.sleep(0.02)
            connection.rollback()


def _in_thread(work: Any) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []
    thread = threading.Thread(target=lambda: outcome.append(work()))
    thread.start()
    return thread, outcome


def test_a_hold_asked_for_while_the_purge_decides_waits_and_finds_no_child(
    settings: Settings, engine: Engine, due_child: uuid.UUID
) -> None:
    app = create_app(settings)
    token = mint_local_token(settings, role=Role.OFFICER, subject="officer-holds", la_code="855")
    headers = {"Authorization": f"Bearer {token}", "X-Access-Reason": "claim expected"}
    client = TestClient(app)  # no lifespan: the app's engine outlives the client

    with Session(engine) as purging:
        result = purge_one(
            purging, child_id=due_child, as_of=AS_OF, purged_by="cli:race", dry_run=False
        )
        assert result is not None
        assert result.purged
        thread, answers = _in_thread(
            lambda: client.post(
                f"/v1/children/{due_child}/legal-hold",
                json={"reason": "A claim is expected."},
                headers=headers,
            )
        )
        _wait_until_a_transaction_waits_for_a_lock(engine)
        purging.commit()
    thread.join(timeout=WAIT_FOR_LOCK_S)
    app.state.engine.dispose()

    (response,) = answers
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(LegalHold)) == 0
        assert session.get(Child, due_child) is None
        assert session.get(DisposalTombstone, due_child) is not None


def test_a_purge_that_meets_a_hold_being_placed_waits_and_keeps_the_child(
    engine: Engine, due_child: uuid.UUID
) -> None:
    with Session(engine) as holding:
        place_legal_hold(
            holding,
            child_id=due_child,
            data=LegalHoldCreate(reason="A claim is expected."),
            scope=Scope(OFFICER),
        )
        thread, outcome = _in_thread(
            lambda: purge_due(
                sessionmaker(engine), as_of=AS_OF, purged_by="cli:race", dry_run=False
            )
        )
        _wait_until_a_transaction_waits_for_a_lock(engine)
        holding.commit()
    thread.join(timeout=WAIT_FOR_LOCK_S)

    (results,) = outcome
    assert results == [
        PurgeResult(
            child_id=due_child,
            rule="send_record",
            due_on=date(2015, 1, 1),
            purged=False,
            skipped_because="legal hold",
        )
    ]
    with Session(engine) as session:
        assert session.get(Child, due_child) is not None
        assert session.get(LegalHold, due_child) is not None
        assert session.get(DisposalTombstone, due_child) is None
