"""Fixtures: migrations applied once per session on the chosen backend; each test rolled back."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from cases_api.app import create_app
from cases_api.auth.principal import Role
from cases_api.auth.scopes import SERVICE_SCOPES
from cases_api.auth.tokens import mint_local_token
from cases_api.core.db import create_db_engine
from cases_api.migrate import upgrade_to_head
from cases_api.settings import Settings
from cases_api.testing import configured_backend, scratch_database


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cases-data")


@pytest.fixture(scope="session")
def database_url(data_dir: Path) -> Iterator[str]:
    with scratch_database(data_dir) as url:
        yield url


@pytest.fixture(scope="session")
def settings(data_dir: Path, database_url: str) -> Settings:
    return Settings(database_url=database_url, data_dir=data_dir, log_level="WARNING")


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    upgrade_to_head(settings)
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def _session_on(connection: Connection) -> Session:
    return Session(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        autoflush=False,
    )


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    with _session_on(connection) as session:
        yield session


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI, connection: Connection) -> Iterator[TestClient]:
    """An in-process client whose requests commit into the test's rolled-back transaction."""
    app.state.session_factory = lambda: _session_on(connection)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def token(settings: Settings) -> Callable[..., str]:
    def make(role: Role | str = Role.OFFICER, **claims: Any) -> str:
        role = Role(role)
        if role in (Role.OFFICER, Role.SERVICE):
            claims.setdefault("la_code", "855")
        if role is Role.SCHOOL:
            claims.setdefault("school_urns", (120001,))
        if role is Role.PARENT:
            claims.setdefault("guardian_external_id", "guardian-1")
        if role is Role.ADMIN:
            claims.setdefault("la_code", "855")
        if role is Role.SERVICE:  # every scope, unless the test says which
            claims.setdefault("scopes", tuple(SERVICE_SCOPES))
        claims.setdefault("subject", f"test-{role.value}")
        return mint_local_token(settings, role=role, **claims)

    return make


@pytest.fixture
def auth(token: Callable[..., str]) -> Callable[..., dict[str, str]]:
    """Headers with a bearer token for the role (and claims) given, and an access reason (the
    audit requires one on bulk lists, exports and overrides; sent everywhere, it is harmless)."""

    def headers(role: Role | str = Role.OFFICER, **claims: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(role, **claims)}", "X-Access-Reason": "testing"}

    return headers


@pytest.fixture
def officer(auth: Callable[..., dict[str, str]]) -> dict[str, str]:
    return auth(Role.OFFICER)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if configured_backend() == "postgresql":
        return
    skip = pytest.mark.skip(reason="PostgreSQL only: run with `make test-pg`")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def pytest_report_header() -> str:
    return f"cases-api test database: {configured_backend()}"
