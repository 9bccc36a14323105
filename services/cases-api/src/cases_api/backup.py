"""Backups and restores of the cases database, each checked: integrity, and row counts per table.

PostgreSQL: `pg_dump --format=custom` run inside a snapshot exported by a repeatable-read
transaction, so the row counts taken in that transaction are exactly what the archive holds; a
restore goes into a new database with `pg_restore` and its counts must equal them.

SQLite: the online backup API (`sqlite3.Connection.backup`), copying the whole file in one step
from a connection that holds a read transaction, so writers carry on (they wait at most for the
copy) and the counts read in that transaction are exactly what the copy holds.

Either way the counts are written beside the backup (`<file>.counts.json`) and compared on restore.
"""

from __future__ import annotations

import glob
import json
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

__all__ = ["BackupError", "Outcome", "backup", "restore", "row_counts"]


class BackupError(RuntimeError):
    """A backup or restore that failed its checks or could not run."""


@dataclass(frozen=True)
class Outcome:
    """What a backup or restore did, how long it took, and the row counts it checked."""

    path: Path
    database_url: str
    seconds: float
    counts: dict[str, int]
    integrity: str
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _manifest(path: Path) -> Path:
    return path.with_name(path.name + ".counts.json")


def _tables(connection: sa.Connection) -> list[str]:
    return sorted(sa.inspect(connection).get_table_names())


def _count(connection: sa.Connection, tables: list[str]) -> dict[str, int]:
    preparer = connection.dialect.identifier_preparer
    # Table names come from the database's own catalogue, quoted: not user input.
    return {
        table: int(
            connection.exec_driver_sql(
                f"SELECT count(*) FROM {preparer.quote(table)}"  # noqa: S608
            ).scalar_one()
        )
        for table in tables
    }


def row_counts(database_url: str) -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            return _count(connection, _tables(connection))
    finally:
        engine.dispose()


def _pg_tool(name: str) -> str:
    """The PostgreSQL client program, on PATH or in the newest installed server's bin folder."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    found = shutil.which(name) or (candidates[-1] if candidates else None)
    if found is None:
        raise BackupError(f"{name} is not installed (it comes with the PostgreSQL client)")
    return found


def _version_key(path: str) -> int:
    version = Path(path).parts[-3]
    return int(version) if version.isdigit() else 0


def _libpq_args(url: URL) -> list[str]:
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    return args


def _libpq_env(url: URL) -> dict[str, str]:
    import os

    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return env


def _run(command: list[str], url: URL) -> None:
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments from the configured URL
        command, env=_libpq_env(url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(database_url: str, target: Path) -> Outcome:
    """Back the database up into `target` (a SQLite file, or a pg_dump custom archive)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        counts, integrity = _backup_sqlite(url, target)
    else:
        counts, integrity = _backup_postgres(url, target)
    _manifest(target).write_text(
        json.dumps(
            {
                "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "backend": url.get_backend_name(),
                "counts": counts,
            },
            indent=2,
        )
    )
    return Outcome(
        path=target,
        database_url=url.render_as_string(hide_password=True),
        seconds=time.perf_counter() - started,
        counts=counts,
        integrity=integrity,
    )


def _backup_sqlite(url: URL, target: Path) -> tuple[dict[str, int], str]:
    if not url.database or url.database == ":memory:":
        raise BackupError("only a SQLite database file can be backed up")
    if not Path(url.database).is_file():
        raise BackupError(f"no SQLite database at {url.database}")
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file")
    source = sqlite3.connect(url.database, isolation_level=None, timeout=30)
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        source.execute("PRAGMA busy_timeout = 30000")
        # One read transaction around the counts and the copy: both see the same snapshot.
        source.execute("BEGIN")
        tables = [row[0] for row in source.execute(_SQLITE_TABLES)]
        counts = {table: _sqlite_count(source, table) for table in tables}
        source.backup(copy)  # pages=-1: the whole database in one step, inside the transaction
        source.execute("COMMIT")
        # The copy inherits WAL from a live database; a backup is one self-contained file, and a
        # read-only open of a WAL file would leave -wal and -shm files beside it.
        copy.execute("PRAGMA journal_mode = DELETE")
        integrity = _sqlite_integrity(copy)
        copied = {table: _sqlite_count(copy, table) for table in tables}
    finally:
        copy.close()
        source.close()
    if copied != counts:
        raise BackupError(f"the copy's row counts differ from the source's: {copied} != {counts}")
    return counts, integrity


