"""Pure ASGI middleware counting and timing every HTTP request by its route template."""

import time

from fastapi.routing import iter_route_contexts
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cases_api.metrics.instruments import HTTP_LATENCY, HTTP_REQUESTS

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"


class RouteTemplates:
    """The full path template of each route (`/v1/children/{child_id}`), never the raw path, so no
    identifier becomes a label value. A route inside an included router only knows its path
    within that router; the app's route contexts know the whole one."""

    def __init__(self) -> None:
        self._by_route: dict[int, str] | None = None

    def of(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is None:
            return UNMATCHED
        if self._by_route is None and hasattr(scope.get("app"), "routes"):
            self._by_route = {
                id(context.original_route): context.path_format
                for context in iter_route_contexts(scope["app"].routes)
                if context.path_format is not None
            }
        template = (self._by_route or {}).get(id(route)) or getattr(route, "path_format", None)
        return template if isinstance(template, str) else UNMATCHED


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp, *, skip_path: str = "/metrics") -> None:
        self.app = app
        self.skip_path = skip_path
        self.templates = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == self.skip_path:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            labels = (method, self.templates.of(scope), str(status))
            HTTP_REQUESTS.labels(*labels).inc()
            HTTP_LATENCY.labels(*labels).observe(time.perf_counter() - started)
