"""The failure drills (`make drill`), short: a few clients for a few seconds. Each drill starts its
own cases-api (and, for PostgreSQL, its own throwaway cluster), so the suite's database is untouched."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cases_api.testing import configured_backend

DRILL = Path(__file__).resolve().parents[1] / "scripts" / "drill.py"


def _drill(name: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(DRILL), "--only", name, "--clients", "4", "--seconds", "6", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout, result.stderr[-2000:]
    report: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])[0]
    assert result.returncode == 0, result.stdout
    return report


def _assert_sound(report: dict[str, Any]) -> None:
    assert report["acknowledged"] > 0
    assert report["lost"] == []
    assert report["duplicates"] == {}
    assert report["unexpected"] == []
    assert report["abandoned"] == []
    assert report["recovery_s"] is not None
    assert report["stored"] >= report["acknowledged"]


@pytest.mark.slow
def test_killing_cases_api_on_sqlite_loses_nothing_acknowledged() -> None:
    report = _drill("sqlite")
    _assert_sound(report)
    assert report["integrity"] == "ok"
    # Every key was retried until acknowledged, so every stored child was acknowledged once.
    assert report["stored"] == report["acknowledged"]


@pytest.mark.slow
@pytest.mark.postgres_only
@pytest.mark.skipif(configured_backend() != "postgresql", reason="run by `make test-pg`")
def test_restarting_postgresql_under_load_loses_nothing_and_answers_only_503s() -> None:
    report = _drill("postgres")
    _assert_sound(report)
    assert report["stored"] == report["acknowledged"]
    assert set(report["statuses"]) <= {"200", "201", "503"}
