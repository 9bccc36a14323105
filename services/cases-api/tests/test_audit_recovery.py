"""Audit events of calls refused while the database was down are logged whole, and
`cases-api audit-recover` puts them into the trail afterwards, once only."""

import json
import logging
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from cases_factories import child_body
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from cases_api.app import create_app
from cases_api.audit.models import AuditEvent
from cases_api.auth.principal import Role
from cases_api.auth.tokens import mint_local_token
from cases_api.cli import main
from cases_api.migrate import upgrade_to_head
from cases_api.settings import Settings, get_settings
from cases_api.testing import scratch_database
from send_contracts.logs import log_formatter

# Nothing listens on port 1: every connection is refused at once, as when the server is down.
DOWN_URL = "postgresql+psycopg://nobody@127.0.0.1:1/gone"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    with scratch_database(tmp_path, label="recover") as url:
        settings = Settings(database_url=url, data_dir=tmp_path, log_level="WARNING")
        upgrade_to_head(settings)
        monkeypatch.setenv("CASES_DATABASE_URL", url)
        monkeypatch.setenv("CASES_DATA_DIR", str(tmp_path))
        get_settings.cache_clear()
        app = create_app(settings)
        yield app
        app.state.engine.dispose()
        get_settings.cache_clear()


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The process's JSON log lines, as a deployment would collect them."""
    path = tmp_path / "cases-api.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(log_formatter(json=True))
    logging.getLogger().addHandler(handler)
    yield path
    logging.getLogger().removeHandler(handler)
    handler.close()


def _trail(app: FastAPI) -> list[AuditEvent]:
    with Session(app.state.engine) as session:
        return list(session.scalars(sa.select(AuditEvent).order_by(AuditEvent.occurred_at)))


def _calls_while_down(app: FastAPI) -> list[str]:
    """Three calls refused with 503 while the database is unreachable; their request ids."""
    token = mint_local_token(app.state.settings, role=Role.OFFICER, subject="ann", la_code="855")
    headers = {"Authorization": f"Bearer {token}", "X-Access-Reason": "outage drill"}
    healthy = app.state.session_factory
    down = sa.create_engine(DOWN_URL, poolclass=sa.NullPool)
    app.state.session_factory = sessionmaker(bind=down)
    calls = [
        ("GET", f"/v1/children/{uuid.uuid4()}", None),
        ("POST", "/v1/children", child_body()),
        ("GET", "/v1/provisions?limit=5", None),
    ]
    try:
        with TestClient(app) as client:
            for number, (method, path, body) in enumerate(calls):
                response = client.request(
                    method, path, json=body, headers=headers | {"X-Request-ID": f"down-{number}"}
                )
                assert response.status_code == 503, response.text
                assert response.json()["type"] == "/problems/database-unavailable"
    finally:
        app.state.session_factory = healthy
        down.dispose()
    return [f"down-{number}" for number in range(len(calls))]


def test_events_logged_during_an_outage_are_recovered_once(
    app: FastAPI, log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request_ids = _calls_while_down(app)
    logged = [
        json.loads(line)
        for line in log_file.read_text().splitlines()
        if '"audit_event_not_written"' in line
    ]
    assert [line["audit_event"]["request_id"] for line in logged] == request_ids
    assert _trail(app) == []
    with log_file.open("a") as extra:  # other lines of a real log are passed over
        extra.write('uvicorn says hello\n{"event": "request", "status": 200}\n')

    main(["audit-recover", str(log_file)])
    assert "3 events not written, 3 inserted, 0 already in the trail" in capsys.readouterr().out
    trail = _trail(app)
    assert {str(event.id) for event in trail} == {line["audit_event"]["id"] for line in logged}
    read, write, listing = sorted(trail, key=lambda event: event.request_id or "")
    assert (read.operation_id, read.method, read.outcome) == ("getChild", "GET", 503)
    assert read.child_id is not None
    assert read.path == f"/v1/children/{read.child_id}"
    assert (write.operation_id, write.action.value, write.outcome) == ("createChild", "write", 503)
    assert (listing.operation_id, listing.reason) == ("listProvisions", "outage drill")
    assert {(e.subject, e.role, e.la_code, tuple(e.school_urns)) for e in trail} == {
        ("ann", "officer", "855", ())
    }
    occurred = {
        line["audit_event"]["id"]: datetime.fromisoformat(line["audit_event"]["occurred_at"])
        for line in logged
    }
    assert all(event.occurred_at == occurred[str(event.id)] for event in trail)

    main(["audit-recover", str(log_file), str(log_file)])
    assert capsys.readouterr().out.count("0 inserted, 3 already in the trail") == 2
    assert len(_trail(app)) == 3


def test_broken_lines_are_reported_and_skipped(
    app: FastAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "broken.log"
    log.write_text(
        '{"event": "audit_event_not_written", "audit_event": {"id": "nope"}}\n'
        '{"event": "audit_event_not_written", cut short\n'
    )
    main(["audit-recover", str(log)])
    captured = capsys.readouterr()
    assert "0 events not written, 0 inserted, 0 already in the trail, 2 unreadable" in captured.out
    assert "line 1: " in captured.err
    assert "line 2: not JSON" in captured.err
    assert _trail(app) == []
