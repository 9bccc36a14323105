"""Alembic, driven from code: the same configuration for the CLI, the app and the tests."""

from alembic import command
from alembic.config import Config

from cases_api.core.db import create_db_engine
from cases_api.settings import Settings

# A package location, so the migrations are found wherever the wheel is installed.
SCRIPT_LOCATION = "cases_api:migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for this database."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


def upgrade_to_head(settings: Settings) -> None:
    """Apply every migration not yet applied, in one transaction (PostgreSQL and SQLite)."""
    engine = create_db_engine(settings)
    try:
        with engine.begin() as connection:
            config = alembic_config(settings.resolved_database_url)
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    finally:
        engine.dispose()
