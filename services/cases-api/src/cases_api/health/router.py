"""`/healthz` says the process is up; `/readyz` says it can reach its database."""

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from cases_api.core.deps import SessionDep
from cases_api.core.errors import DomainError

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class DatabaseUnavailable(DomainError):
    status = 503
    title = "Service unavailable"
    type_slug = "database-unavailable"


@router.get("/healthz", operation_id="getHealth", summary="The process is up")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    operation_id="getReadiness",
    summary="The database answers",
    responses={503: {"description": "The database does not answer"}},
)
def readyz(session: SessionDep) -> Health:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        raise DatabaseUnavailable("The database does not answer.") from error
    return Health(status="ready")
