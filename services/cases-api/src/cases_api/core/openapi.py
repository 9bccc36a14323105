"""The OpenAPI document: problem+json responses documented on every operation."""

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
