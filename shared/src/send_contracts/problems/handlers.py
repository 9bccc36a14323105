"""Every error either service can raise, answered as `application/problem+json`."""

from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match

from send_contracts.problems.errors import ProblemError
from send_contracts.problems.middleware import UnexpectedErrorMiddleware, unexpected_error_problem
from send_contracts.problems.pages import problem_pages
from send_contracts.problems.responses import problem_response
from send_contracts.problems.types import COMMON_PROBLEM_TYPES, ProblemRegistry, ProblemType
from send_contracts.problems.validation import is_json_media_type, request_validation_problem

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _where(request: Request) -> str:
    """The part of the request a rule checked in code, with no field named, is about."""
    return "body" if request.method in _BODY_METHODS else "query"


async def problem_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    headers = dict(exc.headers)
    if exc.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    extensions = dict(exc.extensions)
    if exc.status == 422 and "errors" not in extensions:
        # Clients read every 422 the same way: from `errors`.
        extensions["errors"] = [{"location": _where(request), "message": exc.detail}]
    return problem_response(
        request,
        status=exc.status,
        detail=exc.detail,
        type_slug=exc.type_slug,
        title=exc.title,
        headers=headers,
        **extensions,
    )


def _allowed_methods(request: Request) -> str:
    """Every method the path supports, across all the routes that share it."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= route.methods or set()
    return ", ".join(sorted(methods))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first matching route's methods; clients need them all.
        headers["Allow"] = _allowed_methods(request)
    if exc.status_code == 400 and is_json_media_type(request.headers.get("content-type")):
        # FastAPI's answer to a JSON body it cannot decode at all (not UTF-8, say).
        return problem_response(
            request,
            status=400,
            detail="The request body is not valid JSON; nothing in it was read.",
            type_slug="malformed-json",
            headers=headers,
        )
    return problem_response(
        request,
        status=exc.status_code,
        detail=exc.detail if isinstance(exc.detail, str) else None,
        headers=headers,
    )


def install_problems(app: FastAPI, service_types: Iterable[ProblemType] = ()) -> None:
    """Answer every error the app can raise with a problem whose `type` resolves to a page the
    app serves. Call it before adding other middleware: the 500 middleware sits innermost, inside
    the request id. Services add handlers for their own exceptions after it."""
    app.state.problem_types = ProblemRegistry([*COMMON_PROBLEM_TYPES, *service_types])
    app.router.routes.extend(problem_pages())
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_exception_handler(ProblemError, problem_error)
    app.add_exception_handler(RequestValidationError, request_validation_problem)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error_problem)
