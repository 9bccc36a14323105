"""Shared fixtures for the matching service's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from send_matching.app import create_app
from send_matching.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = REPO_ROOT.parent / "shared" / "examples" / "matching"


@pytest.fixture(scope="session")
def client() -> TestClient:
    return TestClient(create_app(Settings(max_body_bytes=2 * 1024 * 1024)))


@pytest.fixture(scope="session")
def examples() -> Path:
    if not (EXAMPLES / "optimum.json").is_file():
        pytest.skip(f"reference examples not found at {EXAMPLES} (a lone clone has no ../shared)")
    return EXAMPLES


def load_example(folder: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / f"{name}.json").read_text())
    return data
