"""The `Idempotency-Key` dependency for creating POSTs.

A stored response belongs to the whole principal that caused it (`Principal.identity_key`), and
is served again only once the route has authorised the current caller again: the route runs as a
first request would, in the request's transaction, and instead of committing its (repeated)
change the transaction is rolled back and the stored response served. A route that refuses the
caller now (401, 403, 404, or a body reference no longer in scope) answers that refusal: access
that has ended since the first request ends its replays too. A route that, authorised, fails
only because the first request already happened (a conflict, a stale ETag, a state that has
moved on) serves the stored response. A replay therefore costs what the route costs (a proposal
asks the matching service again); replays are retries, and rare.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.responses import Response

from cases_api.access.references import check_body_references
from cases_api.auth.deps import CurrentPrincipal
from cases_api.core.deps import SessionDep
from cases_api.core.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthenticated,
    UnknownReference,
)
from cases_api.core.time import utcnow
from cases_api.idempotency.models import IdempotencyKey

KEEP_FOR = timedelta(hours=24)
# What a route answers when the current caller may not (any longer) do what the key did.
REFUSALS = (Unauthenticated, Forbidden, NotFound, UnknownReference)


class Replay(DomainError):
    """Not an error: the first response to this key, served again (see `problems`)."""

    status = 200

    def __init__(self, record: IdempotencyKey) -> None:
        super().__init__("replayed")
        # Plain values: the session (and the ORM row) is gone by the time this is answered.
        self.status_code = record.status_code
        self.body: Any = record.response_body
        self.location = record.location
        self.etag = record.etag


async def request_fingerprint(request: Request) -> str:
    """Method, path, query and body: what must be the same for a replay."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    digest.update(await request.body())
    return digest.hexdigest()


@dataclass
class Idempotency:
    """Call `remember` with the response before returning it; it is stored in the same
    transaction as the change."""

    session: Session
    principal_key: str
    key: str | None
    fingerprint: str
    _remembered: bool = field(default=False)

    def remember(
        self,
        *,
        status_code: int,
        body: BaseModel,
        location: str | None = None,
        etag: str | None = None,
    ) -> None:
        if self.key is None or self._remembered:
            return
        self.session.add(
            IdempotencyKey(
                principal_key=self.principal_key,
                key=self.key,
                fingerprint=self.fingerprint,
                status_code=status_code,
                response_body=body.model_dump(mode="json"),
                location=location,
                etag=etag,
            )
        )
        # Flushing here makes a concurrent request with the same key wait on (PostgreSQL) or
        # collide with (SQLite) this row, so only one of them can commit the change.
        self.session.flush()
        self._remembered = True


def idempotency(
    session: SessionDep,
    principal: CurrentPrincipal,
    _references: Annotated[None, Depends(check_body_references)],
    fingerprint: Annotated[str, Depends(request_fingerprint)],
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=8,
            max_length=200,
            pattern=r"^[\x21-\x7e]+$",
            description="Send a fresh random key (e.g. a UUID) per intended creation; retries "
            "with the same key and body, by the same caller, get the first response back once "
            "the caller is authorised again. Kept 24 hours.",
        ),
    ] = None,
) -> Iterator[Idempotency]:
    """Refuses a reused key with another body; replays the first response to a repeated key
    once the route has authorised the caller again (see the module's docstring)."""
    stored = None
    if idempotency_key is not None:
        stored = session.get(IdempotencyKey, (principal.identity_key, idempotency_key))
        if stored is not None and stored.created_at < utcnow() - KEEP_FOR:
            session.delete(stored)
            session.flush()
            stored = None
        if stored is not None and stored.fingerprint != fingerprint:
            raise InvalidInput(
                "This Idempotency-Key was used with a different request; "
                "use a new key for a new request."
            )
    handle = Idempotency(
        session=session,
        principal_key=principal.identity_key,
        key=None if stored is not None else idempotency_key,
        fingerprint=fingerprint,
    )
    if stored is None:
        yield handle
        return
    replay = Replay(stored)
    try:
        yield handle
    except REFUSALS:
        raise
    except (DomainError, IntegrityError) as error:
        if isinstance(error, Replay):
            raise
        raise replay from None  # authorised; it differs only because the first one happened
    # Authorised and done again: the session's rollback undoes the repeat.
    raise replay


IdempotencyDep = Annotated[Idempotency, Depends(idempotency, scope="function")]


def purge_expired(session: Session) -> int:
    """Delete keys older than 24 hours; returns how many."""
    result: Any = session.execute(
        sa.delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - KEEP_FOR)
    )
    return int(result.rowcount or 0)


def respond_created(
    response: Response,
    idempotency: Idempotency,
    *,
    body: BaseModel,
    location: str,
    etag: str | None = None,
) -> None:
    """Set Location (and ETag) on a 201 and remember it for replays of the same key."""
    response.headers["Location"] = location
    if etag is not None:
        response.headers["ETag"] = etag
    idempotency.remember(status_code=201, body=body, location=location, etag=etag)


async def replay_response(request: Request, exc: Exception) -> Response:
    """The stored first response, marked as a replay."""
    assert isinstance(exc, Replay)
    headers = {"Idempotent-Replayed": "true"}
    if exc.location:
        headers["Location"] = exc.location
    if exc.etag:
        headers["ETag"] = exc.etag
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        headers["X-Request-ID"] = request_id
    return JSONResponse(exc.body, status_code=exc.status_code, headers=headers)
