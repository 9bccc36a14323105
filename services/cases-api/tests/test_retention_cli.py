"""`cases-api purge` on a real database: a dry run lists, a run purges, a second run finds nothing."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.children.models import Child, SenStatus, Sex
from cases_api.cli import main
from cases_api.core.db import create_db_engine
from cases_api.migrate import upgrade_to_head
from cases_api.privacy.models import DisposalTombstone
from cases_api.settings import Settings, get_settings
from cases_api.testing import scratch_database


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sa.Engine]:
    with scratch_database(tmp_path, label="purge") as url:
        settings = Settings(database_url=url, data_dir=tmp_path, log_level="WARNING")
        upgrade_to_head(settings)
        monkeypatch.setenv("CASES_DATABASE_URL", url)
        monkeypatch.setenv("CASES_DATA_DIR", str(tmp_path))
        get_settings.cache_clear()
        engine = create_db_engine(settings)
        yield engine
        engine.dispose()
        get_settings.cache_clear()


def _child(born: date) -> Child:
    return Child(
        la_code="855",
        given_name="Old",
        family_name="Record",
        date_of_birth=born,
        sex=Sex.FEMALE,
        home_postcode="LE11 3TU",
        sen_status=SenStatus.NONE,
    )


def test_the_purge_command(database: sa.Engine, capsys: pytest.CaptureFixture[str]) -> None:
    with Session(database) as session:
        due, young = _child(date(2000, 1, 1)), _child(date(2010, 1, 1))
        session.add_all([due, young])
        session.commit()
        due_id, young_id = due.id, young.id

    main(["purge", "--dry-run", "--as-of", "2025-01-01", "--by", "cli:records"])
    listed = capsys.readouterr().out
    assert f"{due_id}  send_record  due 2025-01-01  would purge" in listed
    assert str(young_id) not in listed

    main(["purge", "--as-of", "2025-01-01", "--by", "cli:records"])
    assert "1 child record(s) purged; 0 kept under legal hold." in capsys.readouterr().out
    with Session(database) as session:
        assert session.get(Child, due_id) is None
        assert session.get(Child, young_id) is not None
        tombstone = session.get(DisposalTombstone, due_id)
        assert tombstone is not None
        assert tombstone.purged_by == "cli:records"

    main(["purge", "--as-of", "2025-01-01"])
    assert "0 child record(s) purged" in capsys.readouterr().out
