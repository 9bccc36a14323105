"""The OpenAPI document: problem+json responses documented on every operation, and date bounds
said in standard terms."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from send_contracts import PROBLEM_MEDIA_TYPE, Problem

_COMMON_PROBLEMS = {
    "400": "Malformed request: the body is not valid JSON",
    "401": "Missing, expired or invalid bearer token",
    "403": "The caller's role may not do this",
    "404": "No such record",
    "409": "Conflicts with the record's current state",
    "413": "Request body too large",
    "422": "Invalid input: every invalid field is listed in `errors`",
    "500": "A bug on our side; nothing was saved",
    "503": "The database is unavailable; retry later",
}
_BODY_PROBLEMS = {"415": "The body is not sent as JSON (`Content-Type: application/json`)"}
_UPDATE_PROBLEMS = {
    "412": "The If-Match ETag is stale: read the record again",
    "428": "If-Match is required",
}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def install_openapi(app: FastAPI) -> None:
    """Replace FastAPI's validation-error schemas with RFC 9457 problems on every operation."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            openapi_version="3.1.0",
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem_schema.pop("$defs", {}))
        components["Problem"] = problem_schema
        _standard_date_bounds(schema)
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                problems = dict(_COMMON_PROBLEMS) if path.startswith("/v1") else {"500": "A bug"}
                if method in {"patch", "put", "delete"}:
                    problems |= _UPDATE_PROBLEMS
                if "requestBody" in operation:
                    problems |= _BODY_PROBLEMS
                for code, description in problems.items():
                    responses[code] = _problem_response(description)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]


_BOUND_KEYWORDS = {"ge": "x-earliest", "le": "x-latest"}


def _standard_date_bounds(node: Any) -> None:
    """Pydantic writes the bounds of a validated date as `ge`/`le`, which are not JSON Schema
    keywords (validators ignore them, generators and linters choke on them). JSON Schema has no
    keyword bounding a date, so each bound moves to the description and to an `x-` extension."""
    if isinstance(node, list):
        for item in node:
            _standard_date_bounds(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("format") in ("date", "date-time") and node.keys() & _BOUND_KEYWORDS.keys():
        for keyword, extension in _BOUND_KEYWORDS.items():
            if keyword in node:
                node[extension] = node.pop(keyword)
        node["description"] = _with_bounds(node.get("description", ""), node)
    for value in node.values():
        _standard_date_bounds(value)
    if node.get("in") == "query":
        # Documentation tools show a parameter's own description, not its schema's.
        bounded = [node["schema"], *node["schema"].get("anyOf", [])]
        for schema in bounded:
            if "x-earliest" in schema or "x-latest" in schema:
                node["description"] = _with_bounds(node.get("description", ""), schema)


def _with_bounds(description: str, schema: dict[str, Any]) -> str:
    earliest, latest = schema.get("x-earliest"), schema.get("x-latest")
    if earliest and latest:
        sentence = f"From {earliest} to {latest} inclusive."
    elif earliest:
        sentence = f"On or after {earliest}."
    else:
        sentence = f"On or before {latest}."
    return f"{description.rstrip()} {sentence}".lstrip()
