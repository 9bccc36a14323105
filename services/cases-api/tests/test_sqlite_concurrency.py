"""The embedded database under concurrent readers and writers: WAL, reads that take no write
lock, writers that queue, and a busy database said to be busy (not down)."""

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa
from cases_factories import child_body
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cases_api.app import create_app
from cases_api.audit.models import AuditEvent
from cases_api.auth.principal import Role
from cases_api.auth.tokens import mint_local_token
from cases_api.children.models import Child
from cases_api.core.db import read_only
from cases_api.migrate import upgrade_to_head
from cases_api.settings import Settings
from cases_api.testing import configured_backend, scratch_database

READERS, WRITERS, CALLS = 8, 4, 6

pytestmark = pytest.mark.slow
sqlite_only = pytest.mark.skipif(
    configured_backend() != "sqlite", reason="the embedded database's own behaviour"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    directory: Path = tmp_path_factory.mktemp("embedded")
    with scratch_database(directory, label="embedded") as url:
        settings = Settings(database_url=url, data_dir=directory, log_level="CRITICAL")
        upgrade_to_head(settings)
        app = create_app(settings)
        yield app
        app.state.engine.dispose()


def _officer(app: FastAPI) -> dict[str, str]:
    token = mint_local_token(app.state.settings, role=Role.OFFICER, subject="t", la_code="855")
    return {"Authorization": f"Bearer {token}", "X-Access-Reason": "testing"}


def _audit_rows(app: FastAPI) -> int:
    with Session(app.state.engine) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0


def test_readers_and_writers_together_get_no_503(app: FastAPI) -> None:
    officer = _officer(app)
    setup = TestClient(app)
    child_ids = [
        setup.post("/v1/children", json=child_body(), headers=officer).json()["id"]
        for _ in range(3)
    ]
    audit_before = _audit_rows(app)
    start = threading.Barrier(READERS + WRITERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def reader(number: int) -> None:
        client = TestClient(app)
        start.wait()
        for call in range(CALLS):
            path = (
                "/v1/children?limit=50"
                if call % 2
                else f"/v1/children/{child_ids[(number + call) % len(child_ids)]}"
            )
            response = client.get(path, headers=officer)
            with lock:
                statuses.append(response.status_code)

    def writer(_: int) -> None:
        client = TestClient(app)
        start.wait()
        for _ in range(CALLS):
            created = client.post("/v1/children", json=child_body(), headers=officer)
            changed: httpx2.Response | None = None
            if created.status_code == 201:
                changed = client.patch(
                    f"/v1/children/{created.json()['id']}",
                    json={"needs": ["ASD", "SLCN"]},
                    headers=officer | {"If-Match": created.headers["ETag"]},
                )
            with lock:
                statuses.append(created.status_code)
                if changed is not None:
                    statuses.append(changed.status_code)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)] + [
        threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    counts = Counter(statuses)
    assert counts == {200: READERS * CALLS + WRITERS * CALLS, 201: WRITERS * CALLS}, counts
    # Every answer, reads included, left its audit row.
    assert _audit_rows(app) - audit_before == len(statuses)


@sqlite_only
def test_wal_is_on_and_commits_are_synced(app: FastAPI) -> None:
    with app.state.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


@sqlite_only
def test_a_read_takes_no_write_lock(app: FastAPI) -> None:
    database = app.state.engine.url.database
    with read_only(app.state.session_factory()) as reading:
        before = reading.scalar(sa.select(sa.func.count()).select_from(Child))
        # While the read is open, another process's writer gets the lock at once and commits.
        writer = sqlite3.connect(database, timeout=0, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO audit_events (id, occurred_at, subject, role, school_urns, action, "
            "resource_type, operation_id, method, path, outcome) VALUES "
            "(lower(hex(randomblob(16))), '2026-01-01 00:00:00', 'x', 'officer', '[]', 'read', "
            "'children', 'getChild', 'GET', '/', 200)"
        )
        writer.execute("COMMIT")
        writer.close()
        # …and the read still sees its own snapshot.
        assert reading.scalar(sa.select(sa.func.count()).select_from(Child)) == before


@sqlite_only
def test_a_busy_database_is_a_503_that_says_so(app: FastAPI) -> None:
    database = app.state.engine.url.database
    holder = sqlite3.connect(database, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    app.state.engine.pool.dispose()
    settings = app.state.settings
    quick = create_app(settings.model_copy(update={"sqlite_busy_timeout_s": 0.2}))
    try:
        started = time.monotonic()
        response = TestClient(quick).post(
            "/v1/children", json=child_body(), headers=_officer(quick)
        )
        assert time.monotonic() - started < 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        quick.state.engine.dispose()
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "1"
    assert response.json()["type"] == "/problems/database-busy"
    assert "busy" in response.json()["detail"]
