"""Conditional reads: a GET whose `If-None-Match` names the record's current ETag is answered
304 Not Modified, with the ETag and no body. The route still runs, so access control and the
audit trail see the read as they see any other."""

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cases_api.core.etag import answers_not_modified

# What a 304 drops from the 200 it replaces: it describes no body.
_BODY_HEADERS = ("content-length", "content-type", "content-encoding", "content-range")


class NotModifiedMiddleware:
    """Turns a 200 read carrying an ETag that `If-None-Match` names into a bodiless 304."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_headers = Headers(scope=scope) if scope["type"] == "http" else None
        if request_headers is None or "if-none-match" not in request_headers:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        unchanged = False

        async def send_unless_unchanged(message: Message) -> None:
            nonlocal unchanged
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                unchanged = answers_not_modified(
                    method, message["status"], request_headers, headers.get("etag")
                )
                if unchanged:
                    message["status"] = 304
                    for name in _BODY_HEADERS:
                        del headers[name]
            elif message["type"] == "http.response.body" and unchanged:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, send_unless_unchanged)
