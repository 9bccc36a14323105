"""`/healthz` says the process is up (liveness); `/readyz` says it can serve (readiness): its
database answers and its schema is the one this release needs."""

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from cases_api.core.db import read_only
from cases_api.core.deps import SessionDep
from cases_api.core.errors import DomainError
from cases_api.schema_check import CachedSchemaCheck

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class DatabaseUnavailable(DomainError):
    status = 503
    title = "Service unavailable"
    type_slug = "database-unavailable"


class SchemaNotReady(DomainError):
    status = 503
    title = "Service unavailable"
    type_slug = "schema-not-at-head"


@router.get("/healthz", operation_id="getHealth", summary="The process is up")
async def healthz() -> Health:
    """Liveness: 200 while the process runs; it does not touch the database. No token needed.
    Use it for the container's liveness probe."""
    return Health(status="ok")


@router.get(
    "/readyz",
    operation_id="getReadiness",
    summary="The database answers and its schema is at this release's head",
    responses={503: {"description": "The database does not answer, or its schema is not at head"}},
)
def readyz(request: Request, session: SessionDep) -> Health:
    """Readiness: 200 `{"status": "ready"}` when the database answers and its schema is at this
    release's head; a 503 problem (`database-unavailable` or `schema-not-at-head`) otherwise.
    No token needed. Use it for the load balancer's readiness probe; `/healthz` is liveness."""
    schema_check: CachedSchemaCheck = request.app.state.schema_check
    read_only(session)  # a probe must never queue behind a writer for SQLite's write lock
    try:
        session.execute(text("SELECT 1"))
        state = schema_check.state(session.connection())
    except SQLAlchemyError as error:
        raise DatabaseUnavailable("The database does not answer.") from error
    if not state.at_head:
        reason = state.describe()
        raise SchemaNotReady(f"{reason[0].upper()}{reason[1:]}.")
    return Health(status="ready")
