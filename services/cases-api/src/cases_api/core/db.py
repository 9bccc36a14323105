"""The database: declarative base, engine and session factory for SQLite and PostgreSQL."""

import math
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Dialect, Engine, MetaData, create_engine, event, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import immutabledict

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


# The execution option that marks a connection's transaction as one that only reads.
READ_ONLY = "cases_read_only"


def read_only(session: Session) -> Session:
    """Mark the session's next transaction as one that only reads (when it first connects).

    On SQLite it begins DEFERRED instead of IMMEDIATE: it takes no write lock, and in WAL mode it
    reads its own snapshot while writers commit. It must not write: a deferred transaction that
    read first cannot take the write lock once another writer has committed (SQLITE_BUSY_SNAPSHOT,
    which no busy timeout helps). On PostgreSQL the option changes nothing."""
    session.execution_options = session.execution_options.union({READ_ONLY: True})
    return session


def is_read_only(session: Session) -> bool:
    """Whether `read_only` marked this session."""
    return bool(session.execution_options.get(READ_ONLY))


def end_read(session: Session) -> None:
    """Commit the read-only transaction; the session's next transaction may write."""
    session.commit()
    session.execution_options = immutabledict(
        {key: value for key, value in session.execution_options.items() if key != READ_ONLY}
    )


class _QueuedWriterConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions queue on a lock of this process first.

    SQLite's own busy handler polls, sleeping up to 100 ms between tries, so under contention a
    waiting writer can miss its turn again and again (p99 in seconds). Writers of this process
    instead wait on one lock and are woken as soon as the writer before them commits; SQLite's lock
    still guards the file from other processes. The class gets its lock per engine (`_factory`)."""

    write_queue: threading.Lock
    holds_write_queue = False

    def queue_for_write(self, timeout_s: float) -> None:
        if not self.write_queue.acquire(timeout=timeout_s):
            busy = sqlite3.OperationalError("database is locked (writers queued in this process)")
            busy.sqlite_errorcode = sqlite3.SQLITE_BUSY
            raise OperationalError("BEGIN IMMEDIATE", None, busy)
        self.holds_write_queue = True

    def _leave_write_queue(self) -> None:
        if self.holds_write_queue:
            self.holds_write_queue = False
            self.write_queue.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._leave_write_queue()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._leave_write_queue()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._leave_write_queue()


def _factory() -> type[_QueuedWriterConnection]:
    return type(
        "QueuedWriterConnection", (_QueuedWriterConnection,), {"write_queue": threading.Lock()}
    )


def _configure_sqlite(engine: Engine, settings: Settings) -> None:
    journal_mode = settings.sqlite_journal_mode.upper()
    synchronous = settings.sqlite_synchronous.upper()
    busy_timeout_ms = int(settings.sqlite_busy_timeout_s * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _: ConnectionPoolEntry) -> None:
        # pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN; take it over
        # (SQLAlchemy's documented recipe) so SQLite behaves transactionally like PostgreSQL.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        dbapi_connection.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        # WAL: readers never block the writer nor wait for it. Set on every connection (it
        # persists in the file, but a file made elsewhere may not have it). FULL syncs the WAL at
        # every commit: a write acknowledged is on disk, even after a power cut.
        dbapi_connection.execute(f"PRAGMA journal_mode = {journal_mode}")
        dbapi_connection.execute(f"PRAGMA synchronous = {synchronous}")
        # Not every SQLite build has the math functions the distance filter uses.
        for name, function in _SQLITE_MATH.items():
            dbapi_connection.create_function(name, 1, function, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock at BEGIN, so they queue (up to the busy timeout) rather than
        # fail on upgrading, and a write transaction is serial: `open_round_for_write` relies on
        # it. Transactions marked read-only take no lock at all.
        if connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN")
            return
        dbapi_connection = connection.connection.dbapi_connection
        if isinstance(dbapi_connection, _QueuedWriterConnection):
            dbapi_connection.queue_for_write(settings.sqlite_busy_timeout_s)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if isinstance(dbapi_connection, _QueuedWriterConnection):
                dbapi_connection.rollback()  # nothing begun: it only leaves the queue
            raise


def create_db_engine(settings: Settings, *, url: str | None = None) -> Engine:
    """An engine for the configured database, tuned for the backend in use."""
    database_url = url or settings.resolved_database_url
    if database_url.startswith("sqlite"):
        database_file = make_url(database_url).database
        if database_file and database_file != ":memory:":
            Path(database_file).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.sqlite_busy_timeout_s,
                "factory": _factory(),
            },
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout_s,
        )
        _configure_sqlite(engine, settings)
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
