"""A release refuses to serve a database whose schema is not the one it was built for: `cases-api
serve` and the app's lifespan (any ASGI server) stop with one line saying what to do, and
`/readyz` answers 503 while the schema is not at head."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from cases_api import cli
from cases_api.app import create_app
from cases_api.core.db import create_db_engine
from cases_api.migrate import alembic_config
from cases_api.schema_check import SchemaNotAtHead, release_heads, require_schema_at_head
from cases_api.settings import Settings, get_settings
from cases_api.testing import scratch_database

# From the migrations themselves, so a new migration changes nothing here.
(HEAD,) = release_heads()
BEHIND = str(
    ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(HEAD).down_revision
)


@pytest.fixture
def scratch_settings(tmp_path: Path) -> Iterator[Settings]:
    with scratch_database(tmp_path, label="schema") as url:
        yield Settings(database_url=url, data_dir=tmp_path, log_level="WARNING")


@pytest.fixture
def scratch_engine(scratch_settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(scratch_settings)
    yield engine
    engine.dispose()


def _migrate(settings: Settings, engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        config = alembic_config(settings.resolved_database_url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_the_release_head_is_one_migration_numbered_after_the_others() -> None:
    assert HEAD.isdigit()
    assert int(BEHIND) < int(HEAD)


def test_an_empty_database_is_refused(scratch_engine: Engine) -> None:
    with pytest.raises(SchemaNotAtHead) as refused:
        require_schema_at_head(scratch_engine)
    assert str(refused.value) == (
        f"database schema has no migration applied, this release needs {HEAD}; "
        "run `cases-api migrate`"
    )


def test_a_database_behind_is_refused(scratch_settings: Settings, scratch_engine: Engine) -> None:
    _migrate(scratch_settings, scratch_engine, BEHIND)
    with pytest.raises(SchemaNotAtHead) as refused:
        require_schema_at_head(scratch_engine)
    assert str(refused.value) == (
        f"database schema is at {BEHIND}, this release needs {HEAD}; run `cases-api migrate`"
    )


def test_a_database_newer_than_the_release_is_refused(
    scratch_settings: Settings, scratch_engine: Engine
) -> None:
    _migrate(scratch_settings, scratch_engine, "heads")
    with scratch_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(SchemaNotAtHead, match="0099, which this release does not know"):
        require_schema_at_head(scratch_engine)


def test_a_database_at_head_is_accepted(scratch_settings: Settings, scratch_engine: Engine) -> None:
    _migrate(scratch_settings, scratch_engine, "heads")
    require_schema_at_head(scratch_engine)


def test_the_app_does_not_start_on_a_schema_behind(
    scratch_settings: Settings, scratch_engine: Engine
) -> None:
    _migrate(scratch_settings, scratch_engine, BEHIND)
    with pytest.raises(SchemaNotAtHead), TestClient(create_app(scratch_settings)):
        pass


def test_serve_exits_with_the_reason(
    scratch_settings: Settings, scratch_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _migrate(scratch_settings, scratch_engine, BEHIND)
    monkeypatch.setenv("CASES_DATABASE_URL", scratch_settings.resolved_database_url)
    monkeypatch.setenv("CASES_DATA_DIR", str(scratch_settings.data_dir))
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main(["serve", "--port", "0"])
    finally:
        get_settings.cache_clear()
    assert exited.value.code == (
        f"cases-api: not starting: database schema is at {BEHIND}, this release needs {HEAD}; "
        "run `cases-api migrate`"
    )


def test_readyz_is_a_503_problem_while_the_schema_is_behind(
    scratch_settings: Settings, scratch_engine: Engine
) -> None:
    _migrate(scratch_settings, scratch_engine, BEHIND)
    app = create_app(scratch_settings)
    try:
        response = TestClient(app).get("/readyz")  # no lifespan: the app would not start
    finally:
        app.state.engine.dispose()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == (
        f"Database schema is at {BEHIND}, this release needs {HEAD}; run `cases-api migrate`."
    )


def test_the_checks_read_without_waiting_for_a_writer(scratch_settings: Settings) -> None:
    """The start-up check and /readyz only read: on SQLite they take no write lock, so a writer
    holding one (a long transaction, a migration's neighbour) neither delays nor fails them."""
    settings = scratch_settings.model_copy(update={"sqlite_busy_timeout_s": 0.05})
    engine = create_db_engine(settings)
    try:
        _migrate(settings, engine, HEAD)
        with engine.connect() as writer:
            writer.execute(text("SELECT 1"))  # a write transaction is open (on SQLite, IMMEDIATE)
            require_schema_at_head(engine)
            with TestClient(create_app(settings)) as client:
                assert client.get("/readyz").json() == {"status": "ready"}
    finally:
        engine.dispose()
