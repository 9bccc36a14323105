"""The last net: an exception no handler took becomes the 500 problem, without its internals."""

import structlog
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from send_contracts.problems.responses import problem_response

log = structlog.get_logger("send_contracts.problems")

INTERNAL_ERROR_DETAIL = (
    "The server could not complete the request. Nothing was saved. "
    "Quote the request id when reporting this."
)


async def unexpected_error_problem(request: Request, exc: Exception) -> Response:
    # The trace goes to the log, under the request id; the client gets only that id.
    log.error("unhandled_error", exc_info=exc, error_type=type(exc).__name__)
    return problem_response(
        request, status=500, detail=INTERNAL_ERROR_DETAIL, type_slug="internal-error"
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
            response = await unexpected_error_problem(Request(scope), exc)
            await response(scope, receive, send)
