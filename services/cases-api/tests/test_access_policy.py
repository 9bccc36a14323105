"""Each route's declared policy, enforced: every `/v1` route declares one; a service client's
scopes are checked on every route that names them (generated from the declarations, not a hand
list); fields its scopes do not open are withheld; and `X-Access-Reason` is asked for exactly where
a route says so."""

import dataclasses
import importlib
import inspect
import pkgutil
import re
import uuid
from collections.abc import Callable
from typing import Any, get_type_hints

import jwt
import pytest
from cases_factories import child_body
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from plans_helpers import add_version, final_plan
from sqlalchemy.orm import Session

from cases_api.access.openapi import policies_by_operation
from cases_api.access.policy import RoutePolicy, policy_of
from cases_api.access.scope import Scope
from cases_api.audit.models import AuditEvent
from cases_api.auth.keys import ensure_local_key_pair
from cases_api.auth.scopes import SERVICE_SCOPES
from cases_api.auth.tokens import TokenVerifier
from cases_api.children.models import Child
from cases_api.settings import Settings

Auth = Callable[..., dict[str, str]]
FINANCE = ("children:read", "plans:read", "placements:read")
FINANCE_ARGS = [arg for scope in FINANCE for arg in ("--scope", scope)]
_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/openapi.json").json()
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if path.startswith("/v1")
    ]


def _filled(path: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "urn":
            return "100001"
        if name in ("number", "other"):
            return "1"
        return str(uuid.uuid4())

    return _PARAMETER.sub(value, path)


def _declared(app: FastAPI) -> dict[str, RoutePolicy]:
    return policies_by_operation(app)


def test_every_v1_route_declares_its_policy(client: TestClient, app: FastAPI) -> None:
    declared = _declared(app)
    operations = _operations(client)
    assert len(operations) > 90
    undeclared = [f"{m} {p}" for m, p, op in operations if op["operationId"] not in declared]
    assert undeclared == []
    # Routes left out of the document too: every route but the health checks declares one.
    routes = [
        context.original_route
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]
    assert len(routes) == len(operations) + 2
    assert [
        route.path
        for route in routes
        if policy_of(route) is None and route.endpoint.__module__ != "cases_api.health.router"
    ] == []
    for _, path, operation in operations:
        policy = declared[operation["operationId"]]
        # A bulk read narrowed by a filter names a filter the route really has.
        if policy.reason is not None:
            queries = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            assert set(policy.reason.narrowed_by) <= queries, path
        assert all(scope in SERVICE_SCOPES for scope in policy.scopes)


def test_a_service_client_lacking_a_scope_is_refused_naming_it_on_every_route(
    client: TestClient, app: FastAPI, session: Session, auth: Auth
) -> None:
    declared = _declared(app)
    scoped = [
        (method, path, declared[op["operationId"]])
        for method, path, op in _operations(client)
        if declared[op["operationId"]].scopes
    ]
    assert len(scoped) > 40
    failures = []
    for method, path, policy in scoped:
        lacking = tuple(scope for scope in SERVICE_SCOPES if scope not in policy.scopes)
        headers = auth("service", subject="scopeless", scopes=lacking)
        response = client.request(method, _filled(path), headers=headers)
        problem = response.json()
        if response.status_code != 403 or problem.get("missing_scopes") != list(policy.scopes):
            failures.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
        elif not all(scope in problem["detail"] for scope in policy.scopes):
            failures.append(f"{method} {path}: the detail names no scope: {problem['detail']}")
        # With the scopes it names, the same call passes the scope check (a 404 for the
        # made-up id, or a 200).
        allowed = client.request(method, _filled(path), headers=auth("service"))
        if allowed.status_code == 403:
            failures.append(f"{method} {path}: refused with every scope: {allowed.text[:200]}")
    assert not failures, "\n".join(failures)
    refused = session.query(AuditEvent).filter_by(subject="scopeless").all()
    assert len(refused) == len(scoped)
    assert {event.outcome for event in refused} == {403}


def test_people_carry_no_scopes_their_role_governs_them(
    client: TestClient, officer: dict[str, str], auth: Auth
) -> None:
    created = client.post("/v1/children", json=child_body(), headers=officer).json()
    # An officer's token with a scope claim reads as any officer's: scopes are for services.
    narrowed = auth("officer", scopes=("rounds:read",))
    assert client.get(f"/v1/children/{created['id']}", headers=narrowed).status_code == 200


def _signed(settings: Settings, **claims: Any) -> str:
    private_pem, _ = ensure_local_key_pair(settings.data_dir)
    now = int(__import__("time").time())
    base = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "finance-system",
        "iat": now,
        "exp": now + 600,
        "role": "service",
        "la_code": "855",
    }
    return jwt.encode(base | claims, private_pem, algorithm="RS256")


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({"scope": "children:read plans:read"}, 200),
        ({"scp": "children:read"}, 200),  # as Entra ID sends it
        ({"scp": ["children:read"]}, 200),
        ({"scope": "plans:read"}, 403),
        ({}, 403),
    ],
)
def test_scopes_are_read_from_the_scope_or_scp_claim(
    client: TestClient,
    settings: Settings,
    officer: dict[str, str],
    claims: dict[str, Any],
    status: int,
) -> None:
    created = client.post("/v1/children", json=child_body(), headers=officer).json()
    headers = {"Authorization": f"Bearer {_signed(settings, **claims)}"}
    response = client.get(f"/v1/children/{created['id']}", headers=headers)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["missing_scopes"] == ["children:read"]


