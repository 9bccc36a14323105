"""Both services' OpenAPI documents as client generators and validators read them: one schema
per name, a description on every operation, and only standard JSON Schema keywords (or `x-`
extensions). Built in-process; the generated clients themselves are in test_generated_clients."""

import enum
import re
import tempfile
import typing
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel

# JSON Schema 2020-12 (every vocabulary OpenAPI 3.1 uses) and OpenAPI's own schema keywords.
STANDARD_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$ref",
        "$anchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$defs",
        "$comment",
        "$vocabulary",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "prefixItems",
        "items",
        "contains",
        "properties",
        "patternProperties",
        "additionalProperties",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "type",
        "enum",
        "const",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
        "format",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
        "title",
        "description",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "examples",
        "discriminator",
        "xml",
        "externalDocs",
        "example",
    }
)
NUMERIC_BOUNDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_ONE_SUBSCHEMA = (
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "additionalProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
    "items",
    "contentSchema",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
# A plain class name, or pydantic's name for a generic model (`Page[ReviewRead]` is
# `Page_ReviewRead_`). Module-qualified names (`cases_api__plans__http__MilestoneRead`) are what
# FastAPI falls back to when two models share a name; `-Input`/`-Output`, when a model's input
# and output schemas differ.
COMPONENT_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*(_[A-Z][A-Za-z0-9]*_)*$")


@cache
def _app(service: str) -> FastAPI:
    if service == "cases-api":
        from cases_api.app import create_app
        from cases_api.settings import Settings

        data_dir = Path(tempfile.mkdtemp(prefix="openapi-"))
        return create_app(Settings(data_dir=data_dir, log_level="WARNING"))
    from send_matching.app import create_app as create_matching_app

    return create_matching_app()


SERVICES = ["cases-api", "matching"]


def _document(service: str) -> dict[str, Any]:
    return _app(service).openapi()


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_has_a_description(service: str) -> None:
    missing = [
        name
        for name, operation in _operations(_document(service))
        if len(operation.get("description", "").strip()) < 40
        or operation["description"].strip() == operation.get("summary", "").strip()
    ]
    assert not missing, f"operations without a description of their own: {missing}"


@pytest.mark.parametrize("service", SERVICES)
def test_component_names_are_plain_and_unique(service: str) -> None:
    names = list(_document(service)["components"]["schemas"])
    odd = [name for name in names if not COMPONENT_NAME.match(name)]
    assert not odd, f"renamed or split schemas (two models share a name?): {odd}"


@pytest.mark.parametrize("service", SERVICES)
def test_no_two_models_in_the_api_share_a_name(service: str) -> None:
    by_name: dict[str, set[str]] = {}
    for model in _models_used(_app(service)):
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    shared = {name: sorted(found) for name, found in by_name.items() if len(found) > 1}
    assert not shared, f"give these distinct names: {shared}"


def test_the_check_sees_a_shared_name() -> None:
    class Twin(BaseModel):
        a: int

    first = Twin
    second: type[BaseModel] = type("Twin", (BaseModel,), {"__annotations__": {"b": int}})

    class Pair(BaseModel):
        one: first  # type: ignore[valid-type]
        two: second  # type: ignore[valid-type]

    app = FastAPI()
    app.post("/pair", description="A pair of twins.")(_echo(Pair))
    names = [model.__name__ for model in _models_used(app)]
    assert names.count("Twin") == 2
    assert any("__" in name for name in app.openapi()["components"]["schemas"])


@pytest.mark.parametrize("service", SERVICES)
def test_schemas_use_only_standard_keywords(service: str) -> None:
    odd = [
        f"{where}: {keyword}"
        for where, schema in _schemas(_document(service))
        for keyword in schema
        if keyword not in STANDARD_KEYWORDS and not keyword.startswith("x-")
    ]
    assert not odd, f"non-standard schema keywords: {odd}"


@pytest.mark.parametrize("service", SERVICES)
def test_only_numbers_have_numeric_bounds(service: str) -> None:
    odd = [
        where
        for where, schema in _schemas(_document(service))
        if schema.keys() & NUMERIC_BOUNDS and schema.get("type") not in ("integer", "number")
    ]
    assert not odd, f"minimum/maximum on a non-number (a date?): {odd}"


def test_bounded_dates_say_their_bounds_in_words_and_extensions() -> None:
    document = _document("cases-api")
    born = document["components"]["schemas"]["ChildCreate"]["properties"]["date_of_birth"]
    assert born["format"] == "date"
    assert born["x-earliest"] == "1990-01-01"
    assert "On or after 1990-01-01." in born["description"]
    (as_of,) = [
        parameter
        for parameter in document["paths"]["/v1/deadlines/overdue"]["get"]["parameters"]
        if parameter["name"] == "as_of"
    ]
    assert as_of["description"].endswith("From 2000-01-01 to 2100-12-31 inclusive.")
    dated = [s for s in as_of["schema"]["anyOf"] if s.get("format") == "date"]
    assert dated == [
        {
            "type": "string",
            "format": "date",
            "x-earliest": "2000-01-01",
            "x-latest": "2100-12-31",
            "description": "From 2000-01-01 to 2100-12-31 inclusive.",
        }
    ]


def _echo(model: type[BaseModel]) -> Callable[..., Any]:
    def echo(body: Any) -> Any:
        return body

    echo.__annotations__ = {"body": model, "return": model}
    return echo


def _schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object of the document, with where it is."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        yield from _walk(f"#/components/schemas/{name}", schema)
    for operation_name, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            yield from _walk(f"{operation_name} {parameter['name']}", parameter["schema"])
        content = operation.get("requestBody", {}).get("content", {})
        for media_type, body in content.items():
            yield from _walk(f"{operation_name} body {media_type}", body.get("schema", {}))
        for code, response in operation.get("responses", {}).items():
            for media_type, body in response.get("content", {}).items():
                where = f"{operation_name} {code} {media_type}"
                yield from _walk(where, body.get("schema", {}))
            for header, declared in response.get("headers", {}).items():
                yield from _walk(f"{operation_name} {code} {header}", declared.get("schema", {}))


def _walk(where: str, schema: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(schema, dict):
        return
    yield where, schema
    for keyword in _ONE_SUBSCHEMA:
        yield from _walk(f"{where}/{keyword}", schema.get(keyword))
    for keyword in _SUBSCHEMA_LISTS:
        for index, item in enumerate(schema.get(keyword, [])):
            yield from _walk(f"{where}/{keyword}/{index}", item)
    for keyword in _SUBSCHEMA_MAPS:
        for name, item in schema.get(keyword, {}).items():
            yield from _walk(f"{where}/{name}", item)


def _models_used(app: FastAPI) -> set[type]:
    """The pydantic models and enums that the app's routes take or return, however deep."""
    found: set[type] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        params = _flat_params(route)
        annotations = [route.response_model, *(p.field_info.annotation for p in params)]
        if route.body_field is not None:
            annotations.append(route.body_field.field_info.annotation)
        for annotation in annotations:
            _collect(annotation, found)
    return found


def _flat_params(route: APIRoute) -> Iterator[Any]:
    dependant = route.dependant
    stack = [dependant]
    while stack:
        current = stack.pop()
        yield from (*current.query_params, *current.path_params, *current.header_params)
        yield from current.body_params
        stack.extend(current.dependencies)


def _collect(annotation: Any, found: set[type]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _collect(field.annotation, found)
        return
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.add(annotation)
        return
    for argument in typing.get_args(annotation):
        _collect(argument, found)