_SQLITE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
)


def _sqlite_count(connection: sqlite3.Connection, table: str) -> int:
    quoted = '"' + table.replace('"', '""') + '"'
    return int(connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0])  # noqa: S608


def _sqlite_integrity(connection: sqlite3.Connection) -> str:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError(f"integrity check failed: {'; '.join(result[:5])}")
    problems = list(connection.execute("PRAGMA foreign_key_check"))
    if problems:
        raise BackupError(f"foreign key check failed: {len(problems)} row(s)")
    return "integrity_check ok, foreign_key_check ok"


def _backup_postgres(url: URL, target: Path) -> tuple[dict[str, int], str]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            counts = _count(connection, _tables(connection))
            _run(
                [
                    _pg_tool("pg_dump"),
                    *_libpq_args(url),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--file",
                    str(target),
                    url.database or "postgres",
                ],
                url,
            )
            connection.rollback()
    finally:
        engine.dispose()
    # The archive must be readable end to end: pg_restore lists its table of contents.
    _run([_pg_tool("pg_restore"), "--list", str(target)], url)
    return counts, "pg_dump ok, pg_restore --list ok (the archive reads end to end)"


def restore(source: Path, database_url: str) -> Outcome:
    """Restore the backup at `source` into a new, empty database at `database_url`; check it."""
    manifest = _manifest(source)
    if not source.is_file() or not manifest.is_file():
        raise BackupError(f"no backup at {source} (with {manifest.name} beside it)")
    expected: dict[str, int] = json.loads(manifest.read_text())["counts"]
    url = make_url(database_url)
    started = time.perf_counter()
    if url.get_backend_name() == "sqlite":
        integrity = _restore_sqlite(source, url)
    else:
        integrity = _restore_postgres(source, url)
    counts = row_counts(database_url)
    seconds = time.perf_counter() - started
    mismatches = {
        table: (expected.get(table, -1), counts.get(table, -1))
        for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table)
    }
    outcome = Outcome(
        path=source,
        database_url=url.render_as_string(hide_password=True),
        seconds=seconds,
        counts=counts,
        integrity=integrity,
        mismatches=mismatches,
    )
    if mismatches:
        raise BackupError(f"restored row counts differ from the backup's: {mismatches}")
    return outcome


def _restore_sqlite(source: Path, url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("restore into a SQLite database file")
    target = Path(url.database)
    if target.exists():
        raise BackupError(f"{target} exists already; restore into a new file")
    target.parent.mkdir(parents=True, exist_ok=True)
    backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None)
    restored = sqlite3.connect(target, isolation_level=None)
    try:
        backup_file.backup(restored)
        return _sqlite_integrity(restored)
    finally:
        restored.close()
        backup_file.close()


def _restore_postgres(source: Path, url: URL) -> str:
    name = url.database
    if not name:
        raise BackupError("name the database to restore into")
    server = sa.create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool
    )
    try:
        with server.connect() as connection:
            exists = connection.exec_driver_sql(
                "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}
            ).first()
            if exists:
                raise BackupError(f"database {name} exists already; restore into a new one")
            quoted = connection.dialect.identifier_preparer.quote(name)
            connection.exec_driver_sql(f"CREATE DATABASE {quoted}")
    finally:
        server.dispose()
    _run(
        [
            _pg_tool("pg_restore"),
            *_libpq_args(url),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            name,
            str(source),
        ],
        url,
    )
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            unchecked = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
                " WHERE n.nspname = 'public' AND NOT c.convalidated"
            ).scalar_one()
    finally:
        engine.dispose()
    if unchecked:
        raise BackupError(f"{unchecked} constraint(s) were restored without being validated")
    return "pg_restore ok (one transaction, stopping at any error), every constraint validated"