def test_a_finance_system_never_sees_social_care_sections_or_home_locations(
    client: TestClient, session: Session, officer: dict[str, str], auth: Auth
) -> None:
    child_id = client.post("/v1/children", json=child_body(), headers=officer).json()["id"]
    child = session.get(Child, uuid.UUID(child_id))
    assert child is not None
    plan = final_plan(client, officer, child)
    version = client.get(f"/v1/plans/{plan['id']}/versions/2", headers=officer).json()
    social_care = version["sections"] | {
        "d": [{"id": "D1", "description": "Respite care at weekends."}],
        "h1": [{"id": "H1-1", "what": "Short breaks", "delivered_by": "children's services"}],
    }
    notice = add_version(
        client, officer, plan, "amendment_notice", "2026-06-01", sections=social_care
    )
    assert notice.status_code == 201, notice.text

    finance = auth("service", subject="finance", scopes=FINANCE)
    seen = client.get(f"/v1/children/{child_id}", headers=finance).json()
    assert (seen["home_postcode"], seen["home_location"]) == (None, None)
    assert seen["upn"] is not None
    assert seen["given_name"] == "Amira"
    listed = client.get("/v1/children", headers=finance | {"X-Access-Reason": "invoices"})
    assert [c["home_postcode"] for c in listed.json()["items"]] == [None]
    read = client.get(f"/v1/plans/{plan['id']}/versions/3", headers=finance).json()
    assert read["sections"]["d"] == read["sections"]["h1"] == read["sections"]["h2"] == []
    assert read["withheld_sections"] == ["D", "H1", "H2"]
    assert read["sections"]["f"] == version["sections"]["f"]
    diff = client.get(f"/v1/plans/{plan['id']}/versions/2/diff/3", headers=finance).json()
    assert (diff["sections"], diff["change_count"]) == ([], 0)

    social_worker = auth("service", scopes=(*FINANCE, "social_care:read", "locations:read"))
    full = client.get(f"/v1/plans/{plan['id']}/versions/3", headers=social_worker).json()
    assert full["sections"]["d"][0]["description"] == "Respite care at weekends."
    assert full["withheld_sections"] == []
    located = client.get(f"/v1/children/{child_id}", headers=social_worker).json()
    assert located["home_postcode"] == "LE11 3TU"
    assert located["home_location"] == {"lat": 52.772, "lon": -1.206}


def test_the_reason_header_is_in_the_openapi_exactly_where_a_route_needs_it(
    client: TestClient, app: FastAPI
) -> None:
    declared = _declared(app)
    for method, path, operation in _operations(client):
        policy = declared[operation["operationId"]]
        headers = [
            p for p in operation.get("parameters", []) if p["name"].lower() == "x-access-reason"
        ]
        if policy.reason is None:
            assert headers == [], f"{method} {path}"
            continue
        (header,) = headers
        assert header["required"] is (policy.reason.when == "always"), f"{method} {path}"
        assert policy.reason.rule() in header["description"]


