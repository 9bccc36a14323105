"""The shared problem handling on a small app: what a client sees for each kind of bad request."""

from collections.abc import Iterator
from typing import Any, Self

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, model_validator

from send_contracts import PROBLEM_MEDIA_TYPE
from send_contracts.problems import (
    COMMON_PROBLEM_TYPES,
    FieldRuleError,
    ProblemError,
    ProblemType,
    install_problems,
)

_EXTRA = ProblemType("no-biscuits", "No biscuits", 409, "The tin is empty.", "Buy more.")


class _NoBiscuits(ProblemError):
    status = 409
    title = "No biscuits"
    type_slug = "no-biscuits"


class _Rule(ProblemError):
    status = 422
    title = "Invalid input"
    type_slug = "invalid-input"


class _Provision(BaseModel):
    places_total: int = Field(ge=0)
    places_taken: int = 0
    name: str = ""

    @model_validator(mode="after")
    def _within_total(self) -> Self:
        if self.places_taken > self.places_total:
            raise FieldRuleError("places_taken", "places_taken is above places_total")
        if self.name == "whole":
            raise ValueError("the body as a whole is wrong")
        return self


def _app() -> FastAPI:
    app = FastAPI()
    install_problems(app, [_EXTRA])

    @app.post("/provisions", status_code=201)
    def create(provision: _Provision) -> _Provision:
        return provision

    @app.get("/biscuits")
    def biscuits() -> None:
        raise _NoBiscuits("The tin is empty.", current_count=0)

    @app.get("/rule")
    def rule() -> None:
        raise _Rule("born_from is after born_to.")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM table_name WHERE password = 'hunter2'")

    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(_app(), raise_server_exceptions=False) as client:
        yield client


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    problem = dict(response.json())
    assert problem["status"] == status
    assert problem["type"].startswith("/problems/")
    return problem


def test_malformed_json_is_a_400_naming_where(client: TestClient) -> None:
    response = client.post(
        "/provisions",
        content=b'{"places_total": 3,,}',
        headers={"content-type": "application/json"},
    )
    problem = _problem(response, 400)
    assert problem["type"] == "/problems/malformed-json"
    assert problem["detail"] == (
        "The request body is not valid JSON (at character 19); nothing in it was read."
    )


def test_a_json_body_that_is_not_utf8_is_malformed_json(client: TestClient) -> None:
    response = client.post(
        "/provisions", content=b'{"name": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    problem = _problem(response, 400)
    assert problem["type"] == "/problems/malformed-json"
    assert "codec" not in response.text


@pytest.mark.parametrize(
    ("content_type", "sent"),
    [
        ("text/plain", "`text/plain`"),
        ("application/x-www-form-urlencoded", "`application/x-www-form-urlencoded`"),
        (None, "no Content-Type"),
    ],
)
def test_a_body_not_sent_as_json_is_a_415(
    client: TestClient, content_type: str | None, sent: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/provisions", content=b'{"places_total": 3}', headers=headers)
    problem = _problem(response, 415)
    assert problem["type"] == "/problems/unsupported-media-type"
    assert response.headers["Accept-Post"] == "application/json"
    assert sent in problem["detail"]


def test_a_422_names_each_field_without_pydantic_prefixes(client: TestClient) -> None:
    response = client.post("/provisions", json={"places_total": -1, "extra": 1})
    problem = _problem(response, 422)
    assert problem["errors"] == [
        {"location": "body.places_total", "message": "Input should be greater than or equal to 0"}
    ]
    rule = client.post("/provisions", json={"places_total": 2, "places_taken": 3})
    assert _problem(rule, 422)["errors"] == [
        {"location": "body.places_taken", "message": "places_taken is above places_total"}
    ]
    assert "Value error" not in rule.text


def test_a_rule_of_the_whole_body_keeps_the_body_location(client: TestClient) -> None:
    whole = client.post("/provisions", json={"places_total": 2, "name": "whole"})
    assert _problem(whole, 422)["errors"] == [
        {"location": "body", "message": "the body as a whole is wrong"}
    ]
    not_an_object = client.post("/provisions", json=[1, 2])
    assert [e["location"] for e in _problem(not_an_object, 422)["errors"]] == ["body"]


def test_a_422_raised_in_code_has_errors_too(client: TestClient) -> None:
    problem = _problem(client.get("/rule"), 422)
    assert problem["errors"] == [{"location": "query", "message": "born_from is after born_to."}]


def test_a_service_problem_type_and_its_extensions(client: TestClient) -> None:
    problem = _problem(client.get("/biscuits"), 409)
    assert problem == {
        "type": "/problems/no-biscuits",
        "title": "No biscuits",
        "status": 409,
        "detail": "The tin is empty.",
        "instance": "/biscuits",
        "current_count": 0,
    }


def test_a_bug_is_a_500_without_internals(client: TestClient) -> None:
    response = client.get("/boom")
    problem = _problem(response, 500)
    assert problem["type"] == "/problems/internal-error"
    for leaked in ("SELECT", "hunter2", "RuntimeError", "Traceback", "File "):
        assert leaked not in response.text


def test_router_errors_have_generic_types(client: TestClient) -> None:
    assert _problem(client.get("/nowhere"), 404)["type"] == "/problems/not-found"
    wrong = client.delete("/provisions")
    assert _problem(wrong, 405)["type"] == "/problems/method-not-allowed"
    assert wrong.headers["Allow"] == "POST"


def test_every_type_uri_resolves_to_its_page(client: TestClient) -> None:
    for problem_type in [*COMMON_PROBLEM_TYPES, _EXTRA]:
        page = client.get(problem_type.uri)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert problem_type.title in page.text
        as_json = client.get(problem_type.uri, headers={"accept": "application/json"}).json()
        assert as_json["type"] == problem_type.uri
        assert as_json["status"] == problem_type.status
        assert as_json["description"]
        assert as_json["advice"]


def test_the_index_lists_every_type_and_an_unknown_slug_is_a_404(client: TestClient) -> None:
    index = client.get("/problems", headers={"accept": "application/json"}).json()["items"]
    assert {item["type"] for item in index} == {t.uri for t in [*COMMON_PROBLEM_TYPES, _EXTRA]}
    assert 'href="/problems/no-biscuits"' in client.get("/problems").text
    assert _problem(client.get("/problems/no-such-thing"), 404)["type"] == "/problems/not-found"
