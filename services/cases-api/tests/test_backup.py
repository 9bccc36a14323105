"""`cases-api backup` / `restore`: a checked copy while writes continue, restored into a new
database with the same rows in every table."""

import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from cases_api.backup import BackupError, backup, restore, row_counts
from cases_api.children.models import Guardian
from cases_api.cli import main
from cases_api.core.db import create_db_engine
from cases_api.migrate import upgrade_to_head
from cases_api.settings import Settings, get_settings
from cases_api.testing import configured_backend, scratch_database


@pytest.fixture
def live_database(tmp_path: Path) -> Iterator[tuple[Settings, sa.Engine]]:
    """A migrated database of its own (the writer commits, so not the suite's rolled-back one)."""
    with scratch_database(tmp_path, label="backup") as url:
        settings = Settings(database_url=url, data_dir=tmp_path, log_level="WARNING")
        upgrade_to_head(settings)
        engine = create_db_engine(settings)
        try:
            yield settings, engine
        finally:
            engine.dispose()


def _add_guardians(engine: sa.Engine, count: int) -> None:
    with Session(engine) as session, session.begin():
        for _ in range(count):
            session.add(Guardian(external_id=f"g-{uuid.uuid4().hex}", display_name="Backup"))


def _drop_postgres(url: str) -> None:
    server = sa.create_engine(
        make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool
    )
    with server.connect() as connection:
        name = make_url(url).database
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.dispose()


@pytest.mark.slow
def test_a_backup_taken_while_writes_continue_restores_every_row(
    live_database: tuple[Settings, sa.Engine], tmp_path: Path
) -> None:
    settings, engine = live_database
    _add_guardians(engine, 50)
    stop, written, failures = threading.Event(), [0], []

    def writer() -> None:
        while not stop.is_set():
            try:
                _add_guardians(engine, 5)
                written[0] += 5
            except Exception as error:  # the test reports it below
                failures.append(repr(error))
                return

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 20:  # the backup starts with the writer mid-stream
            stop.wait(0.01)
        backed_up = backup(settings.resolved_database_url, tmp_path / "cases.backup")
        assert written[0] > 0
    finally:
        stop.set()
        thread.join(timeout=60)
    assert failures == []  # writers were never refused while the backup ran

    # The backup holds a consistent snapshot: at least the first 50, and not what came later.
    total_now = row_counts(settings.resolved_database_url)["guardians"]
    assert 50 < backed_up.counts["guardians"] <= total_now
    assert "alembic_version" in backed_up.counts
    assert "ok" in backed_up.integrity

    if configured_backend() == "sqlite":
        target = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        target = (
            make_url(settings.resolved_database_url)
            .set(database=f"restored_{uuid.uuid4().hex[:12]}")
            .render_as_string(hide_password=False)
        )
    try:
        restored = restore(backed_up.path, target)
        assert restored.counts == backed_up.counts
        assert restored.mismatches == {}
        # A restore never writes over an existing database.
        with pytest.raises(BackupError, match="exists already"):
            restore(backed_up.path, target)
    finally:
        if configured_backend() == "postgresql":
            _drop_postgres(target)


def test_a_restore_whose_rows_differ_from_the_backup_fails(
    live_database: tuple[Settings, sa.Engine], tmp_path: Path
) -> None:
    settings, engine = live_database
    _add_guardians(engine, 3)
    backed_up = backup(settings.resolved_database_url, tmp_path / "cases.backup")
    manifest = tmp_path / "cases.backup.counts.json"
    manifest.write_text(manifest.read_text().replace('"guardians": 3', '"guardians": 4'))
    target = (
        f"sqlite:///{tmp_path / 'restored.db'}"
        if configured_backend() == "sqlite"
        else make_url(settings.resolved_database_url)
        .set(database=f"restored_{uuid.uuid4().hex[:12]}")
        .render_as_string(hide_password=False)
    )
    try:
        with pytest.raises(BackupError, match=r"guardians.*\(4, 3\)"):
            restore(backed_up.path, target)
    finally:
        if configured_backend() == "postgresql":
            _drop_postgres(target)


def test_the_cli_backs_up_and_restores_the_configured_database(
    live_database: tuple[Settings, sa.Engine],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, engine = live_database
    _add_guardians(engine, 2)
    monkeypatch.setenv("CASES_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("CASES_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        main(["backup"])
        main(["restore"])
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    restored_url = re.search(r"^Restored \S+ into (\S+):", out, re.MULTILINE)
    assert restored_url, out
    if configured_backend() == "postgresql":
        _drop_postgres(
            settings.resolved_database_url.rsplit("/", 1)[0]
            + "/"
            + restored_url[1].rsplit("/", 1)[1]
        )
    assert re.search(r"^  guardians\s+2$", out, re.MULTILINE)
    assert "Row counts match the backup's, table by table." in out
    assert len(list((tmp_path / "backups").glob("cases-*"))) == 2  # the backup and its counts