def test_the_openapi_names_each_operations_scopes(client: TestClient, app: FastAPI) -> None:
    document = client.get("/openapi.json").json()
    scheme = document["components"]["securitySchemes"]["serviceClient"]
    assert scheme["flows"]["clientCredentials"]["scopes"] == SERVICE_SCOPES
    declared = _declared(app)
    for method, path, operation in _operations(client):
        scopes = declared[operation["operationId"]].scopes
        wanted = [{"HTTPBearer": []}] + ([{"serviceClient": list(scopes)}] if scopes else [])
        assert operation["security"] == wanted, f"{method} {path}"


def test_the_reason_is_required_where_declared_and_nowhere_else(
    client: TestClient, officer: dict[str, str], auth: Auth
) -> None:
    bare_officer = {"Authorization": officer["Authorization"]}
    child_id = client.post("/v1/children", json=child_body(), headers=officer).json()["id"]

    refused = client.get("/v1/children", headers=bare_officer)
    assert refused.status_code == 422
    assert "required from officers on lists of children" in (refused.json()["detail"])
    assert "unless narrowed by `name_contains`" in refused.json()["detail"]
    # A search by name, an officer's queues, one child's requests: ordinary work, no reason.
    for path in (
        "/v1/children?name_contains=Amira",
        "/v1/assessment-requests/overdue",
        "/v1/assessment-requests/due-soon",
        "/v1/annual-reviews/overdue",
        "/v1/phase-transfers/unnamed",
        "/v1/assessment-requests?assigned_officer=officer-1",
        f"/v1/assessment-requests?child_id={child_id}",
        f"/v1/plans?child_id={child_id}",
        "/v1/rounds",
    ):
        assert client.get(path, headers=bare_officer).status_code == 200, path
    for path in ("/v1/assessment-requests", "/v1/plans", "/v1/placements", "/v1/dispute-events"):
        assert client.get(path, headers=bare_officer).status_code == 422, path

    # Subject access needs a reason from everyone, every time.
    export = client.post(f"/v1/children/{child_id}/subject-access-exports", headers=bare_officer)
    assert export.status_code == 422
    assert "required on subject access exports" in export.json()["detail"]

    # Parents and schools list only their own: no reason.
    parent = {"Authorization": auth("parent")["Authorization"]}
    assert client.get("/v1/children", headers=parent).status_code == 200
    school = {"Authorization": auth("school")["Authorization"]}
    assert client.get("/v1/consultations", headers=school).status_code == 200
    # A service client's reads are bounded by its scopes, not by a reason it would send as a
    # constant.
    service = {"Authorization": auth("service")["Authorization"]}
    assert client.get("/v1/children", headers=service).status_code == 200


CASE_QUERY_MODULES = [
    "cases_api.assessments.queries",
    "cases_api.children.queries",
    "cases_api.placements.queries",
    "cases_api.plans.queries",
    "cases_api.reviews.queries",
    "cases_api.rounds.queries",
    "cases_api.transfers.queries",
]


def _requires_scope(function: Callable[..., Any]) -> bool:
    """Whether the caller's Scope is a required argument: directly, or as a required field of
    the filters it takes."""
    hints = get_type_hints(function)
    parameters = inspect.signature(function).parameters
    scope = parameters.get("scope")
    if scope is not None and hints.get("scope") is Scope:
        return scope.default is inspect.Parameter.empty
    filters = hints.get("filters")
    if filters is None or not dataclasses.is_dataclass(filters):
        return False
    return any(
        field.name == "scope"
        and field.default is dataclasses.MISSING
        and field.default_factory is dataclasses.MISSING
        for field in dataclasses.fields(filters)
    )


@pytest.mark.parametrize("module_name", CASE_QUERY_MODULES)
def test_every_query_of_case_data_takes_the_callers_scope(module_name: str) -> None:
    module = importlib.import_module(module_name)
    queries = [
        function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module_name
        and not name.startswith("_")
        and "session" in inspect.signature(function).parameters
    ]
    assert queries
    assert [f.__name__ for f in queries if not _requires_scope(f)] == []


