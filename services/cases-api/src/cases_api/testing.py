"""Test support shared by the cases API's tests and the cross-service tests: scratch databases."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

DEFAULT_TEST_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def configured_backend() -> str:
    """`sqlite` (default) or `postgresql`, from CASES_TEST_DATABASE."""
    backend = os.environ.get("CASES_TEST_DATABASE", "sqlite")
    if backend not in {"sqlite", "postgresql"}:
        raise ValueError(f"CASES_TEST_DATABASE must be sqlite or postgresql, not {backend!r}")
    return backend


@contextmanager
def scratch_database(directory: Path, *, label: str = "cases") -> Iterator[str]:
    """A new, empty database for the configured backend; dropped afterwards."""
    if configured_backend() == "sqlite":
        yield f"sqlite:///{directory / f'{label}-{uuid.uuid4().hex[:8]}.db'}"
        return
    server_url = make_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_TEST_POSTGRES_URL))
    name = f"{label}_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
