"""Every error is problem+json: FastAPI's own, oversized bodies, and bugs (without stack traces)."""

import importlib
import json
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cases_factories import establishment_body, provision_body
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import Field, ValidationError
from sqlalchemy import exc
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cases_api.app import create_app
from cases_api.core.errors import DomainError
from cases_api.core.schemas import InputModel
from cases_api.settings import Settings


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = dict(response.json())
    assert problem["status"] == status
    assert problem["title"]
    assert "Traceback" not in response.text
    return problem


def test_unknown_route_is_a_404_problem(client: TestClient) -> None:
    _assert_problem(client.get("/nowhere"), 404)


def test_wrong_method_is_a_405_problem(client: TestClient, officer: dict[str, str]) -> None:
    _assert_problem(client.delete("/v1/provisions", headers=officer), 405)


def test_malformed_json_is_a_400_problem(client: TestClient, officer: dict[str, str]) -> None:
    response = client.post(
        "/v1/establishments",
        content=b"{not json",
        headers=officer | {"Content-Type": "application/json"},
    )
    problem = _assert_problem(response, 400)
    assert problem["type"] == "/problems/malformed-json"
    assert problem["detail"] == (
        "The request body is not valid JSON (at character 1); nothing in it was read."
    )


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_a_415_problem(
    client: TestClient, officer: dict[str, str], content_type: str
) -> None:
    body = json.dumps(establishment_body()).encode()
    response = client.post(
        "/v1/establishments", content=body, headers=officer | {"Content-Type": content_type}
    )
    problem = _assert_problem(response, 415)
    assert problem["type"] == "/problems/unsupported-media-type"
    assert response.headers["Accept-Post"] == "application/json"
    patched = client.patch(
        "/v1/establishments/100001",
        content=b"name=x",
        headers=officer | {"Content-Type": content_type, "If-Match": '"v1"'},
    )
    _assert_problem(patched, 415)
    assert patched.headers["Accept-Patch"] == "application/json"


