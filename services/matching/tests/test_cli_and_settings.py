"""The command line and the environment settings."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from send_matching import cli
from send_matching.app import create_app
from send_matching.settings import Settings, get_settings


@pytest.fixture
def fresh_settings() -> Any:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_serve_runs_uvicorn_with_httptools_on_the_env_port(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **kw: calls.append({"app": app} | kw))
    monkeypatch.setenv("MATCHING_PORT", "8123")

    cli.main(["serve"])

    assert calls[0]["app"] == "send_matching.app:create_app"
    assert calls[0]["factory"] is True
    assert calls[0]["http"] == "httptools"
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8123)


def test_flags_override_the_environment(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **kw: calls.append(kw))
    cli.main(["serve", "--host", "0.0.0.0", "--port", "9001"])  # noqa: S104
    assert (calls[0]["host"], calls[0]["port"]) == ("0.0.0.0", 9001)  # noqa: S104


def test_body_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATCHING_MAX_BODY_BYTES", "2048")
    client = TestClient(create_app(Settings()))
    response = client.post("/v1/proposals", content=b"x" * 3000)
    assert response.status_code == 413