def _service_modules() -> list[str]:
    """Every `cases_api.<domain>.service`, found rather than listed, and the other modules that
    read or change case records for a caller."""
    import cases_api

    found = [
        module.name
        for module in pkgutil.walk_packages(cases_api.__path__, "cases_api.")
        if module.name.endswith(".service")
    ]
    return sorted(set(found) | set(OTHER_SERVICE_MODULES))


OTHER_SERVICE_MODULES = [
    "cases_api.access.references",
    "cases_api.access.rounds",
    "cases_api.assessments.corrections",
    "cases_api.assessments.disputes",
    "cases_api.deadlines.gathering",
    "cases_api.plans.family",
    "cases_api.rounds.decisions",
    "cases_api.rounds.proposing",
    "cases_api.rounds.reading",
]
# Functions that take a session but no scope, deliberately: each works on a record its caller
# has already resolved through the scope, or on the published directory.
UNSCOPED_BY_DESIGN = {
    "cases_api.assessments.service.saved": "flushes a request its caller resolved through the scope",
    "cases_api.la_transfers.service.first_review_after": "reads the plan of a resolved transfer",
    "cases_api.plans.service.named_setting_warnings": "the directory and a resolved version's child",
    "cases_api.provisions.service.get_establishment": "the directory is published to every caller",
    "cases_api.provisions.service.get_provision": "the directory is published to every caller",
    "cases_api.reassessments.service.plan_issued_after": "reads the plan of a resolved request",
    "cases_api.rounds.proposing.available_provisions": "the directory's free places, for any round",
    "cases_api.rounds.proposing.build_round_request": "the cohort of a round resolved for a write",
    "cases_api.rounds.proposing.cohort_children": "the cohort of a round resolved for a write",
    "cases_api.rounds.proposing.latest_proposal": "a round its caller resolved through the scope",
    "cases_api.rounds.reading.provision_facts": "names and URNs from the published directory",
    "cases_api.transfers.service.current_setting_ages": "where a resolved child is now",
}


def _session_functions(module_name: str) -> list[Callable[..., Any]]:
    module = importlib.import_module(module_name)
    return [
        function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module_name
        and not name.startswith("_")
        and "session" in inspect.signature(function).parameters
    ]


@pytest.mark.parametrize("module_name", _service_modules())
def test_every_service_function_takes_the_callers_scope_not_a_principal(module_name: str) -> None:
    functions = _session_functions(module_name)
    assert functions
    unscoped = [
        f.__name__
        for f in functions
        if f"{module_name}.{f.__name__}" not in UNSCOPED_BY_DESIGN
        and (not _requires_scope(f) or "principal" in inspect.signature(f).parameters)
    ]
    assert unscoped == []


def test_the_unscoped_service_functions_are_still_unscoped() -> None:
    """An exception goes from the list when its function takes the scope after all."""
    for qualified in UNSCOPED_BY_DESIGN:
        module_name, name = qualified.rsplit(".", 1)
        function = getattr(importlib.import_module(module_name), name)
        assert "session" in inspect.signature(function).parameters, qualified
        assert "scope" not in inspect.signature(function).parameters, qualified


def test_the_cli_mints_a_service_token_with_scopes(
    client: TestClient,
    settings: Settings,
    officer: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    from cases_api import cli
    from cases_api.settings import get_settings

    monkeypatch.setenv("CASES_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        cli.main(["token", "--role", "service", "--la", "855", *FINANCE_ARGS])
    finally:
        get_settings.cache_clear()
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert TokenVerifier(settings).verify(token).scopes == frozenset(FINANCE)
    created = client.post("/v1/children", json=child_body(), headers=officer).json()
    finance = {"Authorization": f"Bearer {token}"}
    seen = client.get(f"/v1/children/{created['id']}", headers=finance).json()
    assert seen["home_postcode"] is None
    refused = client.get(f"/v1/children/{created['id']}/guardians", headers=finance)
    assert refused.status_code == 403
    assert refused.json()["missing_scopes"] == ["guardians:read"]
