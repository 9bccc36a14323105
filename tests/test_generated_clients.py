"""A council developer's first hour: generate a Python client from each running service's
OpenAPI document with openapi-python-client, and call the service through it.

Generation must be silent: any warning means the generator dropped a model or an operation's
responses (as when two schemas shared a name). Offline: the documents come from the services
started by the `services` fixture, and the generator is a local command."""

import datetime
import importlib
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cross_service import BIN, RunningServices

from send_matching.api import EXAMPLE_REQUEST

# Post hooks would run ruff over the generated code: not what is being checked, and slower.
_CONFIG = "post_hooks: []\n"


def _generate(url: str, package: str, workdir: Path) -> str:
    """Generate the client package `package` into `workdir` from the document at `url`; the
    generator's output."""
    document = workdir / f"{package}.json"
    document.write_text(json.dumps(httpx2.get(f"{url}/openapi.json").raise_for_status().json()))
    config = workdir / "openapi-python-client.yaml"
    config.write_text(_CONFIG)
    finished = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(workdir / package),
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, output
    return output


@pytest.fixture(scope="module")
def generated(
    services: RunningServices, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """Each service's generated package, importable; the generator's output for each."""
    workdir = tmp_path_factory.mktemp("clients")
    outputs = {
        "send_cases_client": _generate(services.cases_url, "send_cases_client", workdir),
        "send_matching_client": _generate(services.matching_url, "send_matching_client", workdir),
    }
    sys.path.insert(0, str(workdir))
    try:
        yield outputs
    finally:
        sys.path.remove(str(workdir))
        for name in list(sys.modules):
            if name.split(".")[0] in outputs:
                del sys.modules[name]


def _module(name: str) -> Any:
    return importlib.import_module(name)


@pytest.mark.parametrize("package", ["send_cases_client", "send_matching_client"])
def test_generation_gives_no_warning(generated: dict[str, str], package: str) -> None:
    lines = [line for line in generated[package].splitlines() if line.strip()]
    assert lines, "the generator said nothing"
    assert all(line.startswith("Generating ") for line in lines), generated[package]


def test_the_cases_client_reads_the_directory_and_a_child(
    generated: dict[str, str], services: RunningServices
) -> None:
    client_module = _module("send_cases_client.client")
    list_provisions = _module("send_cases_client.api.provisions.list_provisions")
    list_children = _module("send_cases_client.api.children.list_children")
    get_child = _module("send_cases_client.api.children.get_child")
    models = _module("send_cases_client.models")
    token = services.cli("token", "--role", "officer", "--la", "855").strip().splitlines()[-1]
    client = client_module.AuthenticatedClient(base_url=services.cases_url, token=token)

    with client:
        page = list_provisions.sync(
            client=client, kind=[models.ProvisionKind.SPECIAL_SCHOOL], limit=3
        )
        children = list_children.sync(
            client=client, limit=1, x_access_reason="checking the generated client"
        )
        (first,) = children.items
        child = get_child.sync(first.id, client=client)
        missing = get_child.sync_detailed(uuid.uuid4(), client=client)

    assert isinstance(page, models.PageProvisionRead)
    assert 0 < len(page.items) <= 3
    assert all(isinstance(item, models.ProvisionRead) for item in page.items)
    assert {item.kind for item in page.items} == {models.ProvisionKind.SPECIAL_SCHOOL}
    assert isinstance(child, models.ChildRead)
    assert child.id == first.id
    assert child.la_code == "855"
    assert isinstance(child.date_of_birth, datetime.date)
    assert isinstance(child.sen_status, models.SenStatus)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Problem)
    assert missing.parsed.status == 404


def test_the_matching_client_proposes_placements(
    generated: dict[str, str], services: RunningServices
) -> None:
    client_module = _module("send_matching_client.client")
    get_health = _module("send_matching_client.api.health.get_health")
    create_proposal = _module("send_matching_client.api.proposals.create_proposal")
    models = _module("send_matching_client.models")
    client = client_module.Client(base_url=services.matching_url)

    with client:
        health = get_health.sync(client=client)
        proposal = create_proposal.sync(
            client=client, body=models.ProposalRequest.from_dict(EXAMPLE_REQUEST)
        )
        refused = create_proposal.sync_detailed(
            client=client,
            body=models.ProposalRequest.from_dict(
                EXAMPLE_REQUEST | {"children": EXAMPLE_REQUEST["children"] * 2}
            ),
        )

    assert health.additional_properties == {"status": "ok"}
    assert isinstance(proposal, models.ProposalResponse)
    assert isinstance(proposal.status, models.ProposalStatus)
    placed = {assignment.child_id for assignment in proposal.assignments}
    unplaced = {child.child_id for child in proposal.unplaced}
    assert placed | unplaced == {child["id"] for child in EXAMPLE_REQUEST["children"]}
    assert all(isinstance(a, models.AssignmentOut) for a in proposal.assignments)
    assert refused.status_code == 422
    assert isinstance(refused.parsed, models.Problem)
