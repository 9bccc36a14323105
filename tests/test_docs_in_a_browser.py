"""Swagger UI (/docs) and ReDoc (/redoc) of both services, rendered by a real headless Chromium
against the running services: the pages load their scripts from the service itself (no CDN), and
the rendered page lists the operations."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx2
import pytest
from cross_service import RunningServices

CHROMIUM = shutil.which("chromium")

if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip(
        "chromium is not installed (apt-get install chromium); .ci/run installs it",
        allow_module_level=True,
    )

# A summary (Swagger UI and ReDoc both print it) and an operationId (ReDoc links each operation as
# #operation/<operationId>) of each service.
OPERATIONS = {
    "cases": ("The process is up", "getHealth"),
    "matching": ("Propose placements for a cohort of children", "createProposal"),
}


def _base_url(services: RunningServices, service: str) -> str:
    return services.cases_url if service == "cases" else services.matching_url


def _rendered(url: str, profile: Path) -> str:
    assert CHROMIUM is not None, "chromium is missing; .ci/run installs it"
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize("service", sorted(OPERATIONS))
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_documentation_page_loads_only_from_the_service(
    services: RunningServices, service: str, page: str
) -> None:
    html = httpx2.get(f"{_base_url(services, service)}{page}").text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), html
    assert "fonts.googleapis" not in html


@pytest.mark.slow
@pytest.mark.parametrize("service", sorted(OPERATIONS))
def test_swagger_ui_renders_the_operations(
    services: RunningServices, service: str, tmp_path: Path
) -> None:
    dom = _rendered(f"{_base_url(services, service)}/docs", tmp_path)
    summary, _ = OPERATIONS[service]
    assert 'class="swagger-ui"' in dom
    assert 'data-path="/healthz"' in dom
    assert summary in dom


@pytest.mark.slow
@pytest.mark.parametrize("service", sorted(OPERATIONS))
def test_redoc_renders_the_operations(
    services: RunningServices, service: str, tmp_path: Path
) -> None:
    dom = _rendered(f"{_base_url(services, service)}/redoc", tmp_path)
    summary, operation_id = OPERATIONS[service]
    assert f"operation/{operation_id}" in dom
    assert summary in dom
