"""Every error as `application/problem+json` (RFC 9457): domain errors, FastAPI's own, and bugs."""

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cases_api.core.errors import DomainError
from send_contracts import PROBLEM_MEDIA_TYPE, Problem, ProblemField

log = structlog.get_logger(__name__)

PROBLEM_TYPE_BASE = "/problems/"

_STATUS_TITLES = {
    400: "Bad request",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    411: "Length required",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
}


def problem_response(
    request: Request,
    *,
    status: int,
    detail: str | None,
    type_slug: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """A problem+json response for this request."""
    problem = Problem(
        type=PROBLEM_TYPE_BASE + type_slug if type_slug else "about:blank",
        title=title or _STATUS_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path,
        **extensions,
    )
    response_headers = dict(headers or {})
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        response_headers["X-Request-ID"] = request_id
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=response_headers,
    )


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    headers = dict(exc.headers)
    if exc.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return problem_response(
        request,
        status=exc.status,
        detail=exc.detail,
        type_slug=exc.type_slug,
        title=exc.title,
        headers=headers,
        **exc.extensions,
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = [
        ProblemField(location=_location(tuple(error["loc"])), message=error["msg"])
        for error in exc.errors()
    ]
    count = len(fields)
    return problem_response(
        request,
        status=422,
        detail=f"{count} invalid input{'s' if count != 1 else ''}: "
        + "; ".join(f"{f.location}: {f.message}" for f in fields[:5]),
        type_slug="invalid-input",
        errors=[field.model_dump() for field in fields],
    )


def _allowed_methods(request: Request) -> str:
    """Every method the path supports, across all the routes that share it."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= route.methods or set()
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first matching route's methods; clients need them all.
        headers["Allow"] = _allowed_methods(request)
    return problem_response(
        request,
        status=exc.status_code,
        detail=exc.detail if isinstance(exc.detail, str) else None,
        headers=headers,
    )


async def _integrity_error(request: Request, exc: Exception) -> Response:
    # Services check the rules they know first; this catches the race where two requests pass
    # those checks at once and the database's constraint decides.
    log.warning("integrity_error", error=str(getattr(exc, "orig", exc))[:200])
    return problem_response(
        request,
        status=409,
        detail="The change conflicts with data saved at the same moment; nothing was saved. "
        "Read the record again and retry.",
        type_slug="conflict",
        title="Conflict",
    )


async def _stale_data(request: Request, exc: Exception) -> Response:
    # Services turn a lost optimistic-version race into their own 409; this is the net for any
    # they do not, so such a race is never a 500.
    log.warning("stale_data", error=str(exc)[:200])
    return problem_response(
        request,
        status=409,
        detail="Someone else changed this record at the same moment; nothing was saved. "
        "Read it again and retry.",
        type_slug="conflict",
        title="Conflict",
    )


# SQLite: SQLITE_BUSY, SQLITE_LOCKED (primary codes). PostgreSQL: lock_not_available,
# serialization_failure, deadlock_detected, query_canceled (a statement or lock timeout).
_SQLITE_BUSY_CODES = frozenset({5, 6})
_POSTGRES_BUSY_STATES = frozenset({"55P03", "40001", "40P01", "57014"})


def database_is_busy(exc: Exception) -> bool:
    """Whether the database answered but was too busy (a lock or pool wait ran out), as opposed
    to not answering at all."""
    if isinstance(exc, PoolTimeoutError):
        return True
    orig = getattr(exc, "orig", None)
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int):
        return sqlite_code & 0xFF in _SQLITE_BUSY_CODES
    return getattr(orig, "sqlstate", None) in _POSTGRES_BUSY_STATES


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    if database_is_busy(exc):
        log.warning("database_busy", error=str(getattr(exc, "orig", exc))[:200])
        return problem_response(
            request,
            status=503,
            detail="The database is busy with other requests and this one waited too long; "
            "nothing was saved. Try again in a moment.",
            type_slug="database-busy",
            title="Service busy",
            headers={"Retry-After": "1"},
        )
    log.error("database_unavailable", error=str(getattr(exc, "orig", exc))[:200])
    return problem_response(
        request,
        status=503,
        detail="The database is not answering; nothing was saved. Retry shortly.",
        type_slug="database-unavailable",
        title="Service unavailable",
        headers={"Retry-After": "5"},
    )


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled_error", exc_info=exc, path=request.url.path)
    return problem_response(
        request,
        status=500,
        detail="The server could not complete the request. Nothing was saved. "
        "Quote the request id when reporting this.",
        type_slug="internal-error",
    )


class UnexpectedErrorMiddleware:
    """Answers an exception no handler took with the 500 problem, and ends the request normally.

    Starlette's outermost error middleware sends its 500 and then re-raises, so that servers can
    log it; uvicorn then closes the keep-alive connection without `Connection: close`, and the
    client's next request on it fails though it never reached the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:
            if started:  # half an answer sent: only closing the connection can end it
                raise
            response = await _unexpected_error(Request(scope), exc)
            await response(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error the app can raise to a problem+json response. Call it before adding
    other middleware: the 500 middleware sits innermost, inside the request id and the audit."""
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(StaleDataError, _stale_data)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)
