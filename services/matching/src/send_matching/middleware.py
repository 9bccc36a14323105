"""Pure ASGI middleware: the request body size limit (request ids: `send_contracts.request_id`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from send_contracts.problems import problem_response


class BodyLimitMiddleware:
    """413 problem for bodies over the limit, by Content-Length or by counting the stream."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return

        received = 0
        too_large = False
        rejected = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def replacing_send(message: Message) -> None:
            # Once the body is known to be too large, whatever the app answers becomes a 413.
            nonlocal rejected
            if not too_large:
                await send(message)
            elif not rejected and message["type"] == "http.response.start":
                rejected = True
                await self._reject(scope, receive, send)

        try:
            await self.app(scope, counting_receive, replacing_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not rejected:
            await self._reject(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            Request(scope),
            status=413,
            detail=f"The request body is larger than the limit of {self.max_bytes} bytes.",
            type_slug="content-too-large",
        )
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass
