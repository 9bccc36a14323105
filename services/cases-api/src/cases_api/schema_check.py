"""Is the database's schema the one this release was built for? Migrations run as their own step
(`cases-api migrate`), so a replica checks before it serves and `/readyz` keeps checking."""

import threading
import time
from dataclasses import dataclass
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from cases_api.core.db import READ_ONLY
from cases_api.migrate import alembic_config

# How long /readyz trusts its last look at alembic_version: a migration is rare, a probe is not.
SCHEMA_CHECK_TTL_S = 30.0


@dataclass(frozen=True)
class SchemaState:
    database: tuple[str, ...]
    release: tuple[str, ...]
    known: bool  # every revision of the database is one this release ships

    @property
    def at_head(self) -> bool:
        return set(self.database) == set(self.release)

    def describe(self) -> str:
        """One line an operator can act on."""
        needs = _names(self.release)
        if not self.database:
            return (
                f"database schema has no migration applied, this release needs {needs}; "
                "run `cases-api migrate`"
            )
        found = _names(self.database)
        if not self.known:
            return (
                f"database schema is at {found}, which this release does not know (it needs "
                f"{needs}): the database is newer than this release; deploy the release that "
                "migrated it"
            )
        return f"database schema is at {found}, this release needs {needs}; run `cases-api migrate`"


class SchemaNotAtHead(RuntimeError):
    """The database's schema is not the one this release needs."""


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def release_heads() -> tuple[str, ...]:
    """The newest revision(s) this release ships."""
    return tuple(sorted(_script().get_heads()))


def schema_state(connection: Connection) -> SchemaState:
    """The database's revision(s) against this release's."""
    database = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    script = _script()
    known = all(_is_known(script, revision) for revision in database)
    return SchemaState(database=database, release=release_heads(), known=known)


def require_schema_at_head(engine: Engine) -> None:
    """Raise SchemaNotAtHead with the one-line reason unless the schema is at head."""
    # Read-only: on SQLite a plain connection begins IMMEDIATE and would queue behind any writer.
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        state = schema_state(connection)
    if not state.at_head:
        raise SchemaNotAtHead(state.describe())


class CachedSchemaCheck:
    """The last answer of `schema_state`, for `ttl_s` seconds (thread-safe: routes run in threads)."""

    def __init__(self, ttl_s: float = SCHEMA_CHECK_TTL_S) -> None:
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._state: SchemaState | None = None
        self._checked_at = 0.0

    def state(self, connection: Connection) -> SchemaState:
        with self._lock:
            now = time.monotonic()
            if self._state is None or now - self._checked_at >= self._ttl_s:
                self._state = schema_state(connection)
                self._checked_at = now
            return self._state


def _is_known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for a revision it has never seen
        return False


def _names(revisions: tuple[str, ...]) -> str:
    return " + ".join(revisions)
