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
    """Mark the header required, as a non-blank string, on each operation that needs a reason.
    One dependency reads it for every route (optional there, so that it can answer the documented
    422 problem rather than FastAPI's own), and the document says what it enforces."""
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
                        parameter["required"] = True
                        parameter["schema"] = {
                            "type": "string",
                            "minLength": 1,
                            "pattern": r"\S",
                            "title": parameter["schema"].get("title", REASON_HEADER),
                        }
        return schema

    app.openapi = build_with_reasons  # type: ignore[method-assign]
