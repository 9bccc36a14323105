"""Recording every `/v1` call in one place: a dependency writes the event before the answer is
sent when the call succeeds (a change in the change's own transaction; a read, on SQLite, in a short
write transaction of its own once the read's transaction has ended, so reads hold no write lock
while they work, and on PostgreSQL, where reads lock nothing, in the read's own transaction); a middleware writes it in a transaction of its own when the call fails (the request's
transaction is rolled back then), with the status the caller got. An event that cannot be written
is logged whole (`audit_event_not_written`), for `cases-api audit-recover`."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
import structlog
from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cases_api.access.policy import REASON_HEADER, policy_of
from cases_api.audit.children import child_of
from cases_api.audit.models import AuditEvent
from cases_api.audit.paths import pairs_of
from cases_api.audit.recovery import LOGGED_KEY, NOT_WRITTEN, loggable
from cases_api.auth.deps import CurrentPrincipal
from cases_api.core.db import end_read, is_read_only
from cases_api.core.deps import SessionDep
from cases_api.core.etag import answers_not_modified
from cases_api.core.time import utcnow

log = structlog.get_logger(__name__)

_STATE_KEY = "audit_event"
_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass
class PendingEvent:
    """The event of the current request, written once: by the dependency or the middleware."""

    values: dict[str, Any]
    written: bool = field(default=False)


def record_access(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> Iterator[None]:
    """Every `/v1` route depends on this: it records the event the route's policy describes
    (the policy's own dependency checks scopes and the reason, after this one has started)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        yield
        return
    declared = policy_of(route)
    if declared is None:
        raise RuntimeError(f"{route.path_format} declares no access policy (access.policy).")
    audit = declared.audit
    template = _PARAMETER.sub(r"{\1}", route.path_format)
    reason = (request.headers.get(REASON_HEADER) or "").strip()[:500] or None
    segments = [part for part in template.split("/") if part and part != "v1"]
    path_params = {name: str(value) for name, value in request.path_params.items()}
    pairs = [
        (collection, path_params.get(name.strip("{}"), ""))
        for collection, name in pairs_of(segments)
    ]
    pending = PendingEvent(
        values={
            "subject": principal.subject,
            "role": principal.role.value,
            "la_code": principal.la_code,
            "school_urns": list(principal.school_urns),
            "action": audit.action,
            "resource_type": audit.resource_type,
            "resource_id": path_params.get(audit.resource_param) if audit.resource_param else None,
            "child_id": child_of(session, pairs),
            "operation_id": route.operation_id or route.name,
            "method": request.method,
            "path": request.url.path[:500],
            "request_id": request.scope.get("state", {}).get("request_id"),
            "reason": reason,
        }
    )
    request.scope.setdefault("state", {})[_STATE_KEY] = pending
    yield
    created = response.headers.get("location")
    if created:
        pending.values |= _created_resource(session, created)
    status = response.status_code or route.status_code or 200
    if answers_not_modified(request.method, status, request.headers, response.headers.get("etag")):
        status = 304  # what `NotModifiedMiddleware` answers: still a read
    if is_read_only(session) and session.get_bind().dialect.name == "sqlite":
        # End the read (it took no write lock); the event then goes in a write transaction of its
        # own, committed by the session dependency before the answer is sent. PostgreSQL's reads
        # lock nothing, so there the event joins the read's transaction: one commit, not two.
        end_read(session)
    session.add(_event(pending.values, status))
    session.flush()
    pending.written = True


def _event(values: dict[str, Any], outcome: int) -> AuditEvent:
    """The row, with its id and time fixed now, so a logged copy can be put back exactly once."""
    return AuditEvent(id=uuid.uuid4(), occurred_at=utcnow(), **values, outcome=outcome)


def _created_resource(session: Session, location: str) -> dict[str, Any]:
    segments = [part for part in location.split("?")[0].split("/") if part and part != "v1"]
    pairs = pairs_of(segments)
    if not pairs:
        return {}
    collection, identifier = pairs[-1]
    return {
        "resource_type": collection,
        "resource_id": identifier,
        "child_id": child_of(session, pairs),
    }


class AuditOutcomeMiddleware:
    """Writes the event of a call that failed (or was answered without the route, such as an
    idempotent replay), with the status the caller got, once the request's own work is over."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        location: str | None = None

        async def send_watching_status(message: Message) -> None:
            nonlocal status, location
            if message["type"] == "http.response.start":
                status = message["status"]
                location = Headers(raw=message.get("headers", [])).get("location")
            await send(message)

        try:
            await self.app(scope, receive, send_watching_status)
        finally:
            pending = scope.get("state", {}).get(_STATE_KEY)
            if isinstance(pending, PendingEvent) and (not pending.written or status >= 400):
                factory = scope["app"].state.session_factory
                await anyio.to_thread.run_sync(_write_alone, factory, pending, status, location)


def _write_alone(factory: Any, pending: PendingEvent, status: int, location: str | None) -> None:
    event = _event(pending.values, status)
    try:
        with factory() as session:
            if location and status < 400:  # an idempotent replay names what it created
                pending.values |= _created_resource(session, location)
                event = _event(pending.values, status)
            session.add(event)
            session.commit()
        pending.written = True
    except Exception:  # the caller has had its answer; the event is logged whole, to recover
        log.exception(NOT_WRITTEN, **{LOGGED_KEY: loggable(event)})
