"""The OpenAPI document says what each route's policy enforces: where `X-Access-Reason` is
needed, and which OAuth scopes a service client needs (an OAuth2 security scheme)."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from cases_api.access.policy import REASON_HEADER, RoutePolicy, policy_of
from cases_api.auth.scopes import SERVICE_SCOPES

SERVICE_CLIENT_SCHEME = "serviceClient"
_SERVICE_CLIENT = {
    "type": "oauth2",
    "description": (
        "Other council systems (service clients, `role` = `service`): an access token from the "
        "council's identity provider by the client credentials grant, carrying the scopes below "
        "in its `scope` claim (space-separated; `scp` as Entra ID sends it is read too). A "
        "missing scope is a 403 problem naming it (`missing_scopes`). Service clients read, "
        "within their LA, and change nothing. People (officers, parents, schools, admins) are "
        "governed by their role, not by scopes."
    ),
    "flows": {
        "clientCredentials": {
            # The council's own identity provider issues these; this URL is a placeholder.
            "tokenUrl": "https://identity-provider.invalid/oauth2/token",
            "scopes": SERVICE_SCOPES,
        }
    },
}


def policies_by_operation(app: FastAPI) -> dict[str, RoutePolicy]:
    """The declared policy of each operation of the app."""
    found: dict[str, RoutePolicy] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.operation_id:
            declared = policy_of(route)
            if declared is not None:
                found[route.operation_id] = declared
    return found


def declare_policies_in_openapi(app: FastAPI) -> None:
    """Describe the reason header on the operations that need one (required where always
    needed, as a non-blank string), and each operation's scopes in its security requirement."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def build_with_policies() -> dict[str, Any]:
        schema = build()
        if SERVICE_CLIENT_SCHEME in schema.get("components", {}).get("securitySchemes", {}):
            return schema
        schema["components"].setdefault("securitySchemes", {})[SERVICE_CLIENT_SCHEME] = (
            _SERVICE_CLIENT
        )
        policies = policies_by_operation(app)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                declared = policies.get(operation.get("operationId", ""))
                if declared is not None:
                    _describe(operation, declared)
        return schema

    app.openapi = build_with_policies  # type: ignore[method-assign]


def _describe(operation: dict[str, Any], declared: RoutePolicy) -> None:
    if declared.scopes:
        operation["security"] = [
            *operation.get("security", []),
            {SERVICE_CLIENT_SCHEME: list(declared.scopes)},
        ]
    if declared.reason is None:
        return
    always = declared.reason.when == "always"
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "header" and parameter["name"] == REASON_HEADER:
            parameter["description"] = (
                f"Why you need this data, in a few words: {declared.reason.rule()}. The first "
                "500 characters are recorded in the audit trail. Missing or blank where "
                "required: 422."
            )
            parameter["required"] = always
            parameter["schema"] = {
                "type": "string",
                "title": REASON_HEADER,
                **({"minLength": 1, "pattern": r"\S"} if always else {}),
            }