def test_a_rule_of_the_whole_body_names_its_field(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = client.post("/v1/establishments", json=establishment_body(), headers=officer)
    urn = response.json()["urn"]
    body = provision_body(urn, places_total=5, places_taken=6)
    problem = _assert_problem(client.post("/v1/provisions", json=body, headers=officer), 422)
    assert problem["errors"] == [
        {"location": "body.places_taken", "message": "places_taken is above places_total"}
    ]
    assert "Value error" not in str(problem)


def test_a_rule_checked_in_code_lists_errors_too(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = client.get(
        "/v1/children",
        params={"born_from": "2020-01-01", "born_to": "2019-01-01"},
        headers=officer | {"X-Access-Reason": "checking the list"},
    )
    problem = _assert_problem(response, 422)
    assert problem["errors"] == [{"location": "query", "message": "born_from is after born_to."}]


@pytest.mark.parametrize(
    "token",
    ["garbage", "a.b.c", "//79.e30.x", "eyJhbGciOiJSUzI1NiJ9.gICA.x"],
    ids=["not-three-parts", "not-base64", "header-not-utf8", "payload-not-utf8"],
)
def test_a_garbage_token_gets_a_plain_detail(client: TestClient, token: str) -> None:
    response = client.get("/v1/provisions", headers={"Authorization": f"Bearer {token}"})
    problem = _assert_problem(response, 401)
    assert problem["type"] == "/problems/unauthenticated"
    assert problem["detail"] in (
        "The bearer token is not a valid JWT.",
        "The token is not valid: its signature does not match a key of the trusted issuer.",
    )
    for leaked in ("codec", "utf-8", "decode", "Invalid"):
        assert leaked not in problem["detail"]


def _problem_slugs_raised_in(package: str) -> set[str]:
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, f"{package}."):
        importlib.import_module(info.name)
    slugs: set[str] = set()
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        kind = pending.pop()
        slugs.add(kind.type_slug)
        pending.extend(kind.__subclasses__())
    return slugs


def test_every_problem_type_raised_is_registered_and_its_page_resolves(
    client: TestClient, app: FastAPI
) -> None:
    registry = app.state.problem_types
    raised = _problem_slugs_raised_in("cases_api") | {
        "content-too-large", "database-busy", "database-unavailable", "internal-error",
        "malformed-json", "unsupported-media-type", "method-not-allowed",
    }  # fmt: skip
    assert raised - {problem_type.slug for problem_type in registry} == set()
    for problem_type in registry:
        page = client.get(problem_type.uri)
        assert page.status_code == 200, problem_type.slug
        assert problem_type.title in page.text
        described = client.get(problem_type.uri, headers={"Accept": "application/json"}).json()
        assert described["status"] == problem_type.status
    for slug in ("no-free-place", "database-busy", "matching-unavailable"):
        assert client.get(f"/problems/{slug}").status_code == 200
    listed = client.get("/problems", headers={"Accept": "application/json"}).json()["items"]
    assert len(listed) == len(list(registry))


def test_an_oversized_body_is_a_413_problem(client: TestClient, officer: dict[str, str]) -> None:
    body = establishment_body(name="x" * 2_000_000)
    _assert_problem(client.post("/v1/establishments", json=body, headers=officer), 413)


def test_an_oversized_streamed_body_is_a_413_problem(
    client: TestClient, officer: dict[str, str]
) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * 65_536

    response = client.post(
        "/v1/establishments",
        content=chunks(),
        headers=officer | {"Content-Type": "application/json"},
    )
    _assert_problem(response, 413)


@pytest.fixture
def quiet_client(app: FastAPI, client: TestClient) -> Iterator[TestClient]:
    """Like `client`, but server errors come back as responses instead of raising in the test."""
    with TestClient(app, raise_server_exceptions=False) as quiet:
        yield quiet


@pytest.mark.parametrize(
    ("error", "status"),
    [
        pytest.param(
            exc.OperationalError("COMMIT", {}, Exception("server closed the connection")),
            503,
            id="database-gone-503",
        ),
        pytest.param(
            StaleDataError("UPDATE statement on table 'rounds' expected to update 1 row(s)"),
            409,
            id="version-race-409",
        ),
        pytest.param(exc.DatabaseError("COMMIT", {}, Exception("disk I/O error")), 500, id="500"),
    ],
)
def test_a_failed_commit_is_a_problem_never_a_false_201(
    quiet_client: TestClient,
    officer: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    status: int,
) -> None:
    def failing_commit(self: Session) -> None:
        raise error

    monkeypatch.setattr(Session, "commit", failing_commit)
    body = establishment_body()
    response = quiet_client.post("/v1/establishments", json=body, headers=officer)
    problem = _assert_problem(response, status)
    assert "othing was saved" in problem["detail"]
    assert "disk I/O" not in response.text
    assert "closed the connection" not in response.text
    assert response.headers["X-Request-ID"]
    if status == 503:
        assert response.headers["Retry-After"] == "5"
    monkeypatch.undo()
    assert quiet_client.get(f"/v1/establishments/{body['urn']}", headers=officer).status_code == 404


def test_a_constraint_race_is_a_409_problem(
    quiet_client: TestClient, officer: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two creations of one URN pass the service's check together; the primary key decides."""
    body = establishment_body()
    assert quiet_client.post("/v1/establishments", json=body, headers=officer).status_code == 201
    monkeypatch.setattr(Session, "get", lambda self, *args, **kwargs: None)
    response = quiet_client.post("/v1/establishments", json=body, headers=officer)
    _assert_problem(response, 409)


def test_readyz_is_a_503_problem_when_the_database_is_gone(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url="postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1",
        log_level="WARNING",
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/readyz")
    _assert_problem(response, 503)


def test_405_lists_every_method_of_the_path(client: TestClient, officer: dict[str, str]) -> None:
    response = client.put("/v1/provisions", headers=officer)
    _assert_problem(response, 405)
    assert response.headers["Allow"] == "GET, POST"


def test_unknown_query_parameters_are_refused(client: TestClient, officer: dict[str, str]) -> None:
    response = client.get("/v1/provisions", params={"has_free_place": "true"}, headers=officer)
    problem = _assert_problem(response, 422)
    assert problem["errors"] == [
        {"location": "query.has_free_place", "message": "not a parameter of this operation"}
    ]


def test_a_nul_character_is_invalid_input_not_a_database_error(
    client: TestClient, officer: dict[str, str]
) -> None:
    """PostgreSQL cannot hold U+0000 in text or JSON: refused up front, on every backend alike."""
    query = client.get(
        "/v1/assessment-requests/overdue", params={"assigned_officer": "a\x00b"}, headers=officer
    )
    problem = _assert_problem(query, 422)
    assert problem["errors"] == [
        {"location": "query.assigned_officer", "message": "may not hold U+0000"}
    ]
    body = establishment_body() | {"name": "Castle\x00Rock"}
    created = client.post("/v1/establishments", json=body, headers=officer)
    problem = _assert_problem(created, 422)
    assert problem["errors"][0]["location"] == "body.name"
    assert "U+0000" in problem["errors"][0]["message"]
    assert client.get("/v1/establishments", headers=officer).json()["items"] == []


class _Notes(InputModel):
    tags: list[str] = Field(default_factory=list)
    content: dict[str, Any] = Field(default_factory=dict)


@pytest.mark.parametrize(
    "body",
    [{"tags": ["fine", "\x00"]}, {"content": {"a": [{"b": "x\x00"}]}}, {"content": {"\x00": 1}}],
)
def test_a_nul_character_deep_in_a_body_is_refused(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="U\\+0000"):
        _Notes.model_validate(body)
    assert _Notes.model_validate({"tags": ["fine"], "content": {"a": ["b"]}}).tags == ["fine"]
