"""Alembic environment: batch mode (so ALTERs work on SQLite) and the project's metadata."""

from alembic import context
from sqlalchemy import Connection, Engine, create_engine, pool

from cases_api.models import Base
from cases_api.settings import get_settings

config = context.config
target_metadata = Base.metadata


def _database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # The app and the tests hand over a Connection (or, pytest-alembic, an Engine).
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _run_on(given)
        return
    engine = given if isinstance(given, Engine) else None
    engine = engine or create_engine(_database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run_on(connection)
        connection.commit()
    if given is None:
        engine.dispose()


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
