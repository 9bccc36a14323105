"""The OpenAPI document says where `X-Access-Reason` is required."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from cases_api.audit.recorder import REASON_HEADER
from cases_api.audit.registry import REASON_REQUIRED

REQUIRED_HERE = (
    "Required on this operation (a bulk list of children, an export or an override): why you "
    "need this data, in a few words; recorded in the audit trail. Missing or blank: 422."
)


def require_reason_in_openapi(app: FastAPI) -> None:
    """Say on each operation that needs a reason that it does. The header stays optional in the
    schema (one dependency reads it for every route; without it these answer 422, a documented
    problem), so generated clients and schema-driven tests can still send it or not."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def build_with_reasons() -> dict[str, Any]:
        schema = build()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if operation.get("operationId") not in REASON_REQUIRED:
                    continue
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "header" and parameter["name"] == REASON_HEADER:
                        parameter["description"] = REQUIRED_HERE
        return schema

    app.openapi = build_with_reasons  # type: ignore[method-assign]
