"""The database: declarative base, engine and session factory for SQLite and PostgreSQL."""

import math
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Dialect, Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator

from cases_api.settings import Settings

# Stable constraint names, so migrations can drop and alter them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every ORM model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _haversine_safe_asin(x: float) -> float:
    return math.asin(min(1.0, max(-1.0, x)))


_SQLITE_MATH: dict[str, Any] = {
    "sin": math.sin,
    "cos": math.cos,
    "asin": _haversine_safe_asin,
    "sqrt": math.sqrt,
    "radians": math.radians,
}


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _: ConnectionPoolEntry) -> None:
        # pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN; take it over
        # (SQLAlchemy's documented recipe) so SQLite behaves transactionally like PostgreSQL.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        dbapi_connection.execute("PRAGMA busy_timeout = 5000")
        # Not every SQLite build has the math functions the distance filter uses.
        for name, function in _SQLITE_MATH.items():
            dbapi_connection.create_function(name, 1, function, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_db_engine(settings: Settings, *, url: str | None = None) -> Engine:
    """An engine for the configured database, tuned for the backend in use."""
    database_url = url or settings.resolved_database_url
    if database_url.startswith("sqlite"):
        database_file = make_url(database_url).database
        if database_file and database_file != ":memory:":
            Path(database_file).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url, connect_args={"check_same_thread": False, "timeout": 5}
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_s,
        pool_pre_ping=True,
    )


def create_session_factory(engine: Engine) -> sessionmaker[Any]:
    """Sessions that keep loaded values after commit, so responses serialise without reloading."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both backends (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
