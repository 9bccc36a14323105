"""The Alembic migrations, checked by pytest-alembic on the configured backend (SQLite or PostgreSQL):
one head, upgrade from empty, models match the migrated schema, and every step downgrades cleanly."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.config import Config
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine

from cases_api.core.db import create_db_engine
from cases_api.migrate import alembic_config as build_alembic_config
from cases_api.settings import Settings
from cases_api.testing import scratch_database

__all__ = [
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    with scratch_database(tmp_path, label="migrations") as url:
        yield url


@pytest.fixture
def alembic_config(empty_database_url: str) -> Config:
    return build_alembic_config(empty_database_url)


@pytest.fixture
def alembic_engine(empty_database_url: str, tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(Settings(data_dir=tmp_path), url=empty_database_url)
    yield engine
    engine.dispose()
