"""Every error as application/problem+json (RFC 9457), never a stack trace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from send_contracts import PROBLEM_MEDIA_TYPE, Problem, ProblemField
from send_matching.logs import get_logger

log = get_logger("send_matching.problems")


def problem_response(
    status: int,
    *,
    detail: str | None = None,
    instance: str | None = None,
    errors: list[ProblemField] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers) if headers else None,
    )


def _location(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _is_malformed_json(errors: Sequence[Any]) -> bool:
    return any(e.get("type") == "json_invalid" for e in errors)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if _is_malformed_json(errors):
        return problem_response(
            400, detail="The request body is not valid JSON.", instance=request.url.path
        )
    fields = [
        ProblemField(location=_location(e.get("loc", ())), message=str(e.get("msg", "")))
        for e in errors
    ]
    return problem_response(
        422,
        detail=f"{len(fields)} invalid input{'s' if len(fields) != 1 else ''}.",
        instance=request.url.path,
        errors=fields,
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(
        exc.status_code, detail=detail, instance=request.url.path, headers=exc.headers
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled_error", error_type=type(exc).__name__, exc_info=exc)
    return problem_response(500, detail="An unexpected error occurred.", instance=request.url.path)


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
            response = await _unexpected(Request(scope), exc)
            await response(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    """Every error as a problem. Call it before adding other middleware: the 500 middleware
    sits innermost, inside the request id."""
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
